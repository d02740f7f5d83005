// lookup_number with Sinch project credentials (toolset lookup-plus): Number Lookup v2 and its OAuth2 token
// endpoint, driven over 127.0.0.1 against the sandbox, which stands in for Sinch. Without the credentials the
// tool and its listing are what they always were.
import { afterEach, describe, expect, it } from 'vitest';
import type { ProjectCredentials } from '../../src/sinch/credentials.js';
import { type Harness, harness } from '../helpers/mcp.js';

const PROJECT: ProjectCredentials = { projectId: '5c3f7e2a-0000-4000-8000-00000000a001', keyId: '0d1e2f3a-0000-4000-8000-00000000b002', keySecret: 'sandbox-key-secret-0123456789' };
const ENV = { SINCH_PROJECT_ID: PROJECT.projectId, SINCH_KEY_ID: PROJECT.keyId, SINCH_KEY_SECRET: PROJECT.keySecret };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const tokenRequests = (x: Harness) => x.sent().filter((line) => line === 'POST /oauth2/token').length;
const lookups = (x: Harness) => x.sent().filter((line) => line === `POST /v2/projects/${PROJECT.projectId}/lookups`).length;

async function listed(env: Record<string, string>) {
  const x = await harness({ env: { SINCH_CONFIRMATION_MODE: 'auto', ...env }, project: PROJECT });
  try {
    return (await x.client.listTools()).tools;
  } finally {
    await x.close();
  }
}

