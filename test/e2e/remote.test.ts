// Remote mode for a team: the built bin over Streamable HTTP with bearer authentication, and two instances
// sharing a real redis-server. A sandbox this test owns plays Sinch (live mode), so its request count is
// the truth about what was sent.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { applicationAuthorization } from '../../src/sinch/signing.js';
import { httpRequest } from '../helpers/approval.js';
import { type RedisServer, startRedisServer } from '../helpers/redis.js';
import { type RemoteServer, httpClient, sha256Hex, startRemote } from '../helpers/remote.js';
import { liveEnv } from '../helpers/sandbox.js';
import { until } from '../helpers/until.js';

const PUBLIC_EVENTS = 'https://team.example.com/sinch/events';
const TOKENS = {
  read: 'read-token-for-tests-0001',
  moderate: 'moderate-token-for-tests-02',
  call: 'call-token-for-tests-00003',
  approver: 'approver-token-for-tests-4',
  // One person (dana) with a token that may both call and approve, and a second approver's token of her own.
  callAndApprove: 'dana-calls-and-approves-05',
  danaApprover: 'dana-approver-token-of-06',
};

const STATE_SECRET = 'the-team-state-secret-of-32-bytes-0001';

let sandbox: Sandbox;
let redis: RedisServer;
let a: RemoteServer;
let b: RemoteServer;
let deliverTo = '';
const clients: Client[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  sandbox = await startSandbox({ timing: { answerAfterMs: 300, ttsDurationMs: 60_000 }, callbacks: { deliverTo: (url) => (url === PUBLIC_EVENTS ? deliverTo : url) } });
  const dir = mkdtempSync(join(tmpdir(), 'sinch-remote-'));
  const tokensFile = join(dir, 'tokens');
  writeFileSync(
    tokensFile,
    [
      '# hash scopes name',
      `${sha256Hex(TOKENS.read)} sinch:read reader`,
      `${sha256Hex(TOKENS.moderate)} sinch:moderate moderator`,
      `${sha256Hex(TOKENS.call)} sinch:call agent`,
      `${sha256Hex(TOKENS.approver)} sinch:approve anna`,
      `${sha256Hex(TOKENS.callAndApprove)} sinch:call,sinch:approve dana`,
      `${sha256Hex(TOKENS.danaApprover)} sinch:approve dana`,
    ].join('\n'),
  );
  const env = {
    ...liveEnv(sandbox),
    SINCH_HTTP_TOKENS_FILE: tokensFile,
    SINCH_REDIS_URL: redis.url,
    SINCH_STATE_SECRET: STATE_SECRET,
    SINCH_MAX_CALLOUTS_PER_MINUTE: '3',
    SINCH_CALLBACK_PORT: '0',
    SINCH_CALLBACK_PUBLIC_URL: PUBLIC_EVENTS,
    SINCH_CONFIRM_TIMEOUT_MS: '20000',
  };
  [a, b] = await Promise.all([startRemote(env), startRemote(env)]);
  deliverTo = `${b.origin}/sinch/events`; // Sinch's callbacks reach instance B
  sandbox.state.callbacks.primary = PUBLIC_EVENTS;
});
const approvalsInFlight: Array<Promise<number>> = [];
afterAll(async () => {
  await Promise.allSettled(approvalsInFlight);
  await Promise.allSettled(clients.map((client) => client.close()));
  await Promise.allSettled([a?.stop(), b?.stop()]);
  await sandbox?.close();
  await redis?.stop();
});

async function connect(server: RemoteServer, token: string, capabilities: Record<string, unknown> = {}): Promise<Client> {
  const client = await httpClient(server.url, token, capabilities);
  clients.push(client);
  return client;
}

