// The audit trail survives the process ending mid-call, and a server that cannot write it does not start.
// Also: on a machine with no browser and no BROWSER, a guarded call refuses and sends nothing.
import { mkdtempSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { spawnRaw } from '../helpers/raw-stdio.js';
import { liveEnv } from '../helpers/sandbox.js';
import { until } from '../helpers/until.js';

let sandbox: Sandbox;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox({ timing: { answerAfterMs: 0, ttsDurationMs: 60_000 } });
  dir = mkdtempSync(join(tmpdir(), 'sinch-audit-'));
});
afterAll(async () => sandbox?.close());
beforeEach(() => {
  sandbox.requests.length = 0;
  sandbox.faults.clear();
});

function live(extra: Record<string, string>) {
  return {
    ...liveEnv(sandbox),
    ...extra,
  };
}

const auditLines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));

async function untilReached(count: number): Promise<void> {
  await until(() => sandbox.requests.length >= count, { what: `${count} request(s) at the sandbox` });
  expect(sandbox.requests).toHaveLength(count);
}

describe('audit trail', () => {
  it.each([
    ['SIGTERM', (server: ReturnType<typeof spawnRaw>) => server.child.kill('SIGTERM')],
    ['stdin closing', (server: ReturnType<typeof spawnRaw>) => server.child.stdin.end()],
  ])('%s with a callout in flight: the intent line was written before sending, the outcome says unknown', async (_name, stop) => {
    const file = join(dir, `audit-${Date.now()}.log`);
    sandbox.faults.add({ kind: 'hang' }, { path: '/callouts' });
    const server = spawnRaw(live({ SINCH_AUDIT_LOG: file, SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'true' }));
    await server.initialize();
    void server.request('tools/call', { name: 'tts_callout', arguments: { destination: '+46708168731', text: 'Hi' } });
    await untilReached(1); // the request reached "Sinch", which never answers
    stop(server);
    expect((await server.exited).code).toBe(0);
    const lines = auditLines(file);
    expect(lines.map((line) => [line.phase, line.tool, line.outcome, line.confirmedBy])).toEqual([
      ['intent', 'tts_callout', undefined, 'skipped'],
      ['outcome', 'tts_callout', 'unknown', 'skipped'],
    ]);
    expect(lines[0]).toMatchObject({ audit: true, ts: expect.any(String), request: { method: 'POST', path: '/callouts' } });
    expect(readFileSync(file, 'utf8')).not.toContain(sandbox.app.secret);
  });

  it('SIGKILL mid-callout, then a restart: the write without an outcome is reported once, and the same callout is not sent again unseen', async () => {
    const file = join(dir, `killed-${Date.now()}.log`);
    const env = live({ SINCH_AUDIT_LOG: file, SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'true' });
    sandbox.faults.add({ kind: 'hang' }, { path: '/callouts', times: 1 });
    const first = spawnRaw(env);
    await first.initialize();
    void first.request('tools/call', { name: 'tts_callout', arguments: { destination: '+46 70 816 87 31', text: 'Hi' } }).catch(() => undefined);
    await untilReached(1);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(auditLines(file).map((line) => line.phase)).toEqual(['intent']);

    const second = spawnRaw(env);
    const init = await second.initialize();
    expect(second.stderr()).toMatch(/a write from before this start has no outcome: tts_callout POST \/callouts to \+46708168731 at \S+; it may have reached Sinch/);
    expect(init.result.instructions).toMatch(/1 write\(s\) from before this server restarted have no known outcome.*sinch:\/\/writes\/unresolved/);
    const resource = await second.request('resources/read', { uri: 'sinch://writes/unresolved' });
    expect(JSON.parse(resource.result.contents[0].text)).toMatchObject([{ tool: 'tts_callout', destination: '+46708168731' }]);
    // The same callout again: with nobody to ask, it is refused with what is known.
    const again = await second.request('tools/call', { name: 'tts_callout', arguments: { destination: '+46708168731', text: 'Hi' } });
    expect(again.result.content[0].text).toMatch(/Not sent: \+46708168731 was already called at \d\d:\d\d UTC \(tts_callout\); its outcome is unknown/);
    expect(sandbox.requests.filter((r) => r.path.endsWith('/callouts'))).toHaveLength(1);
    // Closed in the audit: the next start does not report it again.
    expect(auditLines(file).map((line) => [line.phase, line.outcome])).toEqual([['intent', undefined], ['outcome', 'unknown']]);
    second.child.kill('SIGTERM');
    await second.exited;
    const third = spawnRaw(env);
    await third.initialize();
    expect(third.stderr()).not.toMatch(/has no outcome/);
    third.child.kill('SIGTERM');
    await third.exited;
  });

  it('a SINCH_AUDIT_LOG that cannot be opened for appending stops the server at start (exit 2)', async () => {
    const server = spawnRaw(live({ SINCH_AUDIT_LOG: join(dir, 'no-such-dir', 'audit.log') }));
    const { code } = await server.exited;
    expect(code).toBe(2);
    expect(server.stderr()).toMatch(/SINCH_AUDIT_LOG=.*cannot be opened for appending \(ENOENT\)/);
  });

  it('fails closed on a full disk (/dev/full): writes are refused and nothing is sent, reads keep working', async () => {
    const server = spawnRaw(live({ SINCH_AUDIT_LOG: '/dev/full', SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'true' }));
    await server.initialize();
    for (let i = 0; i < 5; i += 1) {
      const callout = await server.request('tools/call', { name: 'tts_callout', arguments: { destination: '+46708168731', text: `Hi ${i}` } });
      expect(callout.result.isError).toBe(true);
      expect(callout.result.content[0].text).toMatch(/Not sent: the audit log \(SINCH_AUDIT_LOG\) cannot be written \(ENOSPC\).*reads still work/);
    }
    const mute = await server.request('tools/call', { name: 'mute_participants', arguments: { conferenceId: 'room', all: true } });
    expect(mute.result.isError).toBe(true);
    expect(sandbox.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);
    const read = await server.request('tools/call', { name: 'list_numbers', arguments: {} });
    expect(read.result.isError).toBeFalsy();
    server.child.kill('SIGTERM');
    await server.exited;
  });

  it('SIGHUP after logrotate renamed the file: the server keeps running and writes to a new file at the path', async () => {
    const file = join(dir, `rotated-${Date.now()}.log`);
    const server = spawnRaw(live({ SINCH_AUDIT_LOG: file, SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'true' }));
    await server.initialize();
    const mute = (conferenceId: string) => server.request('tools/call', { name: 'mute_participants', arguments: { conferenceId, all: true } });
    await mute('before-rotation');
    renameSync(file, `${file}.1`);
    server.child.kill('SIGHUP');
    await until(() => server.stderr().includes('SINCH_AUDIT_LOG reopened.'), { what: 'the audit log to be reopened' });
    await mute('after-rotation');
    expect(auditLines(`${file}.1`).map((line) => line.arguments.conferenceId)).toEqual(['before-rotation', 'before-rotation']);
    expect(auditLines(file).map((line) => line.arguments.conferenceId)).toEqual(['after-rotation', 'after-rotation']);
    expect(server.child.exitCode).toBeNull();
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  });
});

describe('a headless machine', () => {
  it('no BROWSER and no display: a guarded call refuses, naming the ways out, and nothing is sent', async () => {
    const server = spawnRaw(live({ SINCH_CONFIRMATION_MODE: 'auto' }));
    await server.initialize();
    const answer = await server.request('tools/call', { name: 'kick_all_participants', arguments: { conferenceId: 'room' } });
    expect(answer.result.isError).toBe(true);
    expect(answer.result.content[0].text).toMatch(/could not be opened in a browser.*Ways out: use a client with MCP elicitation.*BROWSER.*SINCH_CONFIRMATION_MODE=token/);
    expect(sandbox.requests).toHaveLength(0);
    server.child.kill('SIGTERM');
    await server.exited;
  });
});
