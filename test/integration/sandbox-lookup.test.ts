// The sandbox's Number Lookup and token endpoint are as strict as Sinch: the project's access key only, a live
// bearer token of that project, valid E.164 numbers, known features and fields. Plain HTTP over 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { compose } from '../../src/compose.js';
import { loadConfig } from '../../src/config/config.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { serveStdio } from '../../src/serve.js';

let sandbox: Sandbox;
let now = Date.now();
beforeAll(async () => {
  sandbox = await startSandbox({ now: () => now, tokenLifeS: 60 });
});
afterAll(() => sandbox.close());

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function token(authorization = basic(sandbox.project.keyId, sandbox.project.keySecret), body = 'grant_type=client_credentials', type = 'application/x-www-form-urlencoded') {
  const response = await fetch(`${sandbox.authUrl}/oauth2/token`, { method: 'POST', headers: { authorization, 'content-type': type }, body });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function lookup(body: unknown, bearer?: string, projectId = sandbox.project.projectId) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const response = await fetch(`${sandbox.lookupUrl}/v2/projects/${projectId}/lookups`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe('the sandbox Number Lookup', () => {
  it('issues tokens only to the project key, by client credentials', async () => {
    expect((await token(basic(sandbox.project.keyId, 'wrong'))).body).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
    expect((await token(basic('someone-else', sandbox.project.keySecret))).status).toBe(401);
    expect((await token(undefined, 'grant_type=password')).body.error).toBe('unsupported_grant_type');
    expect((await token(undefined, undefined, 'application/json')).status).toBe(400);
    const issued = await token();
    expect(issued).toMatchObject({ status: 200, body: { expires_in: 60, token_type: 'bearer', access_token: expect.any(String) } });
  });

  it('answers lookups only with a live token of its project', async () => {
    const { access_token: bearer } = (await token()).body;
    const number = { number: '+46701234567', features: ['LineType'] };
    expect((await lookup(number)).status).toBe(401);
    expect((await lookup(number, 'made-up')).status).toBe(401);
    expect((await lookup(number, bearer, 'another-project')).status).toBe(403);
    expect((await lookup(number, bearer)).body).toMatchObject({ number: '+46701234567', countryCode: 'SE', line: { type: 'Mobile' } });
    now += 61_000;
    expect((await lookup(number, bearer)).body).toMatchObject({ status: 401, title: 'Unauthorized' });
  });

  it('refuses bad numbers, unknown features and fields, and RND without its contact date', async () => {
    const { access_token: bearer } = (await token()).body;
    const refused = async (body: unknown) => (await lookup(body, bearer)).body.detail as string;
    expect(await refused({ number: '0701234567' })).toMatch(/E\.164/);
    expect(await refused({ number: '+4670' })).toMatch(/not a valid number/);
    expect(await refused({ number: '+46701234567', features: ['Carrier'] })).toMatch(/features must be a list of LineType, SimSwap, VoIPDetection, RND/);
    expect(await refused({ number: '+46701234567', countryCode: 'SE' })).toBe('unknown field countryCode');
    expect(await refused({ number: '+46701234567', features: ['RND'] })).toMatch(/contactDate/);
    // No features: LineType, as Sinch falls back to.
    expect((await lookup({ number: '+46701234567' }, bearer)).body.line).toBeDefined();
    expect((await lookup({ number: '+46701234567' }, bearer)).body.voIPDetection).toBeUndefined();
  });
});

describe('sandbox mode with project credentials', () => {
  it('the embedded sandbox accepts the configured project key, so lookup_number adds its facts with no Sinch account', async () => {
    const services = await compose(loadConfig({ SINCH_PROJECT_ID: 'my-project', SINCH_KEY_ID: 'my-key', SINCH_KEY_SECRET: 'my-secret' }), { audit: () => undefined });
    const client = new Client({ name: 'test', version: '0' });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const [serving] = await Promise.all([serveStdio(services, serverSide), client.connect(clientSide)]);
    try {
      const answer = (await client.callTool({ name: 'lookup_number', arguments: { number: '+14155550100' } })) as { structuredContent: Record<string, any> };
      expect(answer.structuredContent.result).toMatchObject({ country: 'US', line: { carrier: expect.stringMatching(/^Sandbox/), voip: expect.any(String) } });
    } finally {
      await client.close();
      await services.drain();
      await serving.close();
      await services.close();
    }
  });
});