/** A person (the approver) signs in on the page the link opens and approves; returns the page's answer status. */
async function approveOnPage(url: string, token = TOKENS.approver): Promise<number> {
  const origin = new URL(url).origin;
  const form = { 'content-type': 'application/x-www-form-urlencoded', origin };
  const signIn = await httpRequest(url, { method: 'POST', headers: form, body: new URLSearchParams({ login_token: token }).toString() });
  const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
  const pageToken = /name="token" value="([^"]+)"/.exec(signIn.body)![1]!;
  return (await httpRequest(url, { method: 'POST', headers: { ...form, cookie }, body: new URLSearchParams({ token: pageToken, decision: 'approve' }).toString() })).status;
}

/** A client that shows approval links (URL elicitation) to a person who approves each one. */
async function approvingClient(server: RemoteServer): Promise<Client> {
  const client = await connect(server, TOKENS.call, { elicitation: { url: {} } });
  client.setRequestHandler(ElicitRequestSchema, (request) => {
    // Answered in the background, like a person; awaited before the instances stop (a page may still be waiting
    // for its call to claim the approval then), so none ends as an unhandled rejection.
    approvalsInFlight.push(approveOnPage((request.params as { url: string }).url));
    return { action: 'accept' };
  });
  return client;
}

/** A client that shows approval links (URL elicitation) but leaves them to the test, and a live call in `room`. */
async function linkShowingAgent(server: RemoteServer, room: string): Promise<{ agent: Client; offered: string[] }> {
  const offered: string[] = [];
  const agent = await connect(server, TOKENS.call, { elicitation: { url: {} } });
  agent.setRequestHandler(ElicitRequestSchema, (request) => {
    offered.push((request.params as { url: string }).url);
    return { action: 'accept' };
  });
  sandbox.state.createCall({ kind: 'conference', cli: '+14045005000', destination: { type: 'number', endpoint: '+46708168731' }, conferenceId: room, ratePerMinute: 0.01 });
  return { agent, offered };
}

const text = (result: Record<string, unknown>) => (result.content as Array<{ text: string }>)[0]!.text;
const sent = () => sandbox.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);

