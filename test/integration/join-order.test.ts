// "Kick whoever joined last" (issue 19): get_conference lists the room first joined first, with join times, from
// the connected seconds Sinch reports (dial-ins too) and, within one second, the order this server placed its calls.
// The conference console (app_conference) shows the same order.
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, VIEWS_CLIENT, harness } from '../helpers/mcp.js';
import { joinRoom } from '../helpers/rooms.js';

const SKIP = { SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'true' };
let h: Harness;
afterEach(async () => h?.close());

const join = (destination: string, label: string) => joinRoom(h, 'board', destination, label);

type Row = { callId: string; label?: string; joinedAt: string; durationSeconds: number };

describe('join order and time', () => {
  it('a dial-in this server never saw, then Anna, then Bob; whoever joined last is kicked in two tool calls', async () => {
    h = await harness({ env: SKIP });
    const dialIn = h.sandbox.state.createCall({ kind: 'conference', cli: '+46730170101', destination: { type: 'number', endpoint: '+46730170101' }, conferenceId: 'board', ratePerMinute: 0.01 });
    dialIn.answerAt -= 30_000;
    const anna = await join('+46708168731', 'Anna');
    h.sandbox.state.calls.get(anna)!.answerAt -= 10_000;
    const bob = await join('+46708425201', 'Bob');
    const calls = h.audit.length;

    const room = await h.call('get_conference', { conferenceId: 'board' });
    const rows = room.structured.result.participants as Row[];
    expect(rows.map((p) => p.callId)).toEqual([dialIn.callId, anna, bob]);
    // Real time passes while the calls are placed (seconds, on a busy machine): at least the head start, barely more.
    rows.forEach((row, i) => expect(row.durationSeconds - [30, 10, 0][i]!).toBeOneOf([0, 1, 2]));
    for (const [row, secondsAgo] of rows.map((p, i) => [p, [30, 10, 0][i]!] as const)) {
      expect(Math.abs(Date.now() - secondsAgo * 1000 - Date.parse(row.joinedAt))).toBeLessThan(2_000);
    }
    expect(room.text).toContain('first joined first: +46730170101');

    const last = rows.at(-1)!;
    const kicked = await h.call('kick_participant', { conferenceId: 'board', callId: last.callId });
    expect(kicked.structured.result).toEqual({ conferenceId: 'board', callId: bob, label: 'Bob', kicked: true });
    expect(h.sandbox.state.view(h.sandbox.state.calls.get(bob)!).state).toBe('ended');
    // Two tool calls: the read and the kick (the audit has the kick's intent and outcome only).
    expect(h.audit.slice(calls).map((line) => [line.tool, line.phase])).toEqual([
      ['kick_participant', 'intent'],
      ['kick_participant', 'outcome'],
    ]);
  });

  it('within one second, the calls this server placed go in the order it placed them, whatever order Sinch lists; the console agrees', async () => {
    h = await harness({ env: SKIP, capabilities: VIEWS_CLIENT, views: true });
    const anna = await join('+46708168731', 'Anna');
    const bob = await join('+46708425201', 'Bob');
    const { calls } = h.sandbox.state;
    calls.get(bob)!.answerAt = calls.get(anna)!.answerAt;
    // Sinch lists Bob first.
    const first = calls.get(anna)!;
    calls.delete(anna);
    calls.set(anna, first);

    const listed = (await h.call('get_conference', { conferenceId: 'board' })).structured.result.participants as Row[];
    expect(listed.map((p) => p.label)).toEqual(['Anna', 'Bob']);
    const consoleRows = (await h.call('app_conference', { conferenceId: 'board' })).structured.result.participants as Array<Row & { order: number }>;
    expect(consoleRows.map((p) => [p.order, p.callId])).toEqual([
      [1, anna],
      [2, bob],
    ]);
  });
});
