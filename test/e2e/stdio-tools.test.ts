// Every tool once more, through the built server over real stdio, against a sandbox this test owns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { VIEWS_CLIENT, harness } from '../helpers/mcp.js';
import { type StdioServer, spawnServer } from '../helpers/stdio.js';
import { liveEnv } from '../helpers/sandbox.js';

let sandbox: Sandbox;
let server: StdioServer;

beforeAll(async () => {
  sandbox = await startSandbox({ timing: { answerAfterMs: 0, ttsDurationMs: 60_000 } });
  server = await spawnServer({
    ...liveEnv(sandbox),
  });
});
afterAll(async () => {
  await server?.close();
  await sandbox?.close();
});

type Out = { isError?: boolean; structured: Record<string, any>; text: string };

async function call(name: string, args: Record<string, unknown> = {}): Promise<Out> {
  const result = await server.client.callTool({ name, arguments: args });
  return { isError: result.isError as boolean | undefined, structured: (result.structuredContent ?? {}) as Record<string, any>, text: (result.content as Array<{ text: string }>)[0]!.text };
}

/** Writes the sandbox received; a plan may read first (issue 19: a label is checked against the room). */
const writes = () => sandbox.requests.filter((request) => request.method !== 'GET').length;

async function confirmedCall(name: string, args: Record<string, unknown>): Promise<Out> {
  const before = writes();
  const preview = await call(name, args);
  expect(preview.structured.status, preview.text).toBe('confirmation_required');
  expect(writes()).toBe(before);
  const done = await call(name, { ...args, confirmationToken: preview.structured.confirmationToken });
  expect(writes()).toBe(before + 1);
  return done;
}

describe('the precomputed tool listing', () => {
  it('is exactly what the SDK computes from the tool definitions, and what the bin serves', async () => {
    const inMemory = await harness();
    // The fullest configuration: the receiver on, token mode, and a client that shows views.
    const everything = await harness({ callbacksAt: 'https://example.test/sinch/events', env: { SINCH_CONFIRMATION_MODE: 'token' }, capabilities: VIEWS_CLIENT, views: true });
    try {
      const computed = (await inMemory.client.listTools()).tools;
      const served = (await server.client.listTools()).tools;
      expect(served).toEqual(computed);
      expect(JSON.parse(readFileSync('dist/tool-listing.json', 'utf8'))).toEqual((await everything.client.listTools()).tools);
    } finally {
      await inMemory.close();
      await everything.close();
    }
  });

  it('is served without token fields where a person answers directly, exactly as the SDK lists it there', async () => {
    const env = { SINCH_CONFIRMATION_MODE: 'auto' };
    const [bin, inMemory] = await Promise.all([spawnServer(env), harness({ env })]);
    try {
      const served = (await bin.client.listTools()).tools;
      expect(served).toEqual((await inMemory.client.listTools()).tools);
      expect(JSON.stringify(served)).not.toMatch(/confirmationToken|confirmation_required|expiresAt/);
    } finally {
      await Promise.all([bin.close(), inMemory.close()]);
    }
  });

  it('is filtered like the registered tools in read-only mode', async () => {
    const readOnly = await spawnServer({ SINCH_READ_ONLY: 'true' });
    try {
      expect((await readOnly.client.listTools()).tools.map((t) => t.name)).toEqual(['list_numbers', 'get_callback_urls', 'lookup_number', 'get_call_result', 'wait_for_call_event', 'get_conference']);
    } finally {
      await readOnly.close();
    }
  });
});

describe('every tool over stdio (live mode against a local sandbox)', () => {
  it('runs the whole catalogue', async () => {
    expect((await server.client.listTools()).tools).toHaveLength(19);
    const ok = (out: Out) => {
      expect(out.isError, out.text).toBeFalsy();
      expect(out.structured.sandbox).toBe(false);
      return out.structured.result;
    };
    expect(ok(await call('list_numbers')).numbers.length).toBe(3);
    ok(await confirmedCall('assign_numbers', { numbers: ['+14045005000'] }));
    ok(await confirmedCall('unassign_number', { number: '+14045005000' }));
    ok(await confirmedCall('update_callback_urls', { primary: 'https://hooks.example.com/x' }));
    expect(ok(await call('get_callback_urls')).primary).toBe('https://hooks.example.com/x');
    expect(ok(await call('lookup_number', { number: '+1 404 500 5000' })).country).toBe('US');

    const tts = ok(await confirmedCall('tts_callout', { destination: '+46708168731', text: 'Hello' })).callId;
    expect(ok(await call('get_call_result', { callId: tts })).status).toBe('ONGOING');
    ok(await call('manage_call', { callId: tts, action: 'continue', instructions: [{ name: 'say', text: 'Hi' }] }));
    ok(await confirmedCall('hangup_call', { callId: tts }));

    const a = ok(await confirmedCall('conference_callout', { destination: '+46708425201', conferenceId: 'stdio', label: 'Anna' })).callId;
    const b = ok(await confirmedCall('conference_callout', { destination: '+46730170101', conferenceId: 'stdio', label: 'host' })).callId;
    expect(ok(await call('get_conference', { conferenceId: 'stdio' })).participants.map((p: { label: string }) => p.label)).toEqual(['Anna', 'host']);
    // Moderation by label: everyone but the host, in one call, with one outcome per participant.
    expect(ok(await call('mute_participants', { conferenceId: 'stdio', all: true, except: ['host'] })).outcomes).toEqual([{ callId: a, label: 'Anna', ok: true }]);
    expect(ok(await call('unmute_participants', { conferenceId: 'stdio', labels: ['anna'] })).succeeded).toBe(1);
    expect(ok(await call('hold_participant', { conferenceId: 'stdio', label: 'Anna', moh: 'music1' })).onHold).toBe(true);
    expect(ok(await call('get_conference', { conferenceId: 'stdio' })).participants[0]).toMatchObject({ label: 'Anna', onHold: true, muted: false });
    expect(ok(await call('resume_participant', { conferenceId: 'stdio', label: 'Anna' })).onHold).toBe(false);
    ok(await confirmedCall('kick_participant', { conferenceId: 'stdio', label: 'Anna' }));
    ok(await confirmedCall('manage_call', { callId: b, action: 'hangup' }));
    ok(await confirmedCall('kick_all_participants', { conferenceId: 'stdio' }));

    expect(server.protocolErrors).toEqual([]);
    expect(server.stderr()).toContain('live mode');
    // Every executed write was audited on stderr: an intent line before it was sent, an outcome line after.
    const audits = server.stderr().split('\n').filter((line) => line.startsWith('{"audit":true')).map((line) => JSON.parse(line));
    expect(audits.filter((a) => a.phase === 'intent').map((a) => a.tool)).toEqual(audits.filter((a) => a.phase === 'outcome').map((a) => a.tool));
    expect(audits.filter((a) => a.phase === 'outcome').every((a) => a.outcome === 'ok')).toBe(true);
    expect(audits.filter((a) => a.phase === 'outcome').map((a) => a.tool)).toEqual([
      'assign_numbers', 'unassign_number', 'update_callback_urls', 'tts_callout', 'manage_call', 'hangup_call',
      'conference_callout', 'conference_callout', 'mute_participants', 'unmute_participants', 'hold_participant', 'resume_participant', 'kick_participant', 'manage_call', 'kick_all_participants',
    ]);
  });
});
