// With a canary key and secret, run every tool and the faults, and prove that neither the secret, nor its
// decoded bytes, nor any Authorization header value ever appears on stdout, stderr, in a result or the audit log.
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { type RawServer, spawnRaw } from '../helpers/raw-stdio.js';

const CANARY_KEY = 'canary-key-0000-4000-8000-000000000001';
const DECODED = 'CANARY-secret-bytes-7f3a9c!';
const CANARY_SECRET = Buffer.from(DECODED).toString('base64');
const audit = join(tmpdir(), `sinch-canary-audit-${process.pid}.log`);
// Recording storage credentials are secrets too: sent to Sinch, never shown, logged or audited.
const RECORDING_CREDENTIALS = 'AKIA-CANARY-REC:recording-secret-9d2e:eu-central-1';

let sandbox: Sandbox;
const servers: RawServer[] = [];
const results: string[] = [];

async function call(server: RawServer, name: string, args: Record<string, unknown> = {}) {
  const response = await server.request('tools/call', { name, arguments: args });
  results.push(JSON.stringify(response));
  return response.result as { isError?: boolean; structuredContent?: Record<string, any> };
}

async function confirmedCall(server: RawServer, name: string, args: Record<string, unknown>) {
  const preview = await call(server, name, args);
  return call(server, name, { ...args, confirmationToken: preview.structuredContent?.confirmationToken });
}

function serverWith(secret: string, extra: Record<string, string> = {}): Promise<RawServer> {
  const server = spawnRaw({
    SINCH_APPLICATION_KEY: CANARY_KEY,
    SINCH_APPLICATION_SECRET: secret,
    SINCH_CALLING_URL: sandbox.callingUrl,
    SINCH_MANAGEMENT_URL: sandbox.managementUrl,
    SINCH_AUDIT_LOG: audit,
    SINCH_TIMEOUT_MS: '800',
    SINCH_CONFIRMATION_MODE: 'token',
    ...extra,
  });
  servers.push(server);
  return server.initialize().then(() => server);
}

beforeAll(async () => {
  sandbox = await startSandbox({ app: { key: CANARY_KEY, secret: CANARY_SECRET }, timing: { answerAfterMs: 0, ttsDurationMs: 60_000 } });
});
afterAll(async () => {
  for (const server of servers) server.child.kill('SIGKILL');
  await sandbox.close();
  await rm(audit, { force: true });
});

describe('secrets never leak', () => {
  it('through every tool, every fault, and a wrong-secret run', async () => {
    for (const auth of ['signed', 'basic']) {
      const server = await serverWith(CANARY_SECRET, { SINCH_AUTH: auth });
      await call(server, 'list_numbers');
      await confirmedCall(server, 'assign_numbers', { numbers: ['+14045005000'] });
      await confirmedCall(server, 'unassign_number', { number: '+14045005000' });
      await confirmedCall(server, 'update_callback_urls', { primary: 'https://hooks.example.com/x' });
      await call(server, 'get_callback_urls');
      await call(server, 'lookup_number', { number: '+46730170101' });
      const tts = await confirmedCall(server, 'tts_callout', { destination: '+46708168731', text: 'Hi' });
      const callId = tts.structuredContent?.result.callId;
      await call(server, 'get_call_result', { callId });
      await call(server, 'manage_call', { callId, action: 'continue', instructions: [{ name: 'say', text: 'x' }] });
      const record = { callId, action: 'continue', instructions: [{ name: 'startRecording', recording: { destinationUrl: 's3://bucket/calls/', credentials: RECORDING_CREDENTIALS } }] };
      expect((await call(server, 'manage_call', record)).structuredContent?.preview).toContain('credentials: (set, hidden)');
      await confirmedCall(server, 'manage_call', record);
      await confirmedCall(server, 'hangup_call', { callId });
      const conf = await confirmedCall(server, 'conference_callout', { destination: '+46708425201', conferenceId: 'canary' });
      const participant = conf.structuredContent?.result.callId;
      await call(server, 'get_conference', { conferenceId: 'canary' });
      await call(server, 'mute_participants', { conferenceId: 'canary', callIds: [participant] });
      await call(server, 'unmute_participants', { conferenceId: 'canary', all: true });
      await confirmedCall(server, 'kick_participant', { conferenceId: 'canary', callId: participant });
      await confirmedCall(server, 'kick_all_participants', { conferenceId: 'canary' });
      for (const fault of [{ kind: 'hang' as const }, { kind: 'reset' as const }, { kind: 'invalidJson' as const }, { kind: 'status' as const, status: 500, html: true }, { kind: 'status' as const, status: 429 }]) {
        sandbox.faults.add(fault, { times: 3 });
        await call(server, 'list_numbers');
        sandbox.faults.clear();
      }
    }
    // Sinch refuses a wrong secret: the 401 answers must not echo either secret either.
    const wrong = await serverWith(Buffer.from('wrong-CANARY-secret').toString('base64'));
    const refused = await call(wrong, 'list_numbers');
    expect(refused.isError).toBe(true);
    await confirmedCall(wrong, 'tts_callout', { destination: '+46708168731', text: 'Hi' });
    // A bad secret at start-up: the error must not echo it.
    const bad = spawnRaw({ SINCH_APPLICATION_KEY: CANARY_KEY, SINCH_APPLICATION_SECRET: `${DECODED} not base64` });
    servers.push(bad);
    expect((await bad.exited).code).toBe(2);

    const authorizations = [...new Set(sandbox.requests.map((r) => r.authorization).filter((a): a is string => !!a))];
    expect(authorizations.length).toBeGreaterThan(10);
    const haystacks = {
      stdout: servers.map((s) => s.stdout()).join('\n'),
      stderr: servers.map((s) => s.stderr()).join('\n'),
      results: results.join('\n'),
      audit: await readFile(audit, 'utf8'),
    };
    expect(haystacks.audit.split('\n').filter(Boolean).length).toBeGreaterThan(20);
    // Sinch itself did receive the recording credentials (that is their purpose).
    expect(sandbox.requests.some((r) => String(JSON.stringify(r.body)).includes(RECORDING_CREDENTIALS))).toBe(true);
    const needles = [CANARY_SECRET, DECODED, 'wrong-CANARY-secret', RECORDING_CREDENTIALS, 'recording-secret-9d2e', ...authorizations, ...authorizations.map((a) => a.split(/[ :]/).at(-1)!)];
    for (const [where, text] of Object.entries(haystacks)) {
      for (const needle of needles) expect(text.includes(needle), `${where} contains ${needle.slice(0, 20)}…`).toBe(false);
    }
  });
});
