// Moderation by label over real stdio, and call state that survives a restart (SINCH_STATE_FILE): the built
// server against a sandbox this test owns, with the callback receiver on a fixed local port.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { type StdioServer, spawnServer } from '../helpers/stdio.js';
import { liveEnv } from '../helpers/sandbox.js';
import { until } from '../helpers/until.js';

const PUBLIC_URL = 'https://tunnel.example.test/sinch/events';

let sandbox: Sandbox;
let port: number;
let dir: string;

function bindable(wanted: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(undefined));
    probe.listen(wanted, '127.0.0.1', () => {
      const { port: found } = probe.address() as { port: number };
      probe.close(() => resolve(found));
    });
  });
}

async function freePort(): Promise<number> {
  return (await bindable(0))!;
}

/** Waits until the stopped server's receiver port can be bound again. */
async function released(wanted: number): Promise<void> {
  await until(async () => (await bindable(wanted)) !== undefined, { what: `port ${wanted} to be free again` });
}

/**
 * Holds the sandbox's callbacks (it sends them with fetch) until the returned function is called, so a test
 * decides which server hears an ACE, however fast or slow the machine is.
 */
function holdCallbacks(): () => void {
  const send = globalThis.fetch;
  let deliver!: () => void;
  const delivering = new Promise<void>((resolve) => (deliver = resolve));
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    await delivering;
    return send(input, init);
  });
  return deliver;
}

beforeAll(async () => {
  port = await freePort();
  dir = await mkdtemp(join(tmpdir(), 'sinch-moderation-'));
  sandbox = await startSandbox({
    // Calls are answered at once; a held ACE waits for its delivery (holdCallbacks) up to the callback timeout.
    timing: { answerAfterMs: 0, ttsDurationMs: 60_000 },
    callbacks: { deliverTo: (url) => (url === PUBLIC_URL ? `http://127.0.0.1:${port}/sinch/events` : url), timeoutMs: 30_000 },
  });
  sandbox.state.callbacks.primary = PUBLIC_URL;
});
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(async () => {
  await sandbox?.close();
  await rm(dir, { recursive: true, force: true });
});

function start(extra: Record<string, string> = {}): Promise<StdioServer> {
  return spawnServer({
    ...liveEnv(sandbox),
    SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'true',
    SINCH_MAX_CALLOUTS_PER_MINUTE: '100',
    SINCH_STATE_FILE: join(dir, 'calls.jsonl'),
    SINCH_CALLBACK_PORT: String(port),
    SINCH_CALLBACK_PUBLIC_URL: PUBLIC_URL,
    ...extra,
  });
}

async function call(server: StdioServer, name: string, args: Record<string, unknown>) {
  const result = await server.client.callTool({ name, arguments: args });
  const text = (result.content as Array<{ text: string }>)[0]!.text;
  expect(result.isError, text).toBeFalsy();
  return { text, result: (result.structuredContent as { result: Record<string, any> }).result };
}

describe('moderation over stdio', () => {
  it('after a restart with SINCH_STATE_FILE, the ACEs of earlier conference callouts get connectConf with moh, and labels are still known', async () => {
    const deliverAces = holdCallbacks();
    const first = await start();
    const anna = (await call(first, 'conference_callout', { destination: '+46708168731', conferenceId: 'board', label: 'Anna', mohClass: 'music1', enableAce: true })).result.callId;
    const host = (await call(first, 'conference_callout', { destination: '+46708425201', conferenceId: 'board', label: 'host', mohClass: 'ring', enableAce: true })).result.callId;
    await first.close();
    expect(sandbox.state.calls.get(anna)?.awaitingAce).toBe(true);
    await released(port);

    const second = await start();
    try {
      // The ACEs reach the restarted server only.
      deliverAces();
      await until(() => [anna, host].every((id) => sandbox.state.calls.get(id)?.awaitingAce === false), { what: 'both ACEs to be answered', timeoutMs: 10_000 });
      expect(sandbox.state.calls.get(anna)).toMatchObject({ conferenceId: 'board', moh: 'music1' });
      expect(sandbox.state.calls.get(host)).toMatchObject({ conferenceId: 'board', moh: 'ring' });

      const room = await call(second, 'get_conference', { conferenceId: 'board' });
      expect(room.result.participants.map((p: { label?: string }) => p.label)).toEqual(['Anna', 'host']);
      const muted = await call(second, 'mute_participants', { conferenceId: 'board', all: true, except: ['host'] });
      expect(muted.result.outcomes).toEqual([{ callId: anna, label: 'Anna', ok: true }]);
      const events = await call(second, 'wait_for_call_event', { callIds: [anna], events: ['ace'], timeoutSeconds: 5, afterSeq: 0 });
      expect(events.result.events[0]).toMatchObject({ label: 'Anna', conferenceId: 'board' });
    } finally {
      await second.close();
    }
  });

  it('mutes everyone but the host in a 30-participant room in one tool call, with per-participant outcomes', async () => {
    const server = await start({ SINCH_CALLBACK_PORT: '', SINCH_CALLBACK_PUBLIC_URL: '' });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) {
        const label = i === 0 ? 'host' : `guest ${i}`;
        ids.push((await call(server, 'conference_callout', { destination: `+467081687${String(i).padStart(2, '0')}`, conferenceId: 'town-hall', label })).result.callId);
      }
      await until(() => ids.every((id) => sandbox.state.view(sandbox.state.calls.get(id)!).state === 'answered'), { what: 'all 30 calls to be answered' });
      const muted = await call(server, 'mute_participants', { conferenceId: 'town-hall', all: true, except: ['host'] });
      expect(muted.result).toMatchObject({ succeeded: 29, failed: 0 });
      expect(muted.result.outcomes.map((o: { label: string }) => o.label)).toEqual(ids.slice(1).map((_, i) => `guest ${i + 1}`));
      expect(muted.text).toContain('Muted 29 of 29 in town-hall');
      const room = (await call(server, 'get_conference', { conferenceId: 'town-hall' })).result.participants as Array<{ label: string; muted: boolean }>;
      expect(room.filter((p) => !p.muted).map((p) => p.label)).toEqual(['host']);
    } finally {
      await server.close();
    }
  });
});
