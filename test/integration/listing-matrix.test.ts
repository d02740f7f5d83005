// The bin and HTTP mode serve tools/list from the build's precomputed listing (dist/tool-listing.json,
// src/mcp/listing.ts). In every configuration that changes the listing (confirmation mode, remote or
// local, a session's scopes, skipped confirmation, read-only, toolsets, the callback receiver) it must be,
// byte for byte, what the SDK computes from the tool definitions.
import { readFileSync } from 'node:fs';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { scopesAllow } from '../../src/transports/http/scopes.js';
import { VIEWS_CLIENT, startInMemoryServer } from '../../scripts/in-memory-server.js';

const precomputed = JSON.parse(readFileSync('dist/tool-listing.json', 'utf8')) as Tool[];
const REMOTE = { SINCH_HTTP: 'true', SINCH_HTTP_TOKENS_FILE: '/nonexistent/tokens.json' };
const SETUPS: Array<[string, Record<string, string>, string[]?]> = [
  ['local', {}],
  ['remote', REMOTE],
  ['remote, a sinch:read session', REMOTE, ['sinch:read']],
  ['remote, a sinch:moderate session', REMOTE, ['sinch:moderate']],
  ['local, confirmation skipped', { SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'true' }],
  ['remote, confirmation skipped', { ...REMOTE, SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'true' }],
  ['read-only', { SINCH_READ_ONLY: 'true' }],
  ['two toolsets', { SINCH_TOOLSETS: 'conferences,callouts' }],
  ['callback receiver on', { SINCH_CALLBACK_PORT: '0', SINCH_CALLBACK_PUBLIC_URL: 'https://example.invalid/sinch/events' }],
  // lookup_number is then its Number Lookup definition, which the build's listing does not hold: the SDK lists it.
  ['Number Lookup configured', { SINCH_PROJECT_ID: 'p-1', SINCH_KEY_ID: 'k-1', SINCH_KEY_SECRET: 's-1' }],
];

async function listing(env: Record<string, string>, scopes: string[] | undefined, toolListing?: Tool[], capabilities?: Record<string, unknown>): Promise<string> {
  const server = await startInMemoryServer(env, { toolListing, access: scopes ? { scopes, allows: scopesAllow } : undefined, capabilities });
  try {
    return JSON.stringify((await server.request('tools/list')).tools);
  } finally {
    await server.close();
  }
}

describe('the precomputed tool listing, served', () => {
  for (const mode of ['auto', 'page', 'form', 'token']) {
    it.each(SETUPS)(`SINCH_CONFIRMATION_MODE=${mode}, %s: equals the SDK's own listing`, async (_name, env, scopes) => {
      const withMode = { SINCH_CONFIRMATION_MODE: mode, ...env };
      const computed = await listing(withMode, scopes);
      expect(await listing(withMode, scopes, precomputed)).toBe(computed);
      // The token field is listed exactly where the model relays approvals: token mode, and remote mode's link flow.
      const relays = env.SINCH_DANGEROUSLY_SKIP_CONFIRMATION === undefined && env.SINCH_READ_ONLY === undefined && scopes?.[0] !== 'sinch:read' && (mode === 'token' || (env.SINCH_HTTP === 'true' && mode !== 'form'));
      expect(computed.includes('"confirmationToken"'), 'confirmationToken listed').toBe(relays);
    });
  }
});

describe('the precomputed tool listing, served to a client that shows views (MCP Apps)', () => {
  for (const mode of ['auto', 'app', 'token']) {
    it.each(SETUPS)(`SINCH_CONFIRMATION_MODE=${mode}, %s: equals the SDK's own listing`, async (_name, env, scopes) => {
      const withMode = { SINCH_CONFIRMATION_MODE: mode, ...env };
      const computed = await listing(withMode, scopes, undefined, VIEWS_CLIENT);
      expect(await listing(withMode, scopes, precomputed, VIEWS_CLIENT)).toBe(computed);
      // Views are offered: guarded tools name the approval card, and the app-only tools are there for the views.
      expect(computed, 'a view named').toContain('"resourceUri":"ui://sinch-calling/');
      expect(computed, 'app-only tools').toContain('"visibility":["app"]');
      // ...and none of it reaches a client that shows no views.
      const plain = await listing(withMode, scopes, precomputed);
      expect(plain).not.toContain('ui://');
      expect(plain).not.toContain('"app_');
    });
  }
});
