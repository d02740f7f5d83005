// The approval card (MCP Apps): a person decides in a view in the chat, through app-only tools the model cannot
// call. Here the test plays the view (it calls what the card calls) against the real server in memory, with the
// sandbox's request counts as the truth about what was sent. The real view in a real host: test/e2e/views-browser.
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, VIEWS_CLIENT, harness } from '../helpers/mcp.js';
import { until } from '../helpers/until.js';

let h: Harness;
afterEach(async () => h?.close());

const ROOM = { conferenceId: 'card-room' };

function seedRoom(room = ROOM.conferenceId): void {
  h.sandbox.state.createCall({ kind: 'conference', cli: '+14045005000', destination: { type: 'number', endpoint: '+46708168731' }, conferenceId: room, ratePerMinute: 0.01 });
}

/** What the card does first: fetch the action waiting for it. */
async function openCard(lookup: Record<string, unknown> = { tool: 'kick_all_participants', arguments: ROOM }) {
  const opened = await h.call('app_approval', lookup);
  expect(opened.isError, opened.text).toBeFalsy();
  return opened.structured.result as { found: boolean; approval?: { id: string; key: string; title: string; facts: string[]; state: string } };
}

const deletes = () => h.sent().filter((line) => line.startsWith('DELETE'));

describe('the approval card, shown while the call runs', () => {
  it('Approve: the waiting call sends exactly one request and answers done; audited as confirmedBy app', async () => {
    h = await harness({ capabilities: VIEWS_CLIENT, views: true });
    seedRoom();
    const pending = h.call('kick_all_participants', ROOM);
    const { approval } = await until(async () => { const card = await openCard(); return card.found && card; }, { what: 'the card to be waiting' });
    expect(approval!.title).toBe('End a conference');
    expect(approval!.facts[0]).toMatch(/Sandbox: nothing real happens/);
    expect(deletes()).toEqual([]);
    const decided = await h.call('app_decide', { id: approval!.id, key: approval!.key, decision: 'approve' });
    expect(decided.structured.result).toMatchObject({ outcome: 'approved', delivered: 'waiting_call' });
    const result = await pending;
    expect(result.structured.status).toBe('done');
    expect(deletes()).toHaveLength(1);
    expect(h.audit.filter((line) => line.phase === 'intent').map((line) => line.confirmedBy)).toEqual(['app']);
    // Single use: the same decision again changes nothing and sends nothing.
    const again = await h.call('app_decide', { id: approval!.id, key: approval!.key, decision: 'approve' });
    expect(again.structured.result.outcome).toBe('decided');
    expect(deletes()).toHaveLength(1);
  });

  it('Deny: the call answers declined and nothing is sent', async () => {
    h = await harness({ capabilities: VIEWS_CLIENT, views: true });
    seedRoom();
    const pending = h.call('kick_all_participants', ROOM);
    const { approval } = await until(async () => { const card = await openCard(); return card.found && card; }, { what: 'the card' });
    await h.call('app_decide', { id: approval!.id, key: approval!.key, decision: 'deny' });
    expect((await pending).structured.status).toBe('declined');
    expect(h.sent()).toEqual([]);
  });

  it('a wrong key, or a card of another session, decides nothing', async () => {
    h = await harness({ capabilities: VIEWS_CLIENT, views: true });
    seedRoom();
    const pending = h.call('kick_all_participants', ROOM);
    const { approval } = await until(async () => { const card = await openCard(); return card.found && card; }, { what: 'the card' });
    const forged = await h.call('app_decide', { id: approval!.id, key: `${approval!.key.slice(0, -1)}A`, decision: 'approve' });
    expect(forged.structured.result.outcome).toBe('refused');

    // Another session (another chat) neither sees this card nor can decide it with its id and key.
    const other = await harness({ capabilities: VIEWS_CLIENT, views: true });
    try {
      expect((await other.call('app_approval', { tool: 'kick_all_participants', arguments: ROOM })).structured.result).toEqual({ found: false });
      expect((await other.call('app_decide', { id: approval!.id, key: approval!.key, decision: 'approve' })).structured.result.outcome).toBe('refused');
    } finally {
      await other.close();
    }
    expect(deletes()).toEqual([]);
    await h.call('app_decide', { id: approval!.id, key: approval!.key, decision: 'deny' });
    expect((await pending).structured.status).toBe('declined');
  });

  it('no decision before SINCH_CONFIRM_TIMEOUT_MS: nothing is sent, and a late Approve changes nothing', async () => {
    h = await harness({ capabilities: VIEWS_CLIENT, views: true, env: { SINCH_CONFIRM_TIMEOUT_MS: '1000' } });
    seedRoom();
    const pending = h.call('kick_all_participants', ROOM);
    const { approval } = await until(async () => { const card = await openCard(); return card.found && card; }, { what: 'the card' });
    const result = await pending;
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/No decision in the approval card within 1 s/);
    const late = await h.call('app_decide', { id: approval!.id, key: approval!.key, decision: 'approve' });
    expect(late.structured.result.outcome).toBe('expired');
    expect(h.sent()).toEqual([]);
  });
});