describe('lookup_number with Number Lookup (lookup-plus)', () => {
  it('is listed with its line facts only when project credentials are set and lookup-plus is on; every other tool is listed as before', async () => {
    const plain = await listed({});
    const plus = await listed(ENV);
    const off = await listed({ ...ENV, SINCH_TOOLSETS: 'numbers,callbacks,lookup,calls,conferences,callouts' });
    expect(JSON.stringify(off)).toBe(JSON.stringify(plain));
    const lookup = (tools: typeof plain) => tools.find((tool) => tool.name === 'lookup_number')!;
    expect(JSON.stringify(lookup(plain))).not.toMatch(/Number Lookup|carrier/);
    expect(lookup(plus).description).toMatch(/line: carrier, type, porting, VoIP \(Number Lookup, billed\)/);
    expect(Object.keys((lookup(plus).outputSchema as any).properties.result.properties)).toContain('line');
    expect(JSON.stringify(plus.filter((tool) => tool.name !== 'lookup_number'))).toBe(JSON.stringify(plain.filter((tool) => tool.name !== 'lookup_number')));
    // The same budget as the default listing (catalogue.test.ts): tools/list in at most 20 KB.
    expect(Buffer.byteLength(JSON.stringify({ tools: plus }))).toBeLessThanOrEqual(20_000);
  });

  it('adds carrier, line type, porting and VoIP probability, with one token request for many lookups', async () => {
    h = await harness({ env: ENV, project: PROJECT });
    const first = await h.call('lookup_number', { number: '+46701234567' });
    expect(first.isError).toBeFalsy();
    expect(first.structured.result).toMatchObject({
      number: '+46701234567',
      country: 'SE',
      numberType: 'Mobile',
      line: { carrier: 'Sandbox Mobile SE', type: 'Mobile', ported: true, portingDate: '2021-05-04T00:00:00Z', voip: 'Low' },
    });
    expect(first.text).toMatch(/Number Lookup: carrier Sandbox Mobile SE, line Mobile, ported 2021-05-04T00:00:00Z, VoIP probability Low/);
    for (const number of ['+46812345678', '070-123 45 66', '+14155550100']) {
      const answer = await h.call('lookup_number', { number, defaultCountry: 'SE' });
      expect(answer.structured.result.line, number).toBeDefined();
    }
    expect(tokenRequests(h)).toBe(1);
    expect(lookups(h)).toBe(4);
    // Sent as Sinch documents it: the project's path, {number, features}, a bearer token; the key only to the token endpoint.
    const sent = h.sandbox.requests.filter((r) => r.path.startsWith('/v2/projects/'));
    expect(sent[0]!.body).toEqual({ number: '+46701234567', features: ['LineType', 'VoIPDetection'] });
    expect(sent.every((r) => r.authorization?.startsWith('Bearer '))).toBe(true);
    const token = h.sandbox.requests.find((r) => r.path === '/oauth2/token')!;
    expect(token.authorization).toBe(`Basic ${Buffer.from(`${PROJECT.keyId}:${PROJECT.keySecret}`).toString('base64')}`);
    // Neither the secret nor the token is in any answer.
    const bearer = sent[0]!.authorization!.slice('Bearer '.length);
    expect(first.text).not.toContain(bearer);
    expect(first.text).not.toContain(PROJECT.keySecret);
  });

  it('renews the token shortly before it expires, by the injected clock (no sleeping)', async () => {
    let now = Date.now();
    h = await harness({ env: ENV, project: PROJECT, now: () => now });
    await h.call('lookup_number', { number: '+46701234567' });
    now += 58 * 60_000;
    await h.call('lookup_number', { number: '+46701234567' });
    expect(tokenRequests(h)).toBe(1);
    now += 60_000; // 59 minutes: within the last minute of the token's hour
    await h.call('lookup_number', { number: '+46701234567' });
    expect(tokenRequests(h)).toBe(2);
    expect(lookups(h)).toBe(3);
  });

  it('refuses wrong credentials with an error naming the variables to fix, never the secret, and keeps the free facts', async () => {
    const wrongSecret = 'not-the-secret-4711';
    h = await harness({ env: { ...ENV, SINCH_KEY_SECRET: wrongSecret }, project: PROJECT });
    const answer = await h.call('lookup_number', { number: '+46701234567' });
    expect(answer.isError).toBe(true);
    expect(answer.text).toMatch(/token endpoint refused the project access key \(401 client authentication failed\): check SINCH_KEY_ID and SINCH_KEY_SECRET/);
    expect(answer.text).toMatch(/The free lookup answered: \+46701234567: Mobile in SE/);
    expect(answer.text).not.toContain(wrongSecret);
    expect(lookups(h)).toBe(0);
  });

  it('names SINCH_PROJECT_ID when the key belongs to another project', async () => {
    h = await harness({ env: { ...ENV, SINCH_PROJECT_ID: 'another-project' }, project: PROJECT });
    const answer = await h.call('lookup_number', { number: '+46701234567' });
    expect(answer.isError).toBe(true);
    expect(answer.text).toMatch(/refused project another-project \(403 .*\): check SINCH_PROJECT_ID/);
  });

  it('still answers the free lookup, with a note, when Number Lookup fails upstream', async () => {
    h = await harness({ env: ENV, project: PROJECT });
    h.sandbox.faults.add({ kind: 'reset' }, { path: '/oauth2/token' });
    const reset = await h.call('lookup_number', { number: '+46701234567' });
    expect(reset.isError).toBeFalsy();
    expect(reset.structured.result.line.note).toMatch(/did not answer \(network/);
    expect(reset.structured.result.country).toBe('SE');

    h.sandbox.faults.add({ kind: 'status', status: 503 }, { path: '/lookups' });
    const answer = await h.call('lookup_number', { number: '+46701234567' });
    expect(answer.isError).toBeFalsy();
    expect(answer.structured.result).toMatchObject({ number: '+46701234567', country: 'SE', numberType: 'Mobile', line: { note: expect.stringMatching(/^Number Lookup answered 503 .*; the other facts are from the free lookup\.$/) } });
    expect(answer.structured.result.line.carrier).toBeUndefined();
  });

  it('a national number without a country answers with its candidates, and asks Number Lookup nothing', async () => {
    h = await harness({ env: ENV, project: PROJECT });
    const answer = await h.call('lookup_number', { number: '070-123 45 67' });
    expect(answer.structured.result.candidates?.length).toBeGreaterThan(0);
    expect(tokenRequests(h) + lookups(h)).toBe(0);
  });
});

describe('the bin’s precomputed listing with Number Lookup configured', () => {
  it('serves lookup_number with its line facts (the build’s listing holds only the free one)', async () => {
    const { readFileSync } = await import('node:fs');
    const { startInMemoryServer } = await import('../../scripts/in-memory-server.js');
    const server = await startInMemoryServer(ENV, { toolListing: JSON.parse(readFileSync('dist/tool-listing.json', 'utf8')) });
    try {
      const { tools } = await server.request('tools/list');
      expect(tools.find((tool: { name: string }) => tool.name === 'lookup_number').description).toMatch(/Number Lookup, billed/);
    } finally {
      await server.close();
    }
  });
});
