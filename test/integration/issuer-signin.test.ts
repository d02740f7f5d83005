// The approval page's sign-in at the issuer, over plain HTTP as a browser (or an attacker) would drive it: the
// page handler assembled as serve-http.ts assembles it, a local issuer (test/helpers/oauth-issuer.ts), and a
// clock the test moves. Every way it can go wrong signs nobody in; the page says why.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Approvals } from '../../src/confirm/approvals.js';
import { approverRefusal } from '../../src/confirm/approver-rules.js';
import { sharedApproverSessions } from '../../src/confirm/approver-sessions.js';
import { SIGN_IN_CALLBACK_PATH, SIGN_IN_TTL_MS } from '../../src/confirm/issuer-signin.js';
import { approvalHandler } from '../../src/confirm/page-server.js';
import type { Preview } from '../../src/confirm/preview.js';
import { MemoryState } from '../../src/state/memory.js';
import { credentialOf, oauthTokens, signedInPerson } from '../../src/transports/http/auth.js';
import { authorizationCodeClient } from '../../src/transports/http/oauth-signin.js';
import { type PageResponse, httpRequest } from '../helpers/approval.js';
import { type TestIssuer, startIssuer } from '../helpers/oauth-issuer.js';

const AUDIENCE = 'https://mcp.team.example.com/mcp';
const PREVIEW: Preview = { title: 'Call +46708168731', facts: ['This rings a real phone and is billed.'], summary: 'A callout', request: 'POST /calling/v1/callouts', rows: [] };
let issuer: TestIssuer;
let state: MemoryState;
let approvals: Approvals;
let server: Server;
let origin: string;
let skewMs = 0;

beforeAll(async () => {
  issuer = await startIssuer({ audience: AUDIENCE, clientId: 'approval-pages' });
  state = new MemoryState();
  approvals = new Approvals(state);
  const auth = oauthTokens({ issuer: issuer.url, audience: AUDIENCE });
  let handle: ReturnType<typeof approvalHandler> = async () => undefined;
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  handle = approvalHandler(approvals, [], {
    authenticate: (token) => signedInPerson(auth, token),
    refusal: (approval, approver) => approverRefusal(approval, approver, { allowSelfApproval: false, fourEyes: false }),
    sessions: sharedApproverSessions(state),
    secure: false,
    interactive: {
      // A public client: PKCE alone (the e2e test covers client_secret_basic).
      client: authorizationCodeClient({ issuer: issuer.url, clientId: 'approval-pages', redirectUri: `${origin}${SIGN_IN_CALLBACK_PATH}` }),
      issuerName: new URL(issuer.url).host,
      state,
      now: () => Date.now() + skewMs,
    },
  });
});
afterAll(async () => {
  approvals?.close();
  await new Promise((resolve) => server?.close(resolve));
  await state?.close();
  await issuer?.close();
});
beforeEach(() => {
  skewMs = 0;
  issuer.user = { sub: 'anna', scope: 'sinch:approve' };
  issuer.nonceOverride = undefined;
});

/** A pending approval that alice's token asked for; its page URL. */
async function approvalUrl(): Promise<string> {
  const approval = await approvals.create(PREVIEW, 60_000, { requestedBy: 'alice', requestedWith: credentialOf('alice-mcp-token') });
  approval.settled.catch(() => undefined);
  return `${origin}/approve/${approval.id}`;
}

const cookieOf = (response: PageResponse) => [response.headers['set-cookie'] ?? []].flat().map((c) => c.split(';')[0]!).join('; ');

/** Clicks "Sign in" and lets the issuer answer: where the browser comes back to, and the browser's cookie. */
async function leaveAndReturn(page: string): Promise<{ callback: string; cookie: string; authorize: URL }> {
  const start = await httpRequest(`${page}/login`);
  expect(start.status).toBe(303);
  const authorize = new URL(String(start.headers.location));
  const back = await httpRequest(authorize.toString());
  expect(back.status).toBe(302);
  return { callback: String(back.headers.location), cookie: cookieOf(start), authorize };
}

function expectNobodySignedIn(response: PageResponse): void {
  expect(String(response.headers['set-cookie'] ?? '')).not.toContain('sinch_approver=');
  expect(response.body).not.toContain('name="decision"');
}

