// The in-chat views as a person meets them: the built server over stdio, a client that declares MCP Apps, and a
// host built on the official AppBridge in headless Chromium rendering each view from resources/read. The test's
// own sandbox plays Sinch, so its request log is the truth about what was sent.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIEWS_CLIENT } from '../../scripts/in-memory-server.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { liveEnv } from '../helpers/sandbox.js';
import { SERVER_BIN } from '../helpers/stdio.js';
import { until } from '../helpers/until.js';
import { type ViewHost, startViewHost } from '../helpers/views.js';

// The README's screenshots are this test's: `UPDATE_SCREENSHOTS=1 npm test` rewrites them in docs/; otherwise they go to a temp dir.
const SHOTS = process.env.UPDATE_SCREENSHOTS ? 'docs' : mkdtempSync(join(tmpdir(), 'view-shots-'));
const ROOM = 'views-room';
/** A small room for the README's pictures: four people who joined a few minutes apart. */
const STANDUP = 'standup';

let sandbox: Sandbox;
let dir: string;
let client: Client;
let host: ViewHost;
const labelled: Record<string, string> = {};

/** The built server over stdio, for a client with these capabilities. */
async function connect(capabilities: Record<string, unknown>, env: Record<string, string> = {}): Promise<Client> {
  const connected = new Client({ name: 'views-test', version: '0' }, { capabilities });
  await connected.connect(new StdioClientTransport({ command: process.execPath, args: [SERVER_BIN], env: { PATH: process.env.PATH ?? '', ...liveEnv(sandbox), ...env }, stderr: 'ignore' }));
  return connected;
}

