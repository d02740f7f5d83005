// "Tell me when they join" must never lose anyone: each session is given every matching event once (its own
// cursor), `all` waits for every listed call, and without a public callback URL the server watches Sinch at a
// bounded rate shared by every waiter. Driven through the MCP client against the sandbox, in both event modes.
import { afterEach, describe, expect, it } from 'vitest';
import { type CallResult, type Harness, harness } from '../helpers/mcp.js';
import { until } from '../helpers/until.js';

const PUBLIC_URL = 'https://tunnel.example.test/sinch/events';
const UNATTENDED = { SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'true', SINCH_MAX_CALLOUTS_PER_MINUTE: '100' };
type Mode = 'receiver' | 'watching';

let h: Harness;
afterEach(async () => h?.close());

async function start(mode: Mode, answerAfterMs = 100): Promise<Harness> {
  const started = await harness({ answerAfterMs, env: UNATTENDED, ...(mode === 'receiver' ? { callbacksAt: PUBLIC_URL } : {}) });
  if (mode === 'receiver') expect((await started.call('update_callback_urls', { primary: PUBLIC_URL })).isError).toBeFalsy();
  return started;
}

async function callInto(room: string, label: string, number: string): Promise<string> {
  const placed = await h.call('conference_callout', { destination: number, conferenceId: room, label });
  expect(placed.isError, placed.text).toBeFalsy();
  return placed.structured.result.callId as string;
}

/** The events' callIds of one answer, in order. */
const callIdsOf = (answer: CallResult): string[] => answer.structured.result.events.map((event: { callId: string }) => event.callId);