describe('sign-in at the issuer', () => {
  it('goes to the issuer\'s authorization endpoint only, with PKCE S256, a state, a nonce and the exact redirect URI', async () => {
    const page = await approvalUrl();
    const before = await httpRequest(page);
    expect(before.body).toContain(`href="/approve/${page.split('/').pop()}/login"`);
    expect(before.body).not.toContain('login_token');
    expect(before.headers['content-security-policy']).toContain("form-action 'self'");
    const { authorize, cookie } = await leaveAndReturn(page);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${issuer.url}/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'approval-pages',
      redirect_uri: `${origin}/approve/callback`,
      scope: 'openid sinch:approve',
      code_challenge_method: 'S256',
    });
    expect(authorize.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get('nonce')).toMatch(/^[\w-]{43}$/);
    expect(cookie).toMatch(/^sinch_signin=[\w-]{43}$/);
    // No approval, no sign-in; and the sign-in paths are navigations only.
    expect((await httpRequest(`${origin}/approve/${'a'.repeat(43)}/login`)).status).toBe(404);
    expect((await httpRequest(`${page}/login`, { method: 'POST' })).status).toBe(405);
  });

  it('signs the person in and leads back to the approval page; the same answer again signs nobody in', async () => {
    const page = await approvalUrl();
    const { callback, cookie } = await leaveAndReturn(page);
    const done = await httpRequest(callback, { headers: { cookie } });
    expect(done.status).toBe(200);
    expect(done.body).toContain(`url=${new URL(page).pathname}"`);
    const signedIn = await httpRequest(page, { headers: { cookie: cookieOf(done) } });
    expect(signedIn.body).toContain('name="decision" value="approve"');

    const replay = await httpRequest(callback, { headers: { cookie } });
    expect(replay.status).toBe(400);
    expect(replay.body).toContain('already used');
    expectNobodySignedIn(replay);
    expect(issuer.refusals).toEqual([]);
  });

  it('an expired state signs nobody in, and its code is never exchanged', async () => {
    const page = await approvalUrl();
    const { callback, cookie } = await leaveAndReturn(page);
    const exchanged = issuer.exchanged;
    skewMs = SIGN_IN_TTL_MS + 1;
    const late = await httpRequest(callback, { headers: { cookie } });
    expect(late.status).toBe(400);
    expect(late.body).toContain('expired');
    expectNobodySignedIn(late);
    expect(issuer.exchanged).toBe(exchanged);
  });

  it('an answer brought to another browser (no cookie, or another one) signs nobody in', async () => {
    const page = await approvalUrl();
    const { callback } = await leaveAndReturn(page);
    const elsewhere = await httpRequest(callback, { headers: { cookie: `sinch_signin=${'b'.repeat(43)}` } });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body).toContain('another browser');
    expectNobodySignedIn(elsewhere);
  });

  it('a code obtained with another PKCE challenge (injected into this browser\'s answer) is refused at the token endpoint', async () => {
    const page = await approvalUrl();
    const start = await httpRequest(`${page}/login`);
    const authorize = new URL(String(start.headers.location));
    // The attacker's own authorization request: same client, their own verifier.
    const theirs = new URL(authorize);
    theirs.searchParams.set('code_challenge', createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url'));
    const stolen = new URL(String((await httpRequest(theirs.toString())).headers.location)).searchParams.get('code')!;
    const injected = new URL(`${origin}/approve/callback`);
    injected.searchParams.set('state', authorize.searchParams.get('state')!);
    injected.searchParams.set('code', stolen);
    const answer = await httpRequest(injected.toString(), { headers: { cookie: cookieOf(start) } });
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('did not accept the sign-in code');
    expectNobodySignedIn(answer);
    expect(issuer.refusals.at(-1)).toBe('pkce');
  });

  it.each([
    ['an id_token whose nonce is not this sign-in\'s', () => (issuer.nonceOverride = 'a-nonce-from-another-sign-in'), 'ID token does not belong to this sign-in'],
    ['a token without sinch:approve', () => (issuer.user = { sub: 'bob', scope: 'sinch:call' }), 'approving needs the sinch:approve scope'],
    ['the caller\'s own subject (no self-approval by default)', () => (issuer.user = { sub: 'alice', scope: 'sinch:approve' }), 'alice asked for this action and may not also approve it'],
  ])('%s signs nobody in, and the page says why', async (_case, arrange, why) => {
    arrange();
    const { callback, cookie } = await leaveAndReturn(await approvalUrl());
    const answer = await httpRequest(callback, { headers: { cookie } });
    expect(answer.status).toBe(403);
    expect(answer.body).toContain(why);
    expectNobodySignedIn(answer);
  });

  it('an error from the issuer (access_denied) signs nobody in and shows only its code', async () => {
    issuer.user = { error: 'access_denied' };
    const exchanged = issuer.exchanged;
    const { callback, cookie } = await leaveAndReturn(await approvalUrl());
    const answer = await httpRequest(`${callback}&error_description=${encodeURIComponent('<b>call 555</b>')}`, { headers: { cookie } });
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('did not complete (access_denied)');
    expect(answer.body).not.toContain('call 555');
    expectNobodySignedIn(answer);
    expect(issuer.exchanged).toBe(exchanged);
  });

  it('an unknown state, and a pasted token, sign nobody in', async () => {
    const unknown = await httpRequest(`${origin}/approve/callback?state=${'c'.repeat(43)}&code=x`);
    expect(unknown.status).toBe(400);
    expectNobodySignedIn(unknown);
    const page = await approvalUrl();
    const pasted = await httpRequest(page, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
      body: new URLSearchParams({ login_token: await issuer.sign({ sub: 'anna', scope: 'sinch:approve' }) }).toString(),
    });
    expect(pasted.status).toBe(403);
    expect(pasted.body).toContain('takes no pasted tokens');
    expectNobodySignedIn(pasted);
  });
});
