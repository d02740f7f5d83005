import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/sinch/errors.js';
import { endpoints } from '../../src/sinch/endpoints.js';
import { pathSegment } from '../../src/sinch/paths.js';

const HOSTILE = ['../configuration/numbers', 'a/b', '%2e%2e%2f', '%2f', 'x?y=1', '#', 'a#b', 'line\nbreak', 'tab\t', '..', '.', '', ' ', 'x'.repeat(5000), 'аbc' /* Cyrillic a */, 'ａｂｃ', 'a\u0000b', 'a b'];

describe('path segments', () => {
  it.each(HOSTILE)('refuses %j as callId and conferenceId', (value) => {
    expect(() => pathSegment('callId', value)).toThrow(InputError);
    expect(() => pathSegment('conferenceId', value)).toThrow(InputError);
    expect(() => endpoints.getCall(value)).toThrow(/callId: .* is not allowed here; expected/);
  });

  it('accepts the ids the API uses', () => {
    expect(pathSegment('callId', '4398599d1ba84ef3bde0a82dfb61abed')).toBe('4398599d1ba84ef3bde0a82dfb61abed');
    expect(pathSegment('callId', '822aa4b7-05b4-4d83-87c7-1f835ee0b6f6_257')).toBe('822aa4b7-05b4-4d83-87c7-1f835ee0b6f6_257');
    expect(pathSegment('conferenceId', 'my_conference_room_id')).toBe('my_conference_room_id');
    expect(pathSegment('applicationKey', '11983f76-12c8-1111-9515-4785c7b49ca8')).toBe('11983f76-12c8-1111-9515-4785c7b49ca8');
    expect(pathSegment('number', '+46730170101')).toBe('+46730170101');
  });

  it('refuses non-E.164 numbers in the query path and names the field', () => {
    expect(() => endpoints.queryNumber('+46(0)73-017-0101')).toThrow(/^number: .* expected an E\.164 number/);
  });

  it('builds today’s paths and bodies', () => {
    expect(endpoints.manageParticipant('room', 'abc', 'mute')).toEqual({
      base: 'calling',
      method: 'PATCH',
      path: '/conferences/id/room/abc',
      body: { command: 'mute' },
    });
    expect(endpoints.unassignNumber('+46730170101', 'key-1', 'voice').body).toEqual({ number: '+46730170101', applicationkey: 'key-1', capability: 'voice' });
    expect(endpoints.manageCall('abc', { action: { name: 'continue' } }, 'callee').path).toBe('/calls/id/abc/leg/callee');
    expect(endpoints.queryNumber('+46730170101')).toMatchObject({ base: 'management', path: '/calling/query/number/+46730170101' });
  });
});
