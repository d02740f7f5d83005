// Moderation a chat can drive: labels instead of call ids, many participants in one call with one outcome
// each, hold and resume reflected in get_conference.
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, harness } from '../helpers/mcp.js';
import { joinRoom } from '../helpers/rooms.js';

const SKIP = { SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'true' };
let h: Harness;
afterEach(async () => h?.close());

const join = (conferenceId: string, destination: string, label?: string) => joinRoom(h, conferenceId, destination, label);

describe('labels', () => {
  it('show next to the number in get_conference and the callout result, and name participants for every moderation tool', async () => {
    h = await harness({ env: SKIP });
    const placed = await h.call('conference_callout', { destination: '+46708168731', conferenceId: 'board', label: 'Anna' });
    expect(placed.structured.result).toMatchObject({ label: 'Anna', conferenceId: 'board' });
    expect(placed.text).toContain('Calling Anna (');
    const anna = placed.structured.result.callId as string;
    const host = await join('board', '+46708425201', 'host');

    const room = await h.call('get_conference', { conferenceId: 'board' });
    expect(room.structured.result.participants.map((p: { callId: string; label?: string }) => [p.callId, p.label])).toEqual([
      [anna, 'Anna'],
      [host, 'host'],
    ]);
    expect(room.text).toMatch(/Anna \+46708168731 \(/);

    expect((await h.call('hold_participant', { conferenceId: 'board', label: 'anna', moh: 'music3' })).structured.result).toEqual({ conferenceId: 'board', callId: anna, label: 'Anna', onHold: true });
    expect(h.sandbox.requests.at(-1)!.body).toEqual({ command: 'onhold', moh: 'music3' });
    expect(h.sandbox.state.calls.get(anna)?.moh).toBe('music3');
    const held = await h.call('get_conference', { conferenceId: 'board' });
    expect(held.structured.result.participants[0]).toMatchObject({ label: 'Anna', onHold: true });
    expect(held.text).toContain('on hold');
    await h.call('resume_participant', { conferenceId: 'board', label: 'Anna' });
    expect(h.sandbox.requests.at(-1)!.body).toEqual({ command: 'resume' });
    expect((await h.call('get_conference', { conferenceId: 'board' })).structured.result.participants[0].onHold).toBe(false);

    const kicked = await h.call('kick_participant', { conferenceId: 'board', label: 'host' });
    expect(kicked.structured.result).toEqual({ conferenceId: 'board', callId: host, label: 'host', kicked: true });
    expect(h.sent().at(-1)).toBe(`DELETE /calling/v1/conferences/id/board/${host}`);
  });

  it('refuses unknown labels, and a label taken by a live call, listing the candidates, before any write is sent', async () => {
    h = await harness({ env: SKIP });
    const first = await join('board', '+46708168731', 'Anna');
    await join('board', '+46730170101', 'host');
    const writes = () => h.sent().filter((line) => !line.startsWith('GET'));
    const sent = writes().length;

    // Issue 19: a label is unique among the live calls of a room, whatever its case (it used to be given twice).
    const taken = await h.call('conference_callout', { destination: '+46708425201', conferenceId: 'board', label: 'anna' });
    expect(taken.isError).toBe(true);
    expect(taken.text).toContain(`label "anna" is taken in board by "Anna" (callId ${first}, +46708168731), whose call is still live; give another label, e.g. "anna 2", or end that call first.`);
    const unknown = await h.call('hold_participant', { conferenceId: 'board', label: 'Bob' });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toMatch(/label "Bob": nobody in board has it\. Known labels: "Anna", "host"\./);
    // Labels belong to a room: "host" elsewhere is unknown.
    expect((await h.call('kick_participant', { conferenceId: 'other', label: 'host' })).text).toMatch(/nobody in other has it/);
    expect(writes()).toHaveLength(sent);
  });

  it('a label taken again in the same room is refused while its call is live, and moves once that call has ended', async () => {
    h = await harness({ env: SKIP });
    const first = await join('board', '+46708168731', 'Anna');
    const refused = await h.call('conference_callout', { destination: '+46708168731', conferenceId: 'board', label: 'Anna' });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain(`by "Anna" (callId ${first}, +46708168731), whose call is still live; give another label, e.g. "Anna 2"`);
    // Issue 19: it used to move to the new call at once, while the first Anna was still on the line.
    const hungUp = await h.call('hangup_call', { label: 'Anna' });
    expect(hungUp.isError, hungUp.text).toBeFalsy();
    expect(hungUp.structured.result).toEqual({ callId: first, hungUp: true });
    // Called back on her other phone (the same number within minutes would be a possible repeat: repeats.test.ts).
    const again = await join('board', '+46708168732', 'Anna');
    expect((await h.call('unmute_participants', { conferenceId: 'board', labels: ['Anna'] })).structured.result.outcomes).toEqual([{ callId: again, label: 'Anna', ok: true }]);
  });

  it('events carry the label', async () => {
    // Sinch's ACE comes after ringing; by then the callout's label is in the call state.
    h = await harness({ callbacksAt: 'https://tunnel.example.test/sinch/events', answerAfterMs: 200, env: SKIP });
    await h.call('update_callback_urls', { primary: 'https://tunnel.example.test/sinch/events' });
    const callId = (await h.call('conference_callout', { destination: '+46708168731', conferenceId: 'board', label: 'Anna', enableAce: true })).structured.result.callId;
    const ace = await h.call('wait_for_call_event', { callIds: [callId], events: ['ace'], timeoutSeconds: 5, afterSeq: 0 });
    expect(ace.structured.result.events[0]).toMatchObject({ label: 'Anna', conferenceId: 'board' });
    expect(ace.structured.result.events[0].summary).toMatch(/^Anna: call answered/);
  });
});

describe('many at once', () => {
  it('mutes everyone but the host in a 30-participant room in one tool call, one outcome each', async () => {
    h = await harness({ env: { ...SKIP, SINCH_MAX_CALLOUTS_PER_MINUTE: '100' } });
    const host = await join('big', '+46708168700', 'host');
    const others: string[] = [];
    for (let i = 1; i < 30; i++) others.push(await join('big', `+467081687${String(i).padStart(2, '0')}`, `p${i}`));
    const before = h.sent().length;

    const muted = await h.call('mute_participants', { conferenceId: 'big', all: true, except: ['host'] });
    expect(muted.isError, muted.text).toBeFalsy();
    expect(muted.structured.result).toMatchObject({ conferenceId: 'big', muted: true, succeeded: 29, failed: 0 });
    expect(muted.structured.result.outcomes.map((o: { callId: string }) => o.callId)).toEqual(others);
    expect(muted.structured.result.outcomes[0]).toEqual({ callId: others[0], label: 'p1', ok: true });
    expect(muted.text).toContain('Muted 29 of 29 in big');
    // One read of the room, then one command per participant.
    expect(h.sent().slice(before)).toHaveLength(30);
    const room = (await h.call('get_conference', { conferenceId: 'big' })).structured.result.participants as Array<{ callId: string; muted: boolean }>;
    expect(room.filter((p) => p.muted).map((p) => p.callId)).toEqual(others);
    expect(room.find((p) => p.callId === host)?.muted).toBe(false);
    // The audit's outcome line lists every request the one tool call sent (sent concurrently: order aside).
    const outcome = h.audit.filter((entry) => entry.tool === 'mute_participants' && entry.phase === 'outcome').at(-1)!;
    expect([...outcome.sent!].sort()).toEqual(h.sent().slice(before, before + 30).map((line) => line.replace(' /calling/v1/', ' /')).sort());
  });

  it('names partial failures instead of hiding them', async () => {
    h = await harness({ env: SKIP });
    const anna = await join('board', '+46708168731', 'Anna');
    const bo = await join('board', '+46708425201', 'Bo');
    const cy = await join('board', '+46730170101');
    h.sandbox.faults.add({ kind: 'status', status: 500 }, { method: 'PATCH', path: bo });
    const result = await h.call('mute_participants', { conferenceId: 'board', callIds: [anna, bo, cy] });
    expect(result.isError).toBeFalsy();
    expect(result.structured.result).toMatchObject({ succeeded: 2, failed: 1 });
    expect(result.structured.result.outcomes).toEqual([
      { callId: anna, label: 'Anna', ok: true },
      { callId: bo, label: 'Bo', ok: false, error: '500: Simulated 500' },
      { callId: cy, ok: true },
    ]);
    expect(result.text).toMatch(/Muted 2 of 3 in board; FAILED for 1: Bo \(.*500: Simulated 500\)/);
  });

  it('refuses an except entry that is neither a label nor a participant, muting nobody', async () => {
    h = await harness({ env: SKIP });
    await join('board', '+46708168731', 'Anna');
    const result = await h.call('mute_participants', { conferenceId: 'board', all: true, except: ['hsot'] });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/except: "hsot" is neither a label nor a participant’s callId in board; nobody was muted/);
    expect(h.sent().filter((line) => line.startsWith('PATCH'))).toEqual([]);
  });
});
