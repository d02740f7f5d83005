// Every tool through the SDK Client, in memory, against the sandbox: what the sandbox received and what the tool returned.
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, confirmed, harness } from '../helpers/mcp.js';

let h: Harness;
afterEach(async () => h?.close());

const last = () => h.sandbox.requests.at(-1)!;

async function placeConferenceCall(conferenceId: string, destination: string): Promise<string> {
  const result = await confirmed(h, 'conference_callout', { destination, conferenceId });
  expect(result.isError).toBeFalsy();
  return result.structured.result.callId;
}

describe('tools against the sandbox (in memory)', () => {
  it('list_numbers', async () => {
    h = await harness();
    const r = await h.call('list_numbers');
    expect(h.sent()).toEqual(['GET /v1/configuration/numbers']);
    expect(r.structured).toMatchObject({ status: 'done', sandbox: true });
    expect(r.structured.result.numbers).toContainEqual({ number: '+46730170101', capability: 'voice', applicationKey: h.sandbox.app.key, assignedToThisApp: true });
    expect(r.text).toMatch(/^\[sandbox: simulated, nothing real was dialled\] 3 number\(s\), 1 assigned to this app/);
  });

  it('assign_numbers normalizes numbers and sends today’s body', async () => {
    h = await harness();
    const r = await confirmed(h, 'assign_numbers', { numbers: ['+1 (404) 500-5000'] });
    expect(r.structured.result).toEqual({ numbers: ['+14045005000'], applicationKey: h.sandbox.app.key, capability: 'voice' });
    expect(last()).toMatchObject({ method: 'POST', path: '/v1/configuration/numbers', body: { numbers: ['+14045005000'], applicationkey: h.sandbox.app.key, capability: 'voice' } });
    expect(h.sandbox.state.numbers.find((n) => n.number === '+14045005000')?.applicationkey).toBe(h.sandbox.app.key);
  });

  it('unassign_number', async () => {
    h = await harness();
    const r = await confirmed(h, 'unassign_number', { number: '073 017 01 01', defaultCountry: 'SE' });
    expect(r.text).toContain('Unassigned +46730170101');
    expect(last()).toMatchObject({ method: 'DELETE', path: '/v1/configuration/numbers', body: { number: '+46730170101', applicationkey: h.sandbox.app.key, capability: 'voice' } });
  });

  it('update_callback_urls then get_callback_urls', async () => {
    h = await harness();
    const set = await confirmed(h, 'update_callback_urls', { primary: 'https://hooks.example.com/sinch', fallback: 'https://backup.example.com/sinch' });
    expect(set.isError).toBeFalsy();
    expect(last()).toMatchObject({
      method: 'POST',
      path: `/v1/configuration/callbacks/applications/${h.sandbox.app.key}`,
      body: { url: { primary: 'https://hooks.example.com/sinch', fallback: 'https://backup.example.com/sinch' } },
    });
    const get = await h.call('get_callback_urls');
    expect(get.structured.result).toEqual({ applicationKey: h.sandbox.app.key, primary: 'https://hooks.example.com/sinch', fallback: 'https://backup.example.com/sinch' });
  });

  it('lookup_number accepts human formats', async () => {
    h = await harness({ env: { SINCH_DEFAULT_COUNTRY: 'SE' } });
    const r = await h.call('lookup_number', { number: '+46 (0)73-017 01 01' });
    expect(last()).toMatchObject({ method: 'GET', path: '/v1/calling/query/number/+46730170101' });
    expect(r.structured.result).toEqual({ number: '+46730170101', country: 'SE', numberType: 'Mobile', restricted: false, ratePerMinute: { currency: 'USD', amount: 0.0368 } });
    const national = await h.call('lookup_number', { number: '073 017 01 01' });
    expect(national.structured.result.number).toBe('+46730170101');
  });

  it('tts_callout, get_call_result, manage_call (continue, unguarded) and hangup_call', async () => {
    h = await harness({ env: { SINCH_CLI: '+46 73 017 01 01' } });
    const callout = await confirmed(h, 'tts_callout', { destination: '+1 404 500 5000', text: 'The build is broken', locale: 'en-GB' });
    const callId = callout.structured.result.callId;
    expect(last().body).toEqual({
      method: 'ttsCallout',
      ttsCallout: { cli: '+46730170101', destination: { type: 'number', endpoint: '+14045005000' }, locale: 'en-GB', text: 'The build is broken' },
    });
    expect(last().path).toBe('/calling/v1/callouts');

    const result = await h.call('get_call_result', { callId });
    expect(result.structured.result).toMatchObject({ callId, status: 'ONGOING', result: 'ANSWERED', to: '+14045005000', from: '+46730170101' });

    const say = await h.call('manage_call', { callId, instructions: [{ name: 'say', text: 'Still there?' }], action: 'continue' });
    expect(say.structured).toMatchObject({ status: 'done', result: { callId, action: 'continue', instructions: 1 } });
    expect(last()).toMatchObject({ method: 'PATCH', path: `/calling/v1/calls/id/${callId}`, body: { instructions: [{ name: 'say', text: 'Still there?', locale: 'en-US' }], action: { name: 'continue' } } });

    // Sinch ignores callLeg for callout calls, so it is refused here rather than silently dropped (legs: fidelity tests).
    const sent = h.sent().length;
    const leg = await h.call('manage_call', { callId, instructions: [{ name: 'playFiles', ids: ['#tts[Hi]'] }], action: 'continue', callLeg: 'callee' });
    expect(leg.isError).toBe(true);
    expect(leg.text).toMatch(/callLeg: Sinch ignores it for calls placed by a callout/);
    expect(h.sent()).toHaveLength(sent);

    const hang = await confirmed(h, 'hangup_call', { callId, message: 'Goodbye' });
    expect(hang.structured.result).toEqual({ callId, hungUp: true });
    expect(last().body).toEqual({ instructions: [{ name: 'say', text: 'Goodbye', locale: 'en-US' }], action: { name: 'hangup' } });
    expect((await h.call('get_call_result', { callId })).structured.result).toMatchObject({ status: 'FINAL', reason: 'MANAGERHANGUP' });
  });

  it('manage_call with hangup is guarded and ends the call', async () => {
    h = await harness();
    const callId = await placeConferenceCall('room', '+46708168731');
    const preview = await h.call('manage_call', { callId, action: 'hangup' });
    expect(preview.structured.status).toBe('confirmation_required');
    const done = await h.call('manage_call', { callId, action: 'hangup', confirmationToken: preview.structured.confirmationToken });
    expect(done.structured.result).toEqual({ callId, action: 'hangup', instructions: 0 });
    expect(h.sandbox.state.calls.get(callId)?.endReason).toBe('MANAGERHANGUP');
  });

  it('conference moderation: callouts, get_conference, mute, unmute, kick, kick all', async () => {
    h = await harness();
    const anna = await placeConferenceCall('standup', '+46 70 816 87 31');
    expect(last().body).toEqual({ method: 'conferenceCallout', conferenceCallout: { destination: { type: 'number', endpoint: '+46708168731' }, conferenceId: 'standup' } });
    const bo = await placeConferenceCall('standup', '+46 70 842 52 01');

    const room = await h.call('get_conference', { conferenceId: 'standup' });
    expect(room.structured.result.participants).toEqual([
      { callId: anna, cli: '+46708168731', durationSeconds: 0, muted: false, onHold: false, joinedAt: expect.any(String) },
      { callId: bo, cli: '+46708425201', durationSeconds: 0, muted: false, onHold: false, joinedAt: expect.any(String) },
    ]);

    const mute = await h.call('mute_participants', { conferenceId: 'standup', callIds: [bo] });
    expect(mute.structured.result).toEqual({ conferenceId: 'standup', muted: true, succeeded: 1, failed: 0, outcomes: [{ callId: bo, ok: true }] });
    expect(mute.text).toContain('Muted 1 of 1 in standup');
    expect(last()).toMatchObject({ method: 'PATCH', path: `/calling/v1/conferences/id/standup/${bo}`, body: { command: 'mute' } });
    expect((await h.call('get_conference', { conferenceId: 'standup' })).structured.result.participants[1].muted).toBe(true);
    await h.call('unmute_participants', { conferenceId: 'standup', callIds: [bo] });
    expect(last().body).toEqual({ command: 'unmute' });

    const kick = await confirmed(h, 'kick_participant', { conferenceId: 'standup', callId: bo });
    expect(kick.structured.result).toEqual({ conferenceId: 'standup', callId: bo, kicked: true });
    expect(last()).toMatchObject({ method: 'DELETE', path: `/calling/v1/conferences/id/standup/${bo}` });
    expect((await h.call('get_call_result', { callId: bo })).structured.result.reason).toBe('MANAGERHANGUP');

    const all = await confirmed(h, 'kick_all_participants', { conferenceId: 'standup' });
    expect(all.structured.result).toEqual({ conferenceId: 'standup', kickedAll: true });
    expect(last()).toMatchObject({ method: 'DELETE', path: '/calling/v1/conferences/id/standup' });
    expect((await h.call('get_conference', { conferenceId: 'standup' })).structured.result.participants).toEqual([]);
  });

  it('conference_callout passes every option in today’s casing', async () => {
    h = await harness();
    await confirmed(h, 'conference_callout', {
      destination: '0708168731',
      defaultCountry: 'SE',
      conferenceId: 'board',
      cli: '+1 404 500 5000',
      greeting: 'Welcome',
      locale: 'sv-SE',
      mohClass: 'music2',
      maxDuration: 600,
      enableAce: true,
      enableDice: true,
      enablePie: false,
      custom: 'ticket-42',
    });
    expect(last().body).toEqual({
      method: 'conferenceCallout',
      conferenceCallout: {
        cli: '+14045005000',
        destination: { type: 'number', endpoint: '+46708168731' },
        conferenceId: 'board',
        locale: 'sv-SE',
        greeting: 'Welcome',
        mohClass: 'music2',
        maxDuration: 600,
        // The user's custom data stays in front; the join marker lets the ACE answer come from the event itself.
        custom: 'ticket-42~sinch-mcp:{"c":"board","m":"music2"}',
        enableAce: true,
        enableDice: true,
        enablePie: false,
      },
    });
  });

  it('tts_callout to an in-app username', async () => {
    h = await harness();
    await confirmed(h, 'tts_callout', { destination: 'alice', destinationType: 'username', prompts: '#tts[Hello];#href[https://example.com/a.mp3]' });
    expect(last().body).toMatchObject({ ttsCallout: { destination: { type: 'username', endpoint: 'alice' }, prompts: '#tts[Hello];#href[https://example.com/a.mp3]' } });
  });

  it('an upstream error becomes an actionable isError and the server keeps serving', async () => {
    h = await harness();
    const missing = await h.call('get_call_result', { callId: 'nosuchcall' });
    expect(missing.isError).toBe(true);
    expect(missing.text).toMatch(/404 \(errorCode 40400\).*may have ended/);
    const next = await h.call('list_numbers');
    expect(next.isError).toBeFalsy();
  });
});