describe('authentication and scopes', () => {
  it('no token, an unknown token: 401, nothing runs; static tokens advertise no OAuth metadata', async () => {
    const initialize = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '0' } } });
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    for (const authorization of [undefined, 'Bearer not-a-token', 'Basic abc']) {
      const response = await httpRequest(a.url, { method: 'POST', headers: { ...headers, ...(authorization ? { authorization } : {}) }, body: initialize });
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer error="invalid_(request|token)"/);
      expect(response.headers['www-authenticate']).not.toContain('resource_metadata');
    }
    for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']) expect((await httpRequest(`${a.origin}${path}`)).status).toBe(404);
    expect(a.stderr()).not.toContain('not-a-token');
  });

  it('a sinch:read token lists only read tools and cannot call a write tool even by name', async () => {
    const reader = await connect(a, TOKENS.read);
    const names = (await reader.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('get_conference');
    expect(names).not.toContain('kick_all_participants');
    expect(names).not.toContain('mute_participants');
    const before = sandbox.requests.length;
    const attempt = await reader.callTool({ name: 'kick_all_participants', arguments: { conferenceId: 'room' } });
    expect(attempt.isError).toBe(true);
    expect(sandbox.requests.length).toBe(before);
  });

  it('sinch:moderate may mute but not place callouts', async () => {
    const moderator = await connect(a, TOKENS.moderate);
    const names = (await moderator.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('mute_participants');
    expect(names).not.toContain('tts_callout');
    expect(names).not.toContain('update_callback_urls');
  });

  it('a client whose form dialog "accepts" by itself does not get to approve: remote mode asks a signed-in person', async () => {
    const scripted = await connect(a, TOKENS.call, { elicitation: { form: {} } });
    let asked = 0;
    scripted.setRequestHandler(ElicitRequestSchema, () => (asked++, { action: 'accept', content: { confirm: true } }));
    const before = sent().length;
    const result = await scripted.callTool({ name: 'kick_all_participants', arguments: { conferenceId: 'no-room' } });
    expect(asked).toBe(0);
    expect((result.structuredContent as { status: string }).status).toBe('confirmation_required');
    expect(sent().length).toBe(before);
  });

  it('a client that shows approval links itself cannot pass a token instead: refused, nothing asked, nothing sent', async () => {
    const linking = await connect(a, TOKENS.call, { elicitation: { url: {} } });
    let asked = 0;
    linking.setRequestHandler(ElicitRequestSchema, () => (asked++, { action: 'accept' }));
    const before = sent().length;
    const result = await linking.callTool({ name: 'kick_all_participants', arguments: { conferenceId: 'no-room', confirmationToken: 'made-up' } });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/confirmationToken is refused: this client can show a person the approval link itself/);
    expect(asked).toBe(0);
    expect(sent().length).toBe(before);
  });

  it('a session belongs to the subject that opened it: another token cannot use it', async () => {
    const agent = await connect(a, TOKENS.call);
    await agent.listTools();
    const sessionId = (agent.transport as { sessionId?: string }).sessionId!;
    const response = await httpRequest(a.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${TOKENS.read}`, 'mcp-session-id': sessionId },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
    });
    expect(response.status).toBe(403);
  });

  it('a foreign Host (DNS rebinding) and a foreign Origin are refused', async () => {
    const port = new URL(a.url).port;
    expect((await httpRequest(a.url, { method: 'POST', headers: { host: `rebound.example.com:${port}`, authorization: `Bearer ${TOKENS.call}` }, body: '{}' })).status).toBe(421);
    expect((await httpRequest(a.url, { method: 'POST', headers: { origin: 'https://evil.example', authorization: `Bearer ${TOKENS.call}` }, body: '{}' })).status).toBe(403);
  });
});

describe('two instances on one Redis', () => {
  it('a confirmation requested on A and approved through B\'s page sends exactly one request; the audit names both people', async () => {
    const { agent, offered } = await linkShowingAgent(a, 'team-room');
    const before = sent().length;
    const pending = agent.callTool({ name: 'kick_all_participants', arguments: { conferenceId: 'team-room' } });
    const id = new URL(await until(() => offered[0], { what: 'the approval link to be offered' })).pathname.split('/').pop()!;
    const onB = `${b.origin}/approve/${id}`;

    // The page asks for a sign-in; a read token may not approve; the approver signs in and approves on B.
    const beforeSignIn = (await httpRequest(onB)).body;
    expect(beforeSignIn).toContain('Sign in to decide');
    expect(beforeSignIn).not.toContain('team-room'); // the details are for the person who signs in
    const form = { 'content-type': 'application/x-www-form-urlencoded', origin: b.origin };
    const refused = await httpRequest(onB, { method: 'POST', headers: form, body: new URLSearchParams({ login_token: TOKENS.read }).toString() });
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('reader may not approve: approving needs the sinch:approve scope');
    const signIn = await httpRequest(onB, { method: 'POST', headers: form, body: new URLSearchParams({ login_token: TOKENS.approver }).toString() });
    expect(signIn.status).toBe(200);
    const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
    expect(String(signIn.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    expect(signIn.body).toContain('team-room');
    const pageToken = /name="token" value="([^"]+)"/.exec(signIn.body)![1]!;
    expect(sent().length).toBe(before);
    const approved = await httpRequest(onB, { method: 'POST', headers: { ...form, cookie }, body: new URLSearchParams({ token: pageToken, decision: 'approve' }).toString() });
    expect(approved.status).toBe(200);

    const result = await pending;
    expect((result.structuredContent as { status: string }).status).toBe('done');
    expect(sent().slice(before)).toEqual(['DELETE /calling/v1/conferences/id/team-room']);
    const audit = a.stderr().split('\n').filter((line) => line.includes('"audit":true') && line.includes('"outcome":"ok"')).map((line) => JSON.parse(line.slice(line.indexOf('{'))));
    expect(audit.at(-1)).toMatchObject({ tool: 'kick_all_participants', confirmedBy: 'url', caller: 'agent', approvedBy: 'anna' });
  });

  it('a decision written into Redis without the secret, then published, does not release the waiting call: nothing is sent', async () => {
    const { agent, offered } = await linkShowingAgent(a, 'forged-room');
    const before = sent().length;
    const stopped = new AbortController();
    const pending = agent.callTool({ name: 'kick_all_participants', arguments: { conferenceId: 'forged-room' } }, undefined, { signal: stopped.signal });
    pending.catch(() => undefined);
    const id = new URL(await until(() => offered[0], { what: 'the approval link to be offered' })).pathname.split('/').pop()!;
    // The pending approval in Redis holds its page token only as a hash, and a MAC.
    const stored = await redis.cli('GET', `sinch-mcp:approval:${id}`);
    expect(stored).toMatch(/^m1\.[0-9a-z]+\.[A-Za-z0-9_-]{43}\.\{.*"pageTokenHash":"[A-Za-z0-9_-]{43}"/);
    expect(stored).not.toContain('"pageToken"');
    // What someone with write access to Redis (and not SINCH_STATE_SECRET) would do: a decision, then its wake-up.
    await redis.cli('SET', `sinch-mcp:approval-decision:${id}`, JSON.stringify({ state: 'approved', by: 'mallory' }));
    await redis.cli('PUBLISH', `sinch-mcp:approval:${id}`, 'approved');
    await until(() => a.stderr().includes('refused a value under key approval-decision:* in Redis'), { what: 'A to read and refuse the forged decision' });
    expect(a.stderr()).not.toContain('mallory');
    for (const server of [a, b]) expect(server.stderr()).not.toContain(STATE_SECRET);
    // The page does not show it approved either, and the person can no longer approve it: it is cancelled.
    expect((await httpRequest(`${b.origin}/approve/${id}`)).body).not.toContain('Approved');
    expect(await approveOnPage(`${b.origin}/approve/${id}`)).not.toBe(200);
    stopped.abort();
    await expect(pending).rejects.toThrow();
    expect(sent().slice(before)).toEqual([]);
  });

  it('a client without elicitation gets a link for a person; once approved on the page, the call made again (even on B) sends once', async () => {
    const onA = await connect(a, TOKENS.call);
    const onB = await connect(b, TOKENS.call);
    sandbox.state.createCall({ kind: 'conference', cli: '+14045005000', destination: { type: 'number', endpoint: '+46708168731' }, conferenceId: 'link-room', ratePerMinute: 0.01 });
    const before = sent().length;
    const args = { conferenceId: 'link-room' };
    const first = await onA.callTool({ name: 'kick_all_participants', arguments: args });
    const { status, confirmationToken } = first.structuredContent as { status: string; confirmationToken: string };
    expect(status).toBe('confirmation_required');
    expect(text(first)).toMatch(/must open http:\/\/127\.0\.0\.1:\d+\/approve\/\S+, sign in with their own access token/);
    const tooEarly = await onB.callTool({ name: 'kick_all_participants', arguments: { ...args, confirmationToken } });
    expect(tooEarly.isError).toBe(true);
    expect(text(tooEarly)).toMatch(/Not approved yet/);
    expect(sent().length).toBe(before);

    // The person signs in on B's page and approves.
    const page = `${b.origin}/approve/${confirmationToken}`;
    const form = { 'content-type': 'application/x-www-form-urlencoded', origin: b.origin };
    const signIn = await httpRequest(page, { method: 'POST', headers: form, body: new URLSearchParams({ login_token: TOKENS.approver }).toString() });
    const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
    const pageToken = /name="token" value="([^"]+)"/.exec(signIn.body)![1]!;
    await httpRequest(page, { method: 'POST', headers: { ...form, cookie }, body: new URLSearchParams({ token: pageToken, decision: 'approve' }).toString() });

    const other = await onB.callTool({ name: 'kick_all_participants', arguments: { conferenceId: 'another-room', confirmationToken } });
    expect(text(other)).toMatch(/does not belong to this call/);
    const done = await onB.callTool({ name: 'kick_all_participants', arguments: { ...args, confirmationToken } });
    expect((done.structuredContent as { status: string }).status).toBe('done');
    const again = await onA.callTool({ name: 'kick_all_participants', arguments: { ...args, confirmationToken } });
    expect(text(again)).toMatch(/already used/);
    expect(sent().slice(before)).toEqual(['DELETE /calling/v1/conferences/id/link-room']);
  });

  it("the caller cannot approve itself over plain HTTP: not with its own token, a calling token or another token of its own; nothing is sent until another approver does", async () => {
    const dana = await connect(a, TOKENS.callAndApprove);
    sandbox.state.createCall({ kind: 'conference', cli: '+14045005000', destination: { type: 'number', endpoint: '+46708168731' }, conferenceId: 'self-room', ratePerMinute: 0.01 });
    const before = sent().length;
    const args = { conferenceId: 'self-room' };
    const { confirmationToken } = (await dana.callTool({ name: 'kick_all_participants', arguments: args })).structuredContent as { confirmationToken: string };
    const page = `${a.origin}/approve/${confirmationToken}`;
    const form = { 'content-type': 'application/x-www-form-urlencoded', origin: a.origin };
    const signIn = (token: string) => httpRequest(page, { method: 'POST', headers: form, body: new URLSearchParams({ login_token: token }).toString() });
    const attempts: Array<[string, RegExp]> = [
      [TOKENS.callAndApprove, /The token that made this call cannot approve it/],
      [TOKENS.call, /agent may not approve: approving needs the sinch:approve scope/],
      [TOKENS.danaApprover, /dana asked for this action and may not also approve it/],
    ];
    for (const [token, refusal] of attempts) {
      const answer = await signIn(token);
      expect(answer.status).toBe(403);
      expect(answer.body).toMatch(refusal);
      expect(answer.headers['set-cookie']).toBeUndefined();
      expect(answer.body).not.toMatch(/name="token"/);
    }
    const early = await dana.callTool({ name: 'kick_all_participants', arguments: { ...args, confirmationToken } });
    expect(text(early)).toMatch(/Not approved yet/);
    expect(sent().length).toBe(before);

    expect(await approveOnPage(page)).toBe(200);
    const done = await dana.callTool({ name: 'kick_all_participants', arguments: { ...args, confirmationToken } });
    expect((done.structuredContent as { status: string }).status).toBe('done');
    expect(sent().slice(before)).toEqual(['DELETE /calling/v1/conferences/id/self-room']);
    // The outcome line reaches A's stderr just after the answer: wait for it.
    const outcome = await until(
      () => a.stderr().split('\n').find((line) => line.includes('"audit":true') && line.includes('self-room') && line.includes('"outcome":"ok"')),
      { what: 'the audit outcome line' },
    );
    const audit = [JSON.parse(outcome.slice(outcome.indexOf('{')))];
    expect(audit.at(-1)).toMatchObject({ caller: 'dana', approvedBy: 'anna', confirmedBy: 'page' });
    expect(audit.at(-1).selfApproved).toBeUndefined();
  });

  it('a client that answers its own URL elicitation by signing in with its token is refused on the page, and nothing is sent', async () => {
    const refusals: number[] = [];
    const client = await connect(a, TOKENS.callAndApprove, { elicitation: { url: {} } });
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      const url = (request.params as { url: string }).url;
      const answer = await httpRequest(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(url).origin },
        body: new URLSearchParams({ login_token: TOKENS.callAndApprove }).toString(),
      });
      refusals.push(answer.status);
      return { action: 'decline' };
    });
    sandbox.state.createCall({ kind: 'conference', cli: '+14045005000', destination: { type: 'number', endpoint: '+46708168731' }, conferenceId: 'elicit-room', ratePerMinute: 0.01 });
    const before = sent().length;
    const result = await client.callTool({ name: 'kick_all_participants', arguments: { conferenceId: 'elicit-room' } });
    expect(refusals).toEqual([403]);
    expect((result.structuredContent as { status: string }).status).toBe('declined');
    expect(sent().length).toBe(before);
  });

  it('an ACE for a callout placed through A reaches B, is answered connectConf with hold music, and wait_for_call_event on A sees it', async () => {
    const agent = await approvingClient(a);
    const placed = await agent.callTool({
      name: 'conference_callout',
      arguments: { destination: '+46708168731', conferenceId: 'ace-room', enableAce: true, mohClass: 'music1', label: 'Anna' },
    });
    const { callId } = (placed.structuredContent as { result: { callId: string } }).result;
    const waited = await agent.callTool({ name: 'wait_for_call_event', arguments: { callIds: [callId], events: ['ace'], timeoutSeconds: 10, afterSeq: 0 } });
    const onA = (waited.structuredContent as { result: { timedOut: boolean; events: Array<{ type: string; seq: number }> } }).result;
    expect(onA).toMatchObject({ timedOut: false, events: [{ type: 'ace', callId }] });
    // One sequence across instances: B gives the same event the same seq, so an afterSeq from A means the same on B.
    const waitedOnB = await (await approvingClient(b)).callTool({ name: 'wait_for_call_event', arguments: { callIds: [callId], events: ['ace'], timeoutSeconds: 10 } });
    expect((waitedOnB.structuredContent as { result: { events: Array<{ seq: number }> } }).result.events.map((event) => event.seq)).toEqual([onA.events[0]!.seq]);
    const call = sandbox.state.calls.get(callId)!;
    // A hears of the event (through Redis) while B answers it; the sandbox obeys that answer when it arrives.
    await until(() => call.awaitingAce === false, { what: 'the sandbox to obey the answer to the ACE' });
    expect(call).toMatchObject({ conferenceId: 'ace-room', moh: 'music1' });
  });

  it('a callback accepted by B and replayed to A is refused there (empty 200, nothing stored)', async () => {
    const body = JSON.stringify({ event: 'ace', callid: 'replayed-across', timestamp: new Date().toISOString(), version: 1 });
    const timestamp = new Date().toISOString();
    const headers = {
      'content-type': 'application/json',
      'x-timestamp': timestamp,
      authorization: applicationAuthorization(sandbox.app.key, sandbox.app.secret, { method: 'POST', body, contentType: 'application/json', timestamp, path: '/sinch/events' }),
    };
    const first = await httpRequest(`${b.origin}/sinch/events`, { method: 'POST', headers, body });
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toMatchObject({ action: { name: 'continue' } });
    const replay = await httpRequest(`${a.origin}/sinch/events`, { method: 'POST', headers, body });
    expect(replay.status).toBe(200);
    expect(replay.body).toBe('');
  });

  it('the callout budget is one for both instances under parallel callouts', async () => {
    const onA = await approvingClient(a);
    const onB = await approvingClient(b);
    const before = sent().filter((line) => line.endsWith('/callouts')).length;
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? onA : onB).callTool({ name: 'tts_callout', arguments: { destination: '+46708168731', text: `Call ${i}` } })),
    );
    const placed = sent().filter((line) => line.endsWith('/callouts')).length - before;
    // The ACE test above placed one of the 3 allowed this minute: 2 more go out, 6 are refused.
    expect(placed).toBe(2);
    expect(results.filter((r) => r.isError && /callouts in the last minute/.test(text(r)))).toHaveLength(6);
  });

});
