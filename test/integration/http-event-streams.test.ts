// Event streams hold a connection each, so remote mode offers one only where something can be pushed on it: with
// no callback receiver nothing is, and GET /mcp answers 405 (the client carries on without a stream).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Services, compose } from '../../src/compose.js';
import { loadConfig } from '../../src/config/config.js';
import { serve } from '../../src/serve.js';
import { endSession, httpClient, writeTokens } from '../helpers/remote.js';
import { sandboxWithClient } from '../helpers/sandbox.js';

let closeSandbox: () => Promise<void>;
let services: Services;
let serving: { url?: string; close(): Promise<void> };
let token: string;
let dir: string;

beforeAll(async () => {
  const test = await sandboxWithClient();
  closeSandbox = test.close;
  dir = mkdtempSync(join(tmpdir(), 'sinch-streams-'));
  const { file, tokens } = writeTokens(dir, 'sinch:read', ['reader']);
  token = tokens[0]!;
  services = await compose(loadConfig({ SINCH_HTTP_PORT: '0', SINCH_HTTP_TOKENS_FILE: file }), { client: test.client, audit: () => undefined });
  serving = await serve(services);
});
afterAll(async () => {
  await serving?.close();
  await services?.close();
  await closeSandbox?.();
  rmSync(dir, { recursive: true, force: true });
});

it('without a receiver, refuses the event stream (405) and the session works without it', async () => {
  const client = await httpClient(serving.url!, token);
  const sessionId = (client.transport as StreamableHTTPClientTransport).sessionId!;
  const response = await fetch(serving.url!, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', 'mcp-session-id': sessionId } });
  expect(response.status).toBe(405);
  expect(response.headers.get('allow')).toBe('POST, DELETE');
  expect((await client.listTools()).tools.length).toBeGreaterThan(0);
  await endSession(client);
});