describe('waiting for call events', () => {
  it.each<Mode>(['receiver', 'watching'])('the server instructions say how events arrive (%s)', async (mode) => {
    h = await start(mode);
    expect(h.client.getInstructions()).toMatch(mode === 'receiver' ? /Sinch calls this server back/ : /no callback URL is set, so wait_for_call_event watches Sinch/);
  });

  it.each<Mode>(['receiver', 'watching'])('returns a join that came during another wait to the next wait (%s)', async (mode) => {
    h = await start(mode);
    const anna = await callInto('sales-weekly', 'Anna', '+46708168731');
    const bob = await callInto('sales-weekly', 'Bob', '+46708168732');

    const first = await h.call('wait_for_call_event', { callIds: ['Anna'], events: ['ace'], timeoutSeconds: 10 });
    expect(callIdsOf(first)).toEqual([anna]);
    expect(first.structured.result).toMatchObject({ timedOut: false, events: [{ label: 'Anna', conferenceId: 'sales-weekly' }] });
    // Bob joins (or has joined) while nobody waits for him; the next wait returns him without any afterSeq.
    await until(() => h.events!.list({ callId: bob }, 10).some((event) => event.type === 'ace') || mode === 'watching', { what: "Bob's ACE" });
    const second = await h.call('wait_for_call_event', { callIds: ['Bob'], events: ['ace'], timeoutSeconds: 10 });
    expect(callIdsOf(second)).toEqual([bob]);
    expect(second.structured.result.nextAfterSeq).toBeGreaterThanOrEqual(second.structured.result.events[0].seq);
    // What was given is not given again: a wait for both now has nothing new.
    const again = await h.call('wait_for_call_event', { callIds: ['Anna', 'Bob'], events: ['ace'], timeoutSeconds: 1 });
    expect(again.structured.result).toMatchObject({ events: [], timedOut: true });
    expect(again.text).toMatch(/No matching event for Anna, Bob within 1 s/);
  });

  it.each<Mode>(['receiver', 'watching'])('"tell me when Anna and Bob join" is one wait with all: true (%s)', async (mode) => {
    h = await start(mode);
    const anna = await callInto('board', 'Anna', '+46708168731');
    const bob = await callInto('board', 'Bob', '+46708168732');
    const joined = await h.call('wait_for_call_event', { callIds: ['Anna', 'Bob'], events: ['ace'], all: true, timeoutSeconds: 10 });
    expect(joined.structured.result.timedOut).toBe(false);
    expect(callIdsOf(joined).sort()).toEqual([anna, bob].sort());
    expect(joined.structured.result.missing).toBeUndefined();
  });

  it('on timeout, all: true names who is still missing and returns those who came', async () => {
    h = await start('watching');
    const anna = await callInto('board', 'Anna', '+46708168731');
    const bob = await callInto('board', 'Bob', '+46708168732');
    // Bob does not pick up.
    h.sandbox.state.calls.get(bob)!.answerAt = Number.MAX_SAFE_INTEGER;
    const partial = await h.call('wait_for_call_event', { callIds: ['Anna', 'Bob'], events: ['ace'], all: true, timeoutSeconds: 3 });
    expect(partial.structured.result).toMatchObject({ timedOut: true, missing: ['Bob'] });
    expect(callIdsOf(partial)).toEqual([anna]);
    expect(partial.text).toMatch(/Still missing after 3 s: Bob/);
  });

  it('refuses all: true without callIds, and a name that is neither a label nor a callId', async () => {
    h = await start('watching');
    const all = await h.call('wait_for_call_event', { conferenceId: 'board', all: true });
    expect(all.isError).toBe(true);
    expect(all.text).toMatch(/all: true needs callIds/);
    await callInto('board', 'Anna', '+46708168731');
    // Zed is no label here, and Sinch knows no call of that id (one read): refused at once, with the labels there are.
    const unknown = await h.call('wait_for_call_event', { callIds: ['Zed'] });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toMatch(/callIds: "Zed" is neither a label this server gave nor a call Sinch knows\. Labels given: "Anna"\./);
  });

  it('with a receiver, a wait that cannot succeed says why at once instead of timing out', async () => {
    h = await start('receiver');
    const placed = await h.call('tts_callout', { destination: '+46708168731', text: 'Hi', enableAce: false, enableDice: false });
    const silent = await h.call('wait_for_call_event', { callIds: [placed.structured.result.callId], events: ['ace'], timeoutSeconds: 30 });
    expect(silent.isError).toBe(true);
    expect(silent.text).toMatch(/placed without ACE events/);

    expect((await h.call('update_callback_urls', { primary: 'https://elsewhere.example.test/hook' })).isError).toBeFalsy();
    const elsewhere = await h.call('wait_for_call_event', { conferenceId: 'board', timeoutSeconds: 30 });
    expect(elsewhere.isError).toBe(true);
    expect(elsewhere.text).toMatch(/sends this application's call events to https:\/\/elsewhere\.example\.test\/hook, not to this server/);
  });

  it('with a receiver, callouts ask Sinch for ACE and DiCE unless told otherwise', async () => {
    h = await start('receiver');
    await callInto('board', 'Anna', '+46708168731');
    await h.call('tts_callout', { destination: '+46708168732', text: 'Hi', enableDice: false });
    const bodies = h.sandbox.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/callouts')).map((r) => r.body as Record<string, any>);
    expect(bodies[0]!.conferenceCallout).toMatchObject({ enableAce: true, enableDice: true });
    expect(bodies[1]!.ttsCallout).toMatchObject({ enableAce: true, enableDice: false });
  });

  it.each<Mode>(['receiver', 'watching'])('30 callouts into one room while two sessions wait: each session gets all 30 joins, once (%s)', async (mode) => {
    h = await start(mode);
    const other = await h.session();
    const room = 'town-hall';
    const collect = async (call: Harness['call']) => {
      const seen: string[] = [];
      for (let rounds = 0; new Set(seen).size < 30 && rounds < 40; rounds += 1) {
        seen.push(...callIdsOf(await call('wait_for_call_event', { conferenceId: room, events: ['ace'], timeoutSeconds: 5 })));
      }
      return seen;
    };
    const waiters = [collect(h.call), collect(other.call)];
    const startedAt = Date.now();
    const placed: string[] = [];
    for (let i = 0; i < 30; i += 1) placed.push(await callInto(room, `Guest ${i + 1}`, `+467081687${String(i).padStart(2, '0')}`));
    const [first, second] = await Promise.all(waiters);
    const elapsedMs = Date.now() - startedAt;
    for (const seen of [first!, second!]) {
      expect(seen.slice().sort()).toEqual(placed.slice().sort());
      expect(new Set(seen).size).toBe(seen.length);
    }
    if (mode === 'watching') {
      // One read of the room per 2 s however many wait (and the first at once): never one per waiter or per round.
      const reads = h.sandbox.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/conferences/id/${room}`)).length;
      expect(reads).toBeGreaterThan(0);
      expect(reads).toBeLessThanOrEqual(Math.floor(elapsedMs / 2_000) + 1);
    }
  });

  it('watching: a call and a room are each read at most once per 2 s, however many wait on them', async () => {
    h = await start('watching', 60_000);
    const anna = await callInto('board', 'Anna', '+46708168731');
    const startedAt = Date.now();
    // Five waits on Anna (by label and callId) and three on her room, from two sessions, all timing out.
    const other = await h.session();
    const waits = [
      ...[h.call, other.call].flatMap((call) => [call('wait_for_call_event', { callIds: ['Anna'], timeoutSeconds: 3 }), call('wait_for_call_event', { callIds: [anna], timeoutSeconds: 3 })]),
      h.call('wait_for_call_event', { callIds: ['Anna'], events: ['dice'], timeoutSeconds: 3 }),
      ...[1, 2, 3].map(() => other.call('wait_for_call_event', { conferenceId: 'board', timeoutSeconds: 3 })),
    ];
    for (const answer of await Promise.all(waits)) expect(answer.structured.result.timedOut).toBe(true);
    const elapsedMs = Date.now() - startedAt;
    const bound = Math.floor(elapsedMs / 2_000) + 1;
    const callReads = h.sandbox.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/calls/id/${anna}`)).length;
    const roomReads = h.sandbox.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/conferences/id/board')).length;
    expect(callReads).toBeGreaterThan(0);
    expect(callReads).toBeLessThanOrEqual(bound);
    expect(roomReads).toBeGreaterThan(0);
    expect(roomReads).toBeLessThanOrEqual(bound);
  });

  it('watching: a call that ends is reported as DiCE with its reason', async () => {
    h = await start('watching');
    const anna = await callInto('board', 'Anna', '+46708168731');
    await h.call('wait_for_call_event', { callIds: ['Anna'], events: ['ace'], timeoutSeconds: 10 });
    expect((await h.call('kick_participant', { conferenceId: 'board', label: 'Anna' })).isError).toBeFalsy();
    const ended = await h.call('wait_for_call_event', { callIds: ['Anna'], events: ['dice'], timeoutSeconds: 10 });
    expect(ended.structured.result.events).toMatchObject([{ type: 'dice', callId: anna, label: 'Anna', raw: { watched: true } }]);
  });
});
