// Labels a chat can trust (issue 19): one live call per label in a room, checked against Sinch; a label or except
// entry that names nobody live is refused with the candidates; labels in the call tools too.
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, harness } from '../helpers/mcp.js';
import { joinRoom } from '../helpers/rooms.js';

const SKIP = { SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'true' };
let h: Harness;
afterEach(async () => h?.close());

const join = (conferenceId: string, destination: string, label?: string) => joinRoom(h, conferenceId, destination, label);

const writes = () => h.sent().filter((line) => !line.startsWith('GET'));

describe('a label stays unique among the live calls of a room', () => {
  it('a call still ringing holds its label (Sinch says ONGOING); once it has ended, the label moves', async () => {
    h = await harness({ env: SKIP, answerAfterMs: 60_000 });
    const ringing = await join('board', '+46708168731', 'Sam');
    const before = h.sent().length;
    const refused = await h.call('conference_callout', { destination: '+46708425201', conferenceId: 'board', label: 'Sam' });
    expect(refused.text).toContain(`label "Sam" is taken in board by "Sam" (callId ${ringing}, +46708168731), whose call is still live; give another label, e.g. "Sam 2"`);
    // Checked against Sinch, not assumed: the room (nobody in it yet), then the holder's call; no callout.
    expect(h.sent().slice(before)).toEqual(['GET /calling/v1/conferences/id/board', `GET /calling/v1/calls/id/${ringing}`]);

    h.sandbox.state.endCall(h.sandbox.state.calls.get(ringing)!, 'CALLEEHANGUP');
    const second = await join('board', '+46708425201', 'Sam');
    expect((await h.calls.get(ringing))?.label).toBeUndefined();
    expect((await h.call('get_call_result', { label: 'sam' })).structured.result).toMatchObject({ callId: second, label: 'Sam' });
  });

  it('suggests a label nobody in the room has', async () => {
    h = await harness({ env: SKIP });
    await join('board', '+46708168731', 'Sam');
    await join('board', '+46708425201', 'Sam 2');
    expect((await h.call('conference_callout', { destination: '+46730170101', conferenceId: 'board', label: 'Sam' })).text).toContain('e.g. "Sam 3"');
    expect((await h.call('conference_callout', { destination: '+46730170101', conferenceId: 'board', label: 'sam 2' })).text).toContain('e.g. "sam 3"');
    // The same label in another room is another person.
    await join('other', '+46730170101', 'Sam');
  });

  it('when Sinch cannot say whether the holder is live, nobody is called', async () => {
    h = await harness({ env: SKIP });
    await join('board', '+46708168731', 'Sam');
    h.sandbox.faults.add({ kind: 'status', status: 503 }, { method: 'GET', times: 5 });
    const refused = await h.call('conference_callout', { destination: '+46708425201', conferenceId: 'board', label: 'Sam' });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain('Simulated 503 (while checking whether label "Sam" is free in board; nobody was called)');
    expect(writes().filter((line) => line.startsWith('POST'))).toHaveLength(1);
  });
});

describe('a label or except entry that names nobody live is refused with the candidates', () => {
  it('mute everyone but the host, when the host has left: refused, nobody muted', async () => {
    h = await harness({ env: SKIP });
    const host = await join('board', '+46708168731', 'host');
    const anna = await join('board', '+46708425201', 'Anna');
    h.sandbox.state.endCall(h.sandbox.state.calls.get(host)!, 'CALLEEHANGUP');
    const before = writes().length;

    const muted = await h.call('mute_participants', { conferenceId: 'board', all: true, except: ['host'] });
    expect(muted.isError).toBe(true);
    expect(muted.text).toContain(`except: label "host" names call ${host}, which is no longer in board; nobody was muted. In the room now: "Anna" (callId ${anna}).`);
    expect(writes()).toHaveLength(before);
    expect(h.sandbox.state.calls.get(anna)!.muted).toBe(false);
  });

  it('labels, hold and kick by the label of a call that has left: refused, naming who is in the room', async () => {
    h = await harness({ env: SKIP });
    const anna = await join('board', '+46708168731', 'Anna');
    const bob = await join('board', '+46708425201');
    h.sandbox.state.endCall(h.sandbox.state.calls.get(anna)!, 'CALLEEHANGUP');
    const before = writes().length;

    const unmuted = await h.call('unmute_participants', { conferenceId: 'board', labels: ['Anna'] });
    expect(unmuted.text).toContain(`labels: label "Anna" names call ${anna}, which is no longer in board; nobody was unmuted. In the room now: +46708425201 (callId ${bob}).`);
    for (const tool of ['hold_participant', 'resume_participant', 'kick_participant']) {
      const refused = await h.call(tool, { conferenceId: 'board', label: 'anna' });
      expect(refused.text, tool).toContain(`label: label "Anna" names call ${anna}, which is no longer in board. In the room now: +46708425201 (callId ${bob}).`);
    }
    expect(writes()).toHaveLength(before);
  });
});

describe('labels in the call tools', () => {
  it('get_call_result, manage_call and hangup_call take a label instead of the callId', async () => {
    h = await harness({ env: SKIP });
    const anna = await join('board', '+46708168731', 'Anna');
    const told = (await h.call('tts_callout', { destination: '+46708425201', text: 'hi', label: 'Bob' })).structured.result.callId;

    expect((await h.call('get_call_result', { label: 'anna' })).structured.result).toMatchObject({ callId: anna, label: 'Anna', status: 'ONGOING' });
    const said = await h.call('manage_call', { label: 'Bob', action: 'continue', instructions: [{ name: 'say', text: 'One moment' }] });
    expect(said.text).toContain('Bob (');
    expect(h.sent().at(-1)).toBe(`PATCH /calling/v1/calls/id/${told}`);
    const hungUp = await h.call('hangup_call', { label: 'Anna', conferenceId: 'board' });
    expect(hungUp.structured.result).toEqual({ callId: anna, hungUp: true });
    expect(hungUp.text).toContain('Hung up Anna (call ');
  });

  it('the same label in two rooms needs conferenceId; a wrong or extra field is refused before anything is sent', async () => {
    h = await harness({ env: SKIP });
    const inBoard = await join('board', '+46708168731', 'Anna');
    const inSales = await join('sales', '+46708425201', 'Anna');
    const sent = h.sent().length;

    const ambiguous = await h.call('hangup_call', { label: 'Anna' });
    expect(ambiguous.text).toContain(`label "Anna" names several calls: "Anna" in board (callId ${inBoard}), "Anna" in sales (callId ${inSales}); add conferenceId, or pass the callId.`);
    expect((await h.call('get_call_result', { label: 'Anna', conferenceId: 'sales' })).structured.result.callId).toBe(inSales);
    expect((await h.call('get_call_result', { label: 'Bob' })).text).toMatch(/label "Bob": no call has it\. Known labels: "Anna" in sales .*, "Anna" in board /);
    expect((await h.call('get_call_result', { label: 'Anna', conferenceId: 'other' })).text).toMatch(/nobody in other has it/);
    expect((await h.call('get_call_result', { callId: inBoard, label: 'Anna' })).text).toContain('Give the callId or a label (exactly one).');
    expect((await h.call('get_call_result', {})).text).toContain('Give the callId or a label (exactly one).');
    expect((await h.call('get_call_result', { callId: inBoard, conferenceId: 'board' })).text).toContain('conferenceId only goes with label');
    expect(h.sent()).toHaveLength(sent + 1);
  });
});