describe('the approval card, shown only once the call has returned', () => {
  it('the call answers confirmation_required with no token; Approve in the card sends once and reports the outcome', async () => {
    h = await harness({ capabilities: VIEWS_CLIENT, views: true, timing: { cardOpenMs: 20 } });
    seedRoom();
    const result = await h.call('kick_all_participants', ROOM);
    expect(result.structured).toMatchObject({ status: 'confirmation_required' });
    expect(result.structured.confirmationToken).toBeUndefined();
    expect(result.text).toMatch(/approval card shown in the chat; you cannot approve it/);
    expect(h.sent()).toEqual([]);

    const { approval } = await openCard();
    const decided = await h.call('app_decide', { id: approval!.id, key: approval!.key, decision: 'approve' });
    expect(decided.structured.result).toMatchObject({ outcome: 'approved', delivered: 'performed', toolResult: { status: 'done' } });
    expect(decided.structured.result.message).toMatch(/A person approved this in the approval card, and it was sent/);
    expect(deletes()).toHaveLength(1);
    expect(h.audit.filter((line) => line.phase === 'outcome').map((line) => [line.confirmedBy, line.outcome])).toEqual([['app', 'ok']]);
    expect((await h.call('app_decide', { id: approval!.id, key: approval!.key, decision: 'approve' })).structured.result.outcome).toBe('decided');
    expect(deletes()).toHaveLength(1);
  });

  it('Deny in the card sends nothing and says so', async () => {
    h = await harness({ capabilities: VIEWS_CLIENT, views: true, timing: { cardOpenMs: 20 } });
    seedRoom();
    await h.call('kick_all_participants', ROOM);
    const { approval } = await openCard();
    const decided = await h.call('app_decide', { id: approval!.id, key: approval!.key, decision: 'deny' });
    expect(decided.structured.result).toMatchObject({ outcome: 'denied', delivered: 'none' });
    expect(decided.structured.result.message).toMatch(/denied .* nothing was done/);
    expect(h.sent()).toEqual([]);
  });
});

describe('who gets the card', () => {
  it('the model-facing list holds no tool that can approve: app-only tools are marked for the host to keep from the model', async () => {
    h = await harness({ capabilities: VIEWS_CLIENT, views: true });
    const { tools } = await h.client.listTools();
    const forModel = tools.filter((tool) => ((tool._meta?.ui as { visibility?: string[] } | undefined)?.visibility ?? ['model', 'app']).includes('model'));
    expect(forModel.map((tool) => tool.name).filter((name) => name.startsWith('app_'))).toEqual([]);
    expect(forModel.some((tool) => JSON.stringify(tool.inputSchema).includes('confirmationToken'))).toBe(false);
    expect(tools.filter((tool) => tool.name.startsWith('app_')).map((tool) => tool.name).sort()).toEqual(['app_approval', 'app_call', 'app_conference', 'app_decide', 'app_moderate']);
  });

  it('a client without the extension gets no app-only tool and no view: calling one fails, nothing changes', async () => {
    h = await harness({ elicit: () => ({ action: 'decline' }), views: true });
    const { tools } = await h.client.listTools();
    expect(tools.filter((tool) => tool.name.startsWith('app_'))).toEqual([]);
    expect(JSON.stringify(tools)).not.toContain('ui://');
    const attempt = await h.call('app_decide', { id: 'x', key: 'y', decision: 'approve' });
    expect(attempt.isError).toBe(true);
  });

  it('SINCH_CONFIRMATION_MODE=app in a client without views refuses, naming the way out, and sends nothing', async () => {
    h = await harness({ capabilities: {}, views: true, env: { SINCH_CONFIRMATION_MODE: 'app' } });
    seedRoom();
    const result = await h.call('kick_all_participants', ROOM);
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/SINCH_CONFIRMATION_MODE=app, but this client does not show in-chat views/);
    expect(h.sent()).toEqual([]);
  });

  it('a client with a form dialog still gets the dialog first (form, then card, then URL, then page)', async () => {
    const asked: string[] = [];
    h = await harness({ capabilities: { ...VIEWS_CLIENT, elicitation: { form: {} } }, views: true, elicit: (message) => (asked.push(message), { action: 'accept', content: { confirm: true } }) });
    seedRoom();
    expect((await h.call('kick_all_participants', ROOM)).structured.status).toBe('done');
    expect(asked).toHaveLength(1);
    expect(h.audit.find((line) => line.phase === 'intent')?.confirmedBy).toBe('form');
  });
});

