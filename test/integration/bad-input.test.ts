// Bad input for each tool family: a clear isError that names the field, and not one request sent.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, harness } from '../helpers/mcp.js';

let h: Harness;
beforeAll(async () => {
  h = await harness({ env: { SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'true' } });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sandbox.requests.length = 0;
});

const HOSTILE_IDS: Array<[string, string]> = [
  ['dot-dot route', '../configuration/numbers'],
  ['slash', 'a/b'],
  ['encoded dot-dot', '%2e%2e%2f'],
  ['query', 'x?y=1'],
  ['fragment', '#'],
  ['newline', 'line\nbreak'],
  ['5000 chars', 'x'.repeat(5000)],
  ['Cyrillic look-alike', 'аbc'],
  ['bare dots', '..'],
];

const cases: Array<[string, string, Record<string, unknown>, RegExp]> = [
  // numbers
  ['numbers', 'assign_numbers', {}, /numbers/],
  ['numbers', 'assign_numbers', { numbers: [] }, /numbers needs at least one number/],
  ['numbers', 'assign_numbers', { numbers: ['12'] }, /numbers\[\]? ?.*too short|numbers\[0\]/],
  ['numbers', 'assign_numbers', { numbers: ['+46 70 000'] }, /numbers\[0\]: .* is not a valid phone number/],
  ['numbers', 'assign_numbers', { numbers: Array(101).fill('+46730170101') }, /at most 100/],
  ['numbers', 'unassign_number', { number: 42 }, /number/],
  ['numbers', 'unassign_number', { number: '+46730170101', capability: 'fax' }, /capability/],
  ['numbers', 'unassign_number', { number: '+46730170101', applicationKey: '../x' }, /applicationKey must be/],
  ['numbers', 'assign_numbers', { numbers: ['+46 73 017 01 01 ext 5'] }, /numbers\[0\]: .* has an extension \(5\), which this number cannot take/],
  // callbacks
  ['callbacks', 'update_callback_urls', { primary: 'http://insecure.example.com' }, /primary must be an https:\/\/ URL/],
  ['callbacks', 'update_callback_urls', { primary: 'not a url' }, /primary must be an https:\/\/ URL/],
  ['callbacks', 'get_callback_urls', { applicationKey: 'a/b' }, /applicationKey must be/],
  // lookup
  ['lookup', 'lookup_number', {}, /number/],
  // Issue 19: a national number without a country is answered with its candidate countries (numbers.test.ts).
  ['lookup', 'lookup_number', { number: 'call mom' }, /number: "call mom" is not a valid phone number\. .*defaultCountry/],
  ['lookup', 'lookup_number', { number: '0701234567', defaultCountry: 'XZ' }, /defaultCountry: "XZ" is an unknown country/],
  ['lookup', 'lookup_number', { number: '12345', defaultCountry: 'Sweden' }, /defaultCountry must be a two-letter/],
  // calls
  ['calls', 'get_call_result', { callId: 7 }, /callId/],
  ['calls', 'manage_call', { callId: 'abc', action: 'explode' }, /action/],
  ['calls', 'manage_call', { callId: 'abc', action: 'continue', instructions: [{ name: 'say' }] }, /instructions\[0\]: "say" needs text/],
  ['calls', 'hangup_call', { callId: 'abc', message: 'x'.repeat(4001) }, /message is limited to 4000 characters/],
  ['calls', 'manage_call', { callId: 'abc', action: 'continue', callLeg: 'callee', instructions: [{ name: 'stopRecording' }] }, /callLeg: only say and playFiles/],
  ['calls', 'manage_call', { callId: 'abc', action: 'continue', instructions: [{ name: 'startRecording' }] }, /needs recording\.destinationUrl and recording\.credentials/],
  ['calls', 'manage_call', { callId: 'abc', action: 'continue', instructions: [{ name: 'sendDtmf' }] }, /instructions\[0\]: "sendDtmf" needs dtmf/],
  ['calls', 'manage_call', { callId: 'abc', action: 'continue', instructions: [{ name: 'sendDtmf', dtmf: '12*' }] }, /dtmf may contain only 0-9, # and w/],
  ['calls', 'manage_call', { callId: 'abc', action: 'continue', instructions: [{ name: 'startRecording', recording: { destinationUrl: 's3://b/', credentials: 'k', transcribe: 'english' } }] }, /transcribe must be a language-region code/],
  // conferences
  ['conferences', 'get_conference', {}, /conferenceId/],
  ['conferences', 'mute_participants', { conferenceId: 'room' }, /Give callIds and\/or labels, or all: true/],
  ['conferences', 'unmute_participants', { conferenceId: 'room', callIds: ['abc'], all: true }, /Give callIds and\/or labels, or all: true/],
  ['conferences', 'mute_participants', { conferenceId: 'room', callIds: ['abc'], except: ['host'] }, /except only applies with all: true/],
  ['conferences', 'hold_participant', { conferenceId: 'room' }, /callId or label \(exactly one\)/],
  ['conferences', 'kick_participant', { conferenceId: 'room', label: 'nobody' }, /label "nobody": nobody in room has it/],
  ['conferences', 'kick_all_participants', { conferenceId: 'a'.repeat(65) }, /conferenceId must be 1–64/],
  // callouts
  ['callouts', 'tts_callout', { destination: '+46708168731' }, /Give exactly one of text or prompts/],
  ['callouts', 'tts_callout', { destination: '+46708168731', text: 'a', prompts: 'b' }, /Give exactly one of text or prompts/],
  ['callouts', 'tts_callout', { destination: '+46708168731', text: 'x'.repeat(4001) }, /text is limited to 4000 characters/],
  ['callouts', 'tts_callout', { destination: '+46708168731', text: 'hi', custom: 'x'.repeat(825) }, /custom is limited to 824 characters/],
  ['callouts', 'conference_callout', { destination: '+46708168731', conferenceId: 'r', custom: 'a~sinch-mcp:{}' }, /custom: must not contain/],
  ['callouts', 'conference_callout', { destination: '+46708168731', conferenceId: 'r', dtmf: '12a' }, /dtmf may contain only/],
  ['callouts', 'tts_callout', { destination: 'call mom', text: 'hi' }, /destination: "call mom" is not a valid phone number/],
  ['callouts', 'tts_callout', { destination: '+46708168731', text: '   ' }, /text must not be empty/],
  ['callouts', 'tts_callout', { destination: 'bad user', destinationType: 'username', text: 'hi' }, /username is 1–128 visible ASCII/],
  ['callouts', 'conference_callout', { destination: '+46708168731' }, /conferenceId/],
  ['callouts', 'conference_callout', { destination: '+46708168731', conferenceId: 'r', maxDuration: 0 }, /maxDuration/],
  ['callouts', 'conference_callout', { destination: '+46708168731', conferenceId: 'r', mohClass: 'jazz' }, /mohClass/],
  ['callouts', 'conference_callout', { destination: '+46708168731', conferenceId: 'r', cli: 'not-a-number' }, /cli: "not-a-number" is not a valid phone number/],
  ['callouts', 'tts_callout', { destination: '070-123 45 67', text: 'hi' }, /destination: "070-123 45 67" has no country code, .*SE mobile.*Ask which country is meant/],
  ['callouts', 'tts_callout', { destination: '+1 415 555 0100 ext 12', dtmf: '1#', text: 'hi' }, /extension 12 would be sent as dtmf after answer, but dtmf is given too/],
  ['callouts', 'tts_callout', { destination: 'alice@pbx.example.com;transport=tls', destinationType: 'sip', text: 'hi' }, /not a SIP address: SIP parameters and headers/],
  ['callouts', 'tts_callout', { destination: 'sip:alice@localhost', text: 'hi' }, /not a SIP address: "localhost" is not a host name/],
  ['callouts', 'conference_callout', { destination: '+46708168731', conferenceId: 'r', cli: '+46 70 816 87 31 x9' }, /cli: .* has an extension \(9\)/],
];

describe('bad input is refused before anything is sent', () => {
  it.each(cases)('%s: %s, case %#', async (_family, tool, args, message) => {
    const result = await h.call(tool, args);
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(message);
    expect(result.text).not.toMatch(/\n\s+at /); // no stack trace
    expect(h.sandbox.requests).toHaveLength(0);
  });

  it.each(HOSTILE_IDS)('hostile id (%s) is refused for every id-taking tool', async (_label, id) => {
    for (const [tool, args] of [
      ['get_call_result', { callId: id }],
      ['hangup_call', { callId: id }],
      ['manage_call', { callId: id, action: 'continue' }],
      ['get_conference', { conferenceId: id }],
      ['mute_participants', { conferenceId: 'room', callIds: [id] }],
      ['hold_participant', { conferenceId: 'room', callId: id }],
      ['kick_participant', { conferenceId: id, callId: 'abc' }],
      ['kick_all_participants', { conferenceId: id }],
      ['conference_callout', { destination: '+46708168731', conferenceId: id }],
    ] as const) {
      const result = await h.call(tool, args);
      expect(result.isError, `${tool} ${JSON.stringify(id)}`).toBe(true);
      expect(result.text).toMatch(/callId|conferenceId/);
    }
    expect(h.sandbox.requests).toHaveLength(0);
  });

  it('unknown extra keys cannot change the route', async () => {
    await h.call('get_call_result', { callId: 'abc', path: '../configuration/numbers', base: 'management' });
    expect(h.sandbox.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /calling/v1/calls/id/abc']);
  });
});
