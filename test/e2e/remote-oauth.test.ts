// Remote mode as an OAuth 2.1 resource server: JWTs from the operator's authorization server (here a local
// issuer with its own key pair and JWKS), checked for signature, issuer, audience, expiry; scopes per request.
import { SignJWT } from 'jose';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { httpRequest } from '../helpers/approval.js';
import { type TestIssuer, startIssuer } from '../helpers/oauth-issuer.js';
import { type RemoteServer, httpClient, startRemote } from '../helpers/remote.js';
import { liveEnv } from '../helpers/sandbox.js';
import { until } from '../helpers/until.js';

const AUDIENCE = 'https://mcp.team.example.com/mcp';
let authServer: TestIssuer;
let issuer: string;
let sign: TestIssuer['sign'];
let sandbox: Sandbox;
let server: RemoteServer;

beforeAll(async () => {
  authServer = await startIssuer({ audience: AUDIENCE, clientId: 'unused' });
  issuer = authServer.url;
  sign = authServer.sign;
  sandbox = await startSandbox({ timing: { answerAfterMs: 0, ttsDurationMs: 60_000 } });
  server = await startRemote({
    ...liveEnv(sandbox),
    SINCH_OAUTH_ISSUER: issuer,
    SINCH_OAUTH_AUDIENCE: AUDIENCE,
  });
});
afterAll(async () => {
  await server?.stop();
  await sandbox?.close();
  await authServer?.close();
});

const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const initialize = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } });

/** The JSON-RPC message in a Streamable HTTP answer (plain JSON or one SSE event). */
function message(body: string): Record<string, any> {
  const data = body.split('\n').find((line) => line.startsWith('data: '));
  return JSON.parse(data ? data.slice(6) : body);
}

describe('OAuth resource server', () => {
  it('the metadata names the authorization server', async () => {
    const metadata = JSON.parse((await httpRequest(`${server.origin}/.well-known/oauth-protected-resource`)).body);
    expect(metadata).toMatchObject({ authorization_servers: [issuer], scopes_supported: ['sinch:read', 'sinch:moderate', 'sinch:call'] });
  });

  it.each([
    ['expired', () => sign({ sub: 'alice', scope: 'sinch:call' }, { expiresIn: '-1m' })],
    ['for another audience', () => sign({ sub: 'alice', scope: 'sinch:call' }, { audience: 'https://other.example/mcp' })],
    ['from another issuer', () => sign({ sub: 'alice', scope: 'sinch:call' }, { issuer: 'https://evil.example' })],
    ['signed with another key', () => sign({ sub: 'alice', scope: 'sinch:call' }, { foreignKey: true })],
    ['not a JWT', async () => 'abc.def.ghi'],
  ])('a token %s gets 401 invalid_token and nothing runs', async (_name, make) => {
    const response = await httpRequest(server.url, { method: 'POST', headers: { ...MCP_HEADERS, authorization: `Bearer ${await make()}` }, body: initialize });
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    expect(sandbox.requests).toHaveLength(0);
  });

  it('a valid JWT without any sinch scope is refused at the door (403 insufficient_scope), and one without exp is not accepted', async () => {
    const none = await httpRequest(server.url, { method: 'POST', headers: { ...MCP_HEADERS, authorization: `Bearer ${await sign({ sub: 'dave', scope: 'openid' })}` }, body: initialize });
    expect(none.status).toBe(403);
    expect(none.headers['www-authenticate']).toMatch(/error="insufficient_scope"/);
    const noExp = await new SignJWT({ sub: 'dave', scope: 'sinch:read' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(issuer).setAudience(AUDIENCE).sign(authServer.signingKey);
    expect((await httpRequest(server.url, { method: 'POST', headers: { ...MCP_HEADERS, authorization: `Bearer ${noExp}` }, body: initialize })).status).toBe(401);
  });

  it('an approver\'s sign-in on the page ends when their JWT expires', async () => {
    const offered: string[] = [];
    const client = await httpClient(server.url, await sign({ sub: 'frank', scope: 'sinch:call' }), { elicitation: { url: {} } });
    client.setRequestHandler(ElicitRequestSchema, (request) => {
      offered.push((request.params as { url: string }).url);
      return { action: 'accept' };
    });
    try {
      sandbox.state.createCall({ kind: 'conference', cli: '+14045005000', destination: { type: 'number', endpoint: '+46708168731' }, conferenceId: 'exp-room', ratePerMinute: 0.01 });
      const pending = client.callTool({ name: 'kick_all_participants', arguments: { conferenceId: 'exp-room' } }).catch(() => undefined);
      const page = await until(() => offered[0], { what: 'the approval link to be offered' });
      const form = { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(page).origin };
      const shortLived = await sign({ sub: 'erin', scope: 'sinch:approve' }, { expiresIn: '2s' });
      const signIn = await httpRequest(page, { method: 'POST', headers: form, body: new URLSearchParams({ login_token: shortLived }).toString() });
      expect(signIn.status).toBe(200);
      const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
      const pageToken = /name="token" value="([^"]+)"/.exec(signIn.body)![1]!;
      // The sign-in lasts until the JWT's exp (whole seconds, 1-2 s from now); the page shows when it has ended.
      await until(async () => (await httpRequest(page, { headers: { cookie } })).body.includes('Sign in to decide'), {
        what: "erin's sign-in to end with her JWT",
        intervalMs: 100,
      });
      const late = await httpRequest(page, { method: 'POST', headers: { ...form, cookie }, body: new URLSearchParams({ token: pageToken, decision: 'approve' }).toString() });
      expect(late.status).toBe(403);
      expect(late.body).toContain('Sign in');
      expect(sandbox.requests.filter((r) => r.method === 'DELETE')).toHaveLength(0);
      await client.close();
      await pending;
    } finally {
      await client.close().catch(() => undefined);
    }
  });

  it('a sinch:read JWT lists read tools only and cannot run a write tool by name', async () => {
    const client = await httpClient(server.url, await sign({ sub: 'bob', scope: 'sinch:read' }));
    try {
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      expect(names).toContain('lookup_number');
      expect(names).not.toContain('tts_callout');
      const attempt = await client.callTool({ name: 'tts_callout', arguments: { destination: '+46708168731', text: 'hi' } });
      expect(attempt.isError).toBe(true);
      expect(sandbox.requests).toHaveLength(0);
    } finally {
      await client.close();
    }
  });

  it('scopes are checked on every request: a session opened with sinch:call, then used with a sinch:read token of the same person, may not act', async () => {
    const strong = await sign({ sub: 'carol', scope: 'sinch:read sinch:call' });
    const weak = await sign({ sub: 'carol', scope: 'sinch:read' });
    const opened = await httpRequest(server.url, { method: 'POST', headers: { ...MCP_HEADERS, authorization: `Bearer ${strong}` }, body: initialize });
    const sessionId = String(opened.headers['mcp-session-id']);
    const session = { ...MCP_HEADERS, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' };
    await httpRequest(server.url, { method: 'POST', headers: { ...session, authorization: `Bearer ${strong}` }, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
    const call = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'kick_all_participants', arguments: { conferenceId: 'room' } } });
    const answer = message((await httpRequest(server.url, { method: 'POST', headers: { ...session, authorization: `Bearer ${weak}` }, body: call })).body);
    expect(answer.result.isError).toBe(true);
    expect(answer.result.content[0].text).toMatch(/Forbidden: your token's scopes \(sinch:read\) do not allow kick_all_participants/);
    expect(sandbox.requests).toHaveLength(0);
  });
});