describe('the card is found only by what names its call', () => {
  it('two pending callouts: a view gets the card of exactly its arguments, and none for partial ones or another request id', async () => {
    h = await harness({ capabilities: VIEWS_CLIENT, views: true });
    const first = { destination: '+46 70 816 87 31', text: 'First', cli: '+1 404 500 5000' };
    const second = { destination: '+46 70 816 87 32', text: 'Second', cli: '+1 404 500 5000' };
    const pending = Promise.all([h.call('tts_callout', first), h.call('tts_callout', second)]);
    const find = async (lookup: Record<string, unknown>) => (await h.call('app_approval', lookup)).structured.result;
    const secondCard = await until(async () => { const card = await find({ tool: 'tts_callout', arguments: second }); return card.found && card; }, { what: 'the second card' });
    expect(secondCard.approval.rows.find((row: { label: string }) => row.label === 'destination.endpoint').value).toBe('"+46708168732"');
    expect(await find({ tool: 'tts_callout', arguments: {} })).toEqual({ found: false });
    expect(await find({ tool: 'tts_callout', arguments: { text: 'First' } })).toEqual({ found: false });
    expect(await find({ requestId: 'not-a-request-of-this-session', tool: 'tts_callout', arguments: first })).toEqual({ found: false });
    const firstCard = await find({ tool: 'tts_callout', arguments: first });
    expect(firstCard.approval.rows.find((row: { label: string }) => row.label === 'destination.endpoint').value).toBe('"+46708168731"');
    for (const card of [firstCard, secondCard]) await h.call('app_decide', { id: card.approval.id, key: card.approval.key, decision: 'deny' });
    expect((await pending).map((result) => result.structured.status)).toEqual(['declined', 'declined']);
  });

  it('a call waiting for its card sends progress notifications, as one waiting for the page does', async () => {
    h = await harness({ capabilities: VIEWS_CLIENT, views: true, timing: { progressEveryMs: 50 } });
    seedRoom();
    const progress: string[] = [];
    const pending = h.client.callTool({ name: 'kick_all_participants', arguments: ROOM }, undefined, { onprogress: (p) => progress.push(p.message ?? '') });
    const { approval } = await until(async () => { const card = await openCard(); return card.found && card; }, { what: 'the card' });
    await until(() => progress.length > 0, { what: 'a progress notification' });
    expect(progress[0]).toMatch(/Waiting for a person to approve or deny "End a conference" in the approval card/);
    await h.call('app_decide', { id: approval!.id, key: approval!.key, decision: 'deny' });
    await pending;
  });
});

describe('the console decides a removal only where a person in the chat decides', () => {
  it('in token mode a removal from the console still answers confirmation_required, and nothing is sent', async () => {
    h = await harness({ capabilities: VIEWS_CLIENT, views: true, env: { SINCH_CONFIRMATION_MODE: 'token' } });
    const call = h.sandbox.state.createCall({ kind: 'conference', cli: '+14045005000', destination: { type: 'number', endpoint: '+46708168731' }, conferenceId: ROOM.conferenceId, ratePerMinute: 0.01 });
    const kick = await h.call('app_moderate', { ...ROOM, action: 'kick', callIds: [call.callId] });
    expect(kick.structured.result.summary).toMatch(/CONFIRMATION REQUIRED, nothing was done yet/);
    expect(h.sent().filter((line) => line.startsWith('DELETE'))).toEqual([]);
  });
});

describe('a session counts as showing views only once initialized', () => {
  it('a client that declared views but never sent notifications/initialized is listed and routed as one without', async () => {
    const { compose } = await import('../../src/compose.js');
    const { loadConfig } = await import('../../src/config/config.js');
    const { createServer } = await import('../../src/mcp/server.js');
    const { SinchClient } = await import('../../src/sinch/client.js');
    const { InMemoryTransport } = await import('@modelcontextprotocol/sdk/inMemory.js');
    const services = await compose(loadConfig({ SINCH_CONFIRMATION_MODE: 'app' }), { client: new SinchClient(() => Promise.reject(new Error('not used'))), audit: () => undefined, views: async () => '', ports: false });
    const server = createServer(services);
    const [ours, theirs] = InMemoryTransport.createLinkedPair();
    const answers = new Map<number, (message: any) => void>();
    ours.onmessage = (message: any) => answers.get(message.id)?.(message);
    await server.connect(theirs);
    await ours.start();
    const request = (id: number, method: string, params: Record<string, unknown>) =>
      new Promise<any>((resolve) => {
        answers.set(id, resolve);
        void ours.send({ jsonrpc: '2.0', id, method, params });
      });
    try {
      await request(1, 'initialize', { protocolVersion: '2025-11-25', capabilities: VIEWS_CLIENT, clientInfo: { name: 'raw', version: '0' } });
      const { result } = await request(2, 'tools/list', {});
      expect(JSON.stringify(result.tools)).not.toMatch(/ui:\/\/|"app_/);
      // Mode app needs views: without them (not initialized), the call is refused, not sent to a card nobody can open.
      const kick = await request(3, 'tools/call', { name: 'kick_all_participants', arguments: { conferenceId: 'room' } });
      expect(kick.result.content[0].text).toMatch(/does not show in-chat views/);
    } finally {
      await server.close();
      await services.close();
    }
  });
});

