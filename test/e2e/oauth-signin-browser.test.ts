// Remote mode with OAuth and SINCH_OAUTH_CLIENT_ID: the approver signs in at the issuer, not by pasting a token.
// The built bin, a local issuer (test/helpers/oauth-issuer.ts), the sandbox as Sinch, and a real headless
// Chromium: open the link the client was offered -> Sign in -> issuer -> back -> Approve -> one request sent.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { launchChromium } from '../helpers/chromium.js';
import { type TestIssuer, startIssuer } from '../helpers/oauth-issuer.js';
import { type RemoteServer, httpClient, startRemote } from '../helpers/remote.js';
import { liveEnv } from '../helpers/sandbox.js';
import { until } from '../helpers/until.js';

const AUDIENCE = 'https://mcp.team.example.com/mcp';
const CLIENT_SECRET = 'approval-page-client-secret-0123456789';
let issuer: TestIssuer;
let sandbox: Sandbox;
let server: RemoteServer;
let browser: Browser;
let client: Client;
const offered: string[] = [];

beforeAll(async () => {
  issuer = await startIssuer({ audience: AUDIENCE, clientId: 'sinch-approvals', clientSecret: CLIENT_SECRET });
  sandbox = await startSandbox({ timing: { answerAfterMs: 0, ttsDurationMs: 60_000 } });
  server = await startRemote({
    ...liveEnv(sandbox),
    SINCH_OAUTH_ISSUER: issuer.url,
    SINCH_OAUTH_AUDIENCE: AUDIENCE,
    SINCH_OAUTH_CLIENT_ID: 'sinch-approvals',
    SINCH_OAUTH_CLIENT_SECRET: CLIENT_SECRET,
  });
  browser = await launchChromium();
  client = await httpClient(server.url, await issuer.sign({ sub: 'alice', scope: 'sinch:call' }), { elicitation: { url: {} } });
  client.setRequestHandler(ElicitRequestSchema, (request) => {
    offered.push((request.params as { url: string }).url);
    return { action: 'accept' };
  });
});
afterAll(async () => {
  await client?.close();
  await browser?.close();
  await server?.stop();
  await sandbox?.close();
  await issuer?.close();
});

describe('sign-in at the issuer on the approval page', () => {
  it('Sign in -> issuer -> back -> Approve sends exactly one request; no token is pasted, none is logged', async () => {
    issuer.user = { sub: 'anna', scope: 'sinch:approve' };
    const pending = client.callTool({ name: 'tts_callout', arguments: { destination: '+46708168731', cli: '+14045005000', text: 'Stand-up moved to Atlas.' } });
    const link = await until(() => offered[0], { what: 'the approval link to be offered' });

    const page = await browser.newPage();
    await page.goto(link);
    expect(await page.locator('input[type=password]').count()).toBe(0);
    expect(await page.locator('main').innerText()).toContain(`your own account at ${new URL(issuer.url).host}`);
    await page.getByRole('link', { name: 'Sign in' }).click();
    // Back from the issuer, signed in as anna: the whole action and the decision buttons, on the approval's own URL.
    await page.getByRole('button', { name: 'Approve' }).waitFor();
    expect(page.url()).toBe(link);
    expect(await page.locator('main').innerText()).toContain('Stand-up moved to Atlas.');
    expect(sandbox.requests).toHaveLength(0);
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('You approved this action').waitFor();
    await page.close();

    const result = await pending;
    expect((result.structuredContent as { status?: string }).status).toBe('done');
    expect(sandbox.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /calling/v1/callouts']);
    expect(issuer.exchanged).toBe(1);
    expect(issuer.refusals).toEqual([]);
    expect(server.stderr()).not.toContain(CLIENT_SECRET);
    expect(server.stderr()).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
  });
});
