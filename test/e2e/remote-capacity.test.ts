// Capacity (issue 21): one instance of the built bin in remote mode serves 1 000 concurrent sessions, each holding
// its event stream (the receiver is on, so the SDK client's GET /mcp stays open), each calling a tool three times, with
// no error and no connection refused. Speed is the benchmark's business (npm run bench:http); this checks only that nothing is refused.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { MAX_SESSIONS } from '../../src/transports/http/capacity.js';
import { type RemoteServer, endSession, httpClient, startRemote, writeTokens } from '../helpers/remote.js';
import { liveEnv } from '../helpers/sandbox.js';
import { until } from '../helpers/until.js';

/** Subjects enough that none reaches the per-subject cap (20). */
const SUBJECTS = 100;
const OPEN_AT_ONCE = 100;
const CALLS = 3;

let sandbox: Sandbox;
let server: RemoteServer;
let dir: string;
let tokens: string[];
const clients: Client[] = [];

/** Established TCP connections the server holds on its port (Linux: /proc/net/tcp, IPv4 loopback). */
function establishedOn(port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .filter((line) => {
      const [, local, , state] = line.trim().split(/\s+/);
      return local?.endsWith(`:${hexPort}`) && state === '01';
    }).length;
}

beforeAll(async () => {
  sandbox = await startSandbox({ timing: { answerAfterMs: 0, ttsDurationMs: 3_600_000 } });
  dir = mkdtempSync(join(tmpdir(), 'sinch-capacity-'));
  const written = writeTokens(dir, 'sinch:read', Array.from({ length: SUBJECTS }, (_, i) => `member-${i}`));
  tokens = written.tokens;
  server = await startRemote({
    ...liveEnv(sandbox),
    SINCH_HTTP_TOKENS_FILE: written.file,
    SINCH_CALLBACK_PORT: '0',
    SINCH_CALLBACK_PUBLIC_URL: 'https://team.example.com/sinch/events',
    // The sandbox answers from this test's own process, busy with the 1 000 clients (and, in the suite, beside
    // other files): 3 000 calls queue on the server's 16 connections to it. This checks that nothing is refused,
    // not how fast it goes, so a slow sandbox must not turn into Sinch timeouts.
    SINCH_TIMEOUT_MS: '60000',
  });
});

afterAll(async () => {
  await Promise.allSettled(clients.map(endSession));
  await server?.stop();
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

it(`serves ${MAX_SESSIONS} sessions at once, each with its event stream calling ${CALLS} times in a row, without an error or a refused connection`, { timeout: 180_000 }, async () => {
  const { callId } = sandbox.state.createCall({ kind: 'tts', cli: '+14045005000', destination: { type: 'number', endpoint: '+46708168731' }, ratePerMinute: 0.01 });
  const failures: string[] = [];
  let next = 0;
  const opener = async () => {
    for (let i = next++; i < MAX_SESSIONS; i = next++) {
      try {
        clients.push(await httpClient(server.url, tokens[i % SUBJECTS]!));
      } catch (error) {
        failures.push((error as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: OPEN_AT_ONCE }, opener));
  expect(failures).toEqual([]);
  // Every session's stream is open at the same time (the SDK client opens it after initialize).
  const port = Number(new URL(server.url).port);
  await until(() => establishedOn(port) >= MAX_SESSIONS, { what: `${MAX_SESSIONS} event streams`, timeoutMs: 60_000, intervalMs: 200 });

  // Each session calls CALLS times in a row, all sessions at once: a client starts its next request while the
  // connection of its last one is still being released, so the connections outnumber the requests in flight.
  const results = await Promise.allSettled(
    clients.map(async (client) => {
      for (let i = 0; i < CALLS; i++) {
        const result = await client.callTool({ name: 'get_call_result', arguments: { callId } });
        if (result.isError) throw new Error(JSON.stringify(result.content));
      }
    }),
  );
  const errors = results.flatMap((result) => (result.status === 'rejected' ? [String((result.reason as Error).message ?? result.reason)] : []));
  expect(errors.length, errors[0]?.slice(0, 300)).toBe(0);
  expect(server.stderr()).not.toMatch(/EMFILE|ECONNRESET|refused/);
});