beforeAll(async () => {
  sandbox = await startSandbox({ timing: { answerAfterMs: 0, ttsDurationMs: 60_000 } });
  dir = mkdtempSync(join(tmpdir(), 'sinch-views-'));
  // A 30-person room; three of them were called in with labels (as conference_callout records them).
  const lines: string[] = [];
  for (let i = 0; i < 30; i++) {
    const call = sandbox.state.createCall({ kind: 'conference', cli: '+14045005000', destination: { type: 'number', endpoint: `+4670816${8700 + i}` }, conferenceId: ROOM, ratePerMinute: 0.01 });
    const label = ['host', 'Anna', 'Bob'][i];
    if (label) {
      labelled[label] = call.callId;
      lines.push(JSON.stringify({ callId: call.callId, kind: 'conference', conferenceId: ROOM, label }));
    }
  }
  for (const [i, [number, label]] of ([['+46708168731', 'host'], ['+14045005000', 'Anna'], ['+442071838750', 'Bob'], ['+4915112345678', undefined]] as const).entries()) {
    const call = sandbox.state.createCall({ kind: 'conference', cli: '+14045005000', destination: { type: 'number', endpoint: number }, conferenceId: STANDUP, ratePerMinute: 0.01 });
    call.answerAt -= (4 - i) * 90_000;
    if (label) lines.push(JSON.stringify({ callId: call.callId, kind: 'conference', conferenceId: STANDUP, label }));
  }
  const stateFile = join(dir, 'calls.jsonl');
  writeFileSync(stateFile, `${lines.join('\n')}\n`);
  client = await connect(VIEWS_CLIENT, { SINCH_CONFIRMATION_MODE: 'auto', SINCH_STATE_FILE: stateFile });
  host = await startViewHost(client);
  if (process.env.UPDATE_SCREENSHOTS) mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await host?.close();
  await client?.close();
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

const sent = (method: string) => sandbox.requests.filter((request) => request.method === method);
const status = (result: unknown) => (result as { structuredContent?: { status?: string } }).structuredContent?.status;

describe('the approval card, in a real host', () => {
  it('shown while the call runs: Deny is focused, Approve sends exactly one request, the call answers done', async () => {
    const room = { conferenceId: 'card-room-1' };
    sandbox.state.createCall({ kind: 'conference', cli: '+14045005000', destination: { type: 'number', endpoint: '+46708168731' }, conferenceId: room.conferenceId, ratePerMinute: 0.01 });
    const deletesBefore = sent('DELETE').length;
    // A host that shows views during the call has the view ready (it prefetches the template) when the call starts.
    const view = await host.open({ view: 'approval', tool: 'kick_all_participants', width: 320 });
    const pending = client.callTool({ name: 'kick_all_participants', arguments: room });
    await view.input(room);
    const approve = view.frame.getByRole('button', { name: 'Approve' });
    await approve.waitFor();
    expect(await view.text()).toContain('Remove everyone from conference card-room-1');
    expect(await view.frame.locator(':focus').innerText()).toBe('Deny');
    expect(await view.scrollWidth()).toBeLessThanOrEqual(320);
    expect(view.sizes.length).toBeGreaterThan(0);
    await view.screenshot(join(SHOTS, 'views-approval-light.png'));
    expect(sent('DELETE').length).toBe(deletesBefore);

    await approve.click();
    const result = await pending;
    expect(status(result)).toBe('done');
    await view.result(result);
    await until(async () => (await view.text()).includes('Done.'), { what: 'the card to show the outcome' });
    expect(sent('DELETE').length).toBe(deletesBefore + 1);
    await view.close();
  });

  it('Deny sends nothing, and the call answers declined', async () => {
    const room = { conferenceId: 'card-room-2' };
    sandbox.state.createCall({ kind: 'conference', cli: '+14045005000', destination: { type: 'number', endpoint: '+46708168731' }, conferenceId: room.conferenceId, ratePerMinute: 0.01 });
    const before = sandbox.requests.length;
    const view = await host.open({ view: 'approval', tool: 'kick_all_participants', theme: 'dark' });
    const pending = client.callTool({ name: 'kick_all_participants', arguments: room });
    await view.input(room);
    await view.frame.getByRole('button', { name: 'Deny' }).waitFor();
    await view.screenshot(join(SHOTS, 'views-approval-dark.png'));
    await view.frame.getByRole('button', { name: 'Deny' }).click();
    const result = await pending;
    expect(status(result)).toBe('declined');
    expect(sandbox.requests.slice(before).filter((request) => request.method !== 'GET')).toEqual([]);
    await view.close();
  });

  it('shown only once the call has returned: Approve in the card sends once and tells the model the outcome', async () => {
    const room = { conferenceId: 'card-room-3' };
    sandbox.state.createCall({ kind: 'conference', cli: '+14045005000', destination: { type: 'number', endpoint: '+46708168731' }, conferenceId: room.conferenceId, ratePerMinute: 0.01 });
    const deletesBefore = sent('DELETE').length;
    // No view opens the card while the call runs: after its wait the call returns and leaves the card to act.
    const result = await client.callTool({ name: 'kick_all_participants', arguments: room });
    expect(status(result)).toBe('confirmation_required');
    expect(JSON.stringify(result)).not.toMatch(/confirmationToken|"key"/);
    const view = await host.open({ view: 'approval', tool: 'kick_all_participants' });
    await view.input(room);
    await view.result(result);
    await view.frame.getByRole('button', { name: 'Approve' }).click();
    await until(() => sent('DELETE').length > deletesBefore, { what: 'the card to send the approved action' });
    const told = await until(() => view.hostRequests.find((request) => request.method === 'ui/update-model-context'), { what: 'the model to be told' });
    expect(JSON.stringify(told.params)).toMatch(/A person approved this in the approval card, and it was sent/);
    await until(async () => (await view.text()).includes('Done.'), { what: 'the card to show the outcome' });
    expect(sent('DELETE').length).toBe(deletesBefore + 1);
    await view.close();
  }, 20_000);
});

describe('a callout, from card to console or call card', () => {
  it('conference_callout: approved in the card, then the console shows the callee in the room', async () => {
    const args = { destination: '+46 70 816 87 99', conferenceId: 'callout-room', label: 'Carol', cli: '+1 404 500 5000' };
    const view = await host.open({ view: 'conference', tool: 'conference_callout' });
    const pending = client.callTool({ name: 'conference_callout', arguments: args });
    await view.input(args);
    await view.frame.getByRole('button', { name: 'Approve' }).click();
    const result = await pending;
    expect(status(result)).toBe('done');
    await view.result(result);
    await until(async () => (await view.frame.getByRole('button', { name: 'Kick Carol' }).count()) === 1, { what: 'Carol in the console', timeoutMs: 8_000 });
    expect(sent('POST').filter((request) => request.path.endsWith('/callouts'))).toHaveLength(1);
    await view.close();
  }, 20_000);

  it('tts_callout: approved in the card, then the call card follows the call', async () => {
    const args = { destination: '+46 70 816 87 98', text: 'The build is green.', cli: '+1 404 500 5000' };
    const view = await host.open({ view: 'call', tool: 'tts_callout' });
    const pending = client.callTool({ name: 'tts_callout', arguments: args });
    await view.input(args);
    await view.frame.getByRole('button', { name: 'Approve' }).click();
    const result = await pending;
    expect(status(result)).toBe('done');
    await view.result(result);
    await until(async () => /Answered|Ringing/.test(await view.text()), { what: 'the call card', timeoutMs: 8_000 });
    await view.close();
  }, 20_000);
});

describe('what the model is offered', () => {
  it('no tool the model sees can approve: the app-only tools are marked for the host to keep from it', async () => {
    const { tools } = await client.listTools();
    const forModel = tools.filter((tool) => ((tool._meta?.ui as { visibility?: string[] } | undefined)?.visibility ?? ['model', 'app']).includes('model'));
    expect(forModel.filter((tool) => tool.name.startsWith('app_'))).toEqual([]);
    expect(JSON.stringify(forModel)).not.toContain('confirmationToken');
    expect(tools.find((tool) => tool.name === 'kick_participant')?._meta).toEqual({ ui: { resourceUri: 'ui://sinch-calling/approval' } });
  });

  it('a client without the extension gets no app-only tool and no view, as before', async () => {
    const plain = await connect({});
    try {
      const { tools } = await plain.listTools();
      expect(tools.filter((tool) => tool.name.startsWith('app_'))).toEqual([]);
      expect(JSON.stringify(tools)).not.toContain('ui://');
      expect((await plain.listResources()).resources).toEqual([]);
      const attempt = await plain.callTool({ name: 'app_moderate', arguments: { conferenceId: ROOM, action: 'kick', labels: ['Bob'] } });
      expect(attempt.isError).toBe(true);
    } finally {
      await plain.close();
    }
  });
});

describe('the conference console, in a real host', () => {
  it('shows the 30-person room live, mutes and removes the right people by label, and shows a join within 3 s', async () => {
    const args = { conferenceId: ROOM };
    const result = await client.callTool({ name: 'get_conference', arguments: args });
    const view = await host.open({ view: 'conference', tool: 'get_conference' });
    await view.input(args);
    await view.result(result);
    const kickButtons = view.frame.getByRole('button', { name: /^Kick / });
    await until(async () => (await kickButtons.count()) === 30, { what: 'all 30 participants in the console' });

    await view.frame.getByRole('button', { name: 'Mute Anna' }).click();
    await until(() => sandbox.state.calls.get(labelled.Anna!)!.muted, { what: 'Anna to be muted' });
    expect([...sandbox.state.calls.values()].filter((call) => call.conferenceId === ROOM && call.muted).map((call) => call.callId)).toEqual([labelled.Anna]);

    await view.frame.getByRole('button', { name: 'Kick Bob' }).click();
    // Nothing yet: removing asks once more inside the console.
    expect(sandbox.state.view(sandbox.state.calls.get(labelled.Bob!)!).state).toBe('answered');
    await view.frame.getByRole('button', { name: 'Remove' }).click();
    await until(() => sandbox.state.view(sandbox.state.calls.get(labelled.Bob!)!).state === 'ended', { what: 'Bob to be removed' });
    expect(sandbox.state.participants(ROOM)).toHaveLength(29);
    await until(async () => (await kickButtons.count()) === 29, { what: 'Bob to leave the console' });

    const joining = sandbox.state.createCall({ kind: 'conference', cli: '+14045005000', destination: { type: 'number', endpoint: '+46708168799' }, conferenceId: ROOM, ratePerMinute: 0.01 });
    await until(async () => (await kickButtons.count()) === 30, { what: 'the new participant in the console', timeoutMs: 3_000, intervalMs: 50 });
    await until(async () => (await view.text()).includes('+46708168799'), { what: 'the join in the live log', timeoutMs: 3_000, intervalMs: 50 });
    expect(sandbox.state.calls.get(joining.callId)).toBeDefined();
    await view.teardown();
    await view.close();
  }, 30_000);

  for (const [theme, width] of [['light', 700], ['dark', 320]] as const) {
    it(`renders ${theme} at ${width} px without spilling over, in join order`, async () => {
      const args = { conferenceId: STANDUP };
      const result = await client.callTool({ name: 'get_conference', arguments: args });
      const view = await host.open({ view: 'conference', tool: 'get_conference', theme, width });
      await view.input(args);
      await view.result(result);
      await until(async () => (await view.frame.getByRole('button', { name: /^Kick / }).count()) === 4, { what: 'the console' });
      expect(await view.scrollWidth()).toBeLessThanOrEqual(width);
      const text = await view.text();
      expect(text.indexOf('host')).toBeLessThan(text.indexOf('Anna'));
      expect(text.indexOf('Anna')).toBeLessThan(text.indexOf('Bob'));
      await view.screenshot(join(SHOTS, `views-console-${theme}.png`));
      await view.close();
    });
  }
});

describe('the call card, in a real host', () => {
  it('follows a call from answered to ended', async () => {
    const call = sandbox.state.createCall({ kind: 'tts', cli: '+14045005000', destination: { type: 'number', endpoint: '+46708168731' }, ratePerMinute: 0.01, liveMs: 60_000 });
    const args = { callId: call.callId };
    const result = await client.callTool({ name: 'get_call_result', arguments: args });
    const view = await host.open({ view: 'call', tool: 'get_call_result' });
    await view.input(args);
    await view.result(result);
    await until(async () => (await view.text()).includes('Answered'), { what: 'the call card' });
    sandbox.state.endCall(call, 'MANAGERHANGUP');
    await until(async () => (await view.text()).includes('Ended'), { what: 'the card to see the call end', timeoutMs: 5_000 });
    await view.close();
  });
});
