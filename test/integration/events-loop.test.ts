// The whole callback loop, locally, through the MCP client: callout -> ACE -> connectConf -> participant
// listed -> kick -> DiCE -> event seen (wait_for_call_event, resources, resource-updated notification).
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Harness, confirmed, harness } from '../helpers/mcp.js';
import { until } from '../helpers/until.js';

const PUBLIC_URL = 'https://tunnel.example.test/sinch/events';
let h: Harness;
afterEach(async () => h?.close());

describe('live call events', () => {
  it('runs the local loop end to end', async () => {
    h = await harness({ callbacksAt: PUBLIC_URL, answerAfterMs: 150, env: { SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'false' } });
    const updates: string[] = [];
    h.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      updates.push(n.params.uri);
    });

    expect((await confirmed(h, 'update_callback_urls', { primary: PUBLIC_URL })).isError).toBeFalsy();
    await h.client.subscribeResource({ uri: 'sinch://conferences/board/events' });

    const placed = await confirmed(h, 'conference_callout', { destination: '+46708168731', conferenceId: 'board', enableAce: true, enableDice: true });
    const callId = placed.structured.result.callId as string;
    // Before the ACE is answered, the caller is not in the room yet.
    expect((await h.call('get_conference', { conferenceId: 'board' })).structured.result.participants).toEqual([]);

    const ace = await h.call('wait_for_call_event', { callIds: [callId], events: ['ace'], timeoutSeconds: 5, afterSeq: 0 });
    expect(ace.structured.result).toMatchObject({ timedOut: false, events: [{ type: 'ace', callId, conferenceId: 'board' }] });
    // The receiver answered connectConf, and the sandbox obeyed: the call joined the room.
    await until(async () => (await h.call('get_conference', { conferenceId: 'board' })).structured.result.participants.length === 1, { what: 'the caller in the room' });
    expect(h.sandbox.state.calls.get(callId)?.conferenceId).toBe('board');

    const seq = ace.structured.result.events[0].seq as number;
    const waitingForDice = h.call('wait_for_call_event', { conferenceId: 'board', events: ['dice'], timeoutSeconds: 5, afterSeq: seq });
    expect((await confirmed(h, 'kick_participant', { conferenceId: 'board', callId })).isError).toBeFalsy();
    const dice = await waitingForDice;
    expect(dice.structured.result.events[0]).toMatchObject({ type: 'dice', callId, conferenceId: 'board', raw: { reason: 'MANAGERHANGUP', result: 'ANSWERED' } });
    expect(dice.text).toMatch(/^\[sandbox.*DICE for call/);

    await until(() => updates.filter((uri) => uri === 'sinch://conferences/board/events').length >= 2, { what: 'two resource-updated notifications for the room' });
    const resource = await h.client.readResource({ uri: 'sinch://conferences/board/events' });
    expect(JSON.parse((resource.contents[0] as { text: string }).text).map((e: { type: string }) => e.type)).toEqual(['ace', 'dice']);
    const recent = await h.client.readResource({ uri: 'sinch://events/recent' });
    expect(JSON.parse((recent.contents[0] as { text: string }).text)).toHaveLength(2);
    const perCall = await h.client.readResource({ uri: `sinch://calls/${callId}/events` });
    expect(JSON.parse((perCall.contents[0] as { text: string }).text)).toHaveLength(2);
  });

  it('a tts callout with ACE gets continue, and nothing is joined', async () => {
    h = await harness({ callbacksAt: PUBLIC_URL, env: { SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'true' } });
    await h.call('update_callback_urls', { primary: PUBLIC_URL });
    const placed = await h.call('tts_callout', { destination: '+46708168731', text: 'Hi', enableAce: true });
    const ace = await h.call('wait_for_call_event', { callIds: [placed.structured.result.callId], timeoutSeconds: 5, afterSeq: 0 });
    expect(ace.structured.result.events[0].type).toBe('ace');
    expect(h.sandbox.state.calls.get(placed.structured.result.callId)?.conferenceId).toBeUndefined();
  });

  it('wait_for_call_event times out cleanly and honours cancellation', async () => {
    h = await harness({ callbacksAt: PUBLIC_URL });
    h.sandbox.state.callbacks.primary = PUBLIC_URL; // events can arrive: the wait waits
    const started = Date.now();
    const none = await h.call('wait_for_call_event', { conferenceId: 'empty-room', timeoutSeconds: 1 });
    expect(none.structured.result).toMatchObject({ timedOut: true, events: [] });
    expect(none.text).toMatch(/No matching event in empty-room within 1 s/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);

    const waits = vi.spyOn(h.events!, 'waitFor');
    const controller = new AbortController();
    const pending = h.client.callTool({ name: 'wait_for_call_event', arguments: { timeoutSeconds: 60 } }, undefined, { signal: controller.signal });
    // Cancelled while the tool waits, not before it got there.
    await until(() => waits.mock.calls.length === 1, { what: 'wait_for_call_event to be waiting' });
    controller.abort();
    await expect(pending).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses a timeout over 60 s', async () => {
    h = await harness({ callbacksAt: PUBLIC_URL });
    const result = await h.call('wait_for_call_event', { timeoutSeconds: 61 });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/timeoutSeconds/);
  });
});

describe('prompts', () => {
  it('offers moderate_conference and lookup_numbers', async () => {
    h = await harness();
    const prompts = (await h.client.listPrompts()).prompts.map((p) => p.name).sort();
    expect(prompts).toEqual(['lookup_numbers', 'moderate_conference']);
    const moderate = await h.client.getPrompt({ name: 'moderate_conference', arguments: { conferenceId: 'board' } });
    const text = (moderate.messages[0]!.content as { text: string }).text;
    expect(text).toContain('"board"');
    expect(text).toMatch(/get_conference/);
    expect(text).toMatch(/wait for my explicit yes/);
    const lookup = await h.client.getPrompt({ name: 'lookup_numbers', arguments: { text: 'Call Anna on 070-816 87 31' } });
    expect((lookup.messages[0]!.content as { text: string }).text).toMatch(/lookup_number[\s\S]*070-816 87 31/);
  });
});
