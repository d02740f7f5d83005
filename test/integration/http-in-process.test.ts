// Remote mode in this process: compose() binds the port, serve() mounts the edge on it, and the SDK client talks
// Streamable HTTP to it. The same assembly as the bin's, with a test sandbox playing Sinch.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Services, compose } from '../../src/compose.js';
import { loadConfig } from '../../src/config/config.js';
import { serve } from '../../src/serve.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { httpRequest } from '../helpers/approval.js';
import { VIEWS_CLIENT } from '../helpers/mcp.js';
import { httpClient, writeTokens } from '../helpers/remote.js';
import { sandboxWithClient } from '../helpers/sandbox.js';

let sandbox: Sandbox;
let closeSandbox: () => Promise<void>;
let services: Services;
let serving: { url?: string; close(): Promise<void> };
let token: string;
let agentToken: string;
let dir: string;

beforeAll(async () => {
  const test = await sandboxWithClient();
  sandbox = test.sandbox;
  closeSandbox = test.close;
  dir = mkdtempSync(join(tmpdir(), 'sinch-http-'));
  const { file, tokens } = writeTokens(dir, ['sinch:read', 'sinch:call'], ['reader', 'agent']);
  [token, agentToken] = tokens as [string, string];
  const config = loadConfig({ SINCH_HTTP_PORT: '0', SINCH_HTTP_TOKENS_FILE: file, SINCH_CALLBACK_PORT: '0', SINCH_CALLBACK_PUBLIC_URL: 'https://team.example.test/sinch/events' });
  services = await compose(config, { client: test.client, audit: () => undefined, views: () => Promise.resolve('<!doctype html><title>view</title>') });
  serving = await serve(services);
});
afterAll(async () => {
  await serving?.close();
  await services?.close();
  await closeSandbox?.();
  rmSync(dir, { recursive: true, force: true });
});

describe('remote mode, composed and served in process', () => {
  it('answers /mcp on the port compose() bound, and everything it names is that port', async () => {
    const origin = services.http!.server.origin;
    expect(serving.url).toBe(`${origin}/mcp`);
    // The receiver is mounted beside /mcp: it answers there (an unsigned callback is refused as such).
    expect(services.receiver!.localUrl).toBe(`${origin}/sinch/events`);
    const unsigned = await httpRequest(services.receiver!.localUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"event":"dice"}' });
    expect(unsigned).toMatchObject({ status: 401, body: 'invalid signature' });
    // So do the approval pages (an unknown approval is not found). Static tokens have no authorization server,
    // so no OAuth metadata is advertised.
    expect((await httpRequest(`${origin}/approve/${'a'.repeat(43)}`)).status).toBe(404);
    expect((await httpRequest(`${origin}/.well-known/oauth-protected-resource`)).status).toBe(404);
  });

  it('answers only for its own Host: another name gets 421 before anything else', async () => {
    const answer = await httpRequest(serving.url!, { method: 'POST', headers: { host: 'evil.test', 'content-type': 'application/json' }, body: '{}' });
    expect(answer.status).toBe(421);
  });

  it('a session with a sinch:read token lists only read tools and reads through the shared client', async () => {
    const client = await httpClient(serving.url!, token);
    try {
      const { tools } = await client.listTools();
      expect(tools.length).toBeGreaterThan(0);
      expect(tools.every((tool) => tool.annotations?.readOnlyHint === true)).toBe(true);
      const numbers = await client.callTool({ name: 'list_numbers', arguments: {} });
      expect(numbers.isError).toBeFalsy();
      expect(sandbox.requests.map((r) => `${r.method} ${r.path}`)).toContain('GET /v1/configuration/numbers');
    } finally {
      await client.close();
    }
  });

  it('refuses a request without a token with a challenge that names no metadata (static tokens: none exists)', async () => {
    const answer = await httpRequest(serving.url!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(answer.status).toBe(401);
    expect(String(answer.headers['www-authenticate'])).toMatch(/^Bearer error="invalid_request"/);
    expect(String(answer.headers['www-authenticate'])).not.toContain('resource_metadata');
  });

  it('with a client that shows views, the approval card offers the approval page and never approves by itself', async () => {
    sandbox.state.createCall({ kind: 'conference', cli: '+14045005000', destination: { type: 'number', endpoint: '+46708168731' }, conferenceId: 'team-room', ratePerMinute: 0.01 });
    const client = await httpClient(serving.url!, agentToken, VIEWS_CLIENT);
    try {
      // No dialog and no link support: the model relays the page's link (and the card shows it too).
      const asked = (await client.callTool({ name: 'kick_all_participants', arguments: { conferenceId: 'team-room' } })).structuredContent as Record<string, string>;
      expect(asked.status).toBe('confirmation_required');
      const card = ((await client.callTool({ name: 'app_approval', arguments: { tool: 'kick_all_participants', arguments: { conferenceId: 'team-room' } } })).structuredContent as any).result;
      expect(card).toMatchObject({ found: true, approval: { key: '', remote: { url: expect.stringMatching(/\/approve\/[A-Za-z0-9_-]{43}$/) } } });
      expect(asked.preview).toContain('Remove everyone from conference team-room');
      const decided = ((await client.callTool({ name: 'app_decide', arguments: { id: card.approval.id, key: card.approval.key, decision: 'approve' } })).structuredContent as any).result;
      expect(decided.outcome).toBe('refused');
      // Nor can the console's removal button stand in for the signed-in approver: it gets the approval link too.
      const participant = sandbox.state.participants('team-room')[0]!;
      const kick = ((await client.callTool({ name: 'app_moderate', arguments: { conferenceId: 'team-room', action: 'kick', callIds: [participant.callId] } })).structuredContent as any).result;
      expect(kick.summary).toMatch(/APPROVAL REQUIRED, nothing was done yet/);
      expect(sandbox.requests.filter((r) => r.method === 'DELETE')).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
