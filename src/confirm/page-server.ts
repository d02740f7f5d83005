// The approval page's HTTP side, on 127.0.0.1 only. GET shows the pending action; POST applies a decision,
// but only from the page itself: the right Host (no DNS rebinding), the page's own Origin, and its token.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, headerValue, readBody } from '../support/http-request.js';
import type { HttpServer } from '../support/http-server.js';
import { APPROVAL_PATH, type Approval, type Approvals, isRandomId } from './approvals.js';
import { type PageState, escapeHtml, renderPage } from './page.js';


export interface ApprovalServer {
  /** The page of one pending approval. Never logged or returned to the model. */
  urlFor(id: string): string;
  close(): Promise<void>;
}

/** Mounts the pages on the local port bound for them (pages.ts, APPROVAL_LISTEN). */
export function startApprovalServer(options: { server: HttpServer; approvals: Approvals }): ApprovalServer {
  const { server } = options;
  const hosts = [server.host, `localhost:${server.port}`];
  server.mount(approvalHandler(options.approvals, hosts));
  return { urlFor: (id) => `${server.origin}${APPROVAL_PATH}${id}`, close: () => server.close() };
}

/** A person signed in on the approval page. */
export interface Approver {
  subject: string;
  scopes: readonly string[];
  /** The hash of the token they signed in with (confirm/approver-rules.ts: never the token that made the call). */
  credential?: string;
}

/**
 * Remote mode: a person signs in with their own approver's credential before deciding. The model, which sees a
 * link at most, holds no such credential; the client's own token is not one (approver-rules.ts).
 */
export interface PageLogin {
  authenticate(token: string): Promise<(Approver & { expiresAt?: number }) | undefined>;
  /** Why this person may not decide this approval; undefined when they may. */
  refusal(approval: Approval, approver: Approver): string | undefined;
  sessions: ApproverSessions;
  /** Mark the cookie Secure (the public URL is https). */
  secure: boolean;
}

export interface ApproverSessions {
  /** A sign-in that lasts at most until `expiresAt` (the token's own expiry), when given. */
  create(approver: Approver, expiresAt?: number): Promise<string>;
  get(id: string): Promise<Approver | undefined>;
}

const COOKIE = 'sinch_approver';

/** Serves approval pages for the given Host values (e.g. "127.0.0.1:8123"); with `login`, people sign in first. */
export function approvalHandler(approvals: Approvals, hosts: readonly string[], login?: PageLogin) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const host = headerValue(req, 'host') ?? '';
    if (hosts.length && !hosts.includes(host)) return refuse(res, 421, 'This page answers only on its own address.');
    const path = new URL(req.url ?? '/', `http://${host}`).pathname;
    const id = path.startsWith(APPROVAL_PATH) ? path.slice(APPROVAL_PATH.length) : '';
    const approval = isRandomId(id) ? await approvals.get(id) : undefined;
    if (!approval) return refuse(res, 404, 'No such approval request: it may have expired long ago.');

    const approver = login ? await login.sessions.get(cookie(req, COOKIE) ?? '') : undefined;
    const refused = login && (approver ? login.refusal(approval, approver) : 'Sign in first.');
    const pendingState = (): PageState => (refused ? 'login' : 'pending');
    if (req.method === 'GET' || req.method === 'HEAD') return page(res, 200, approval.state === 'pending' ? pendingState() : settledState(approval.state), approval);
    if (req.method !== 'POST') return refuse(res, 405, 'Only GET and POST.');
    // A form post from this page carries its own origin; anything else (another site, a script) changes nothing.
    // Behind https (remote mode with an https public URL) only the https origin counts: no scheme downgrade.
    if (headerValue(req, 'origin') !== `${login?.secure ? 'https' : 'http'}://${host}`) return refuse(res, 403, 'Refused: the decision must come from this page.');
    let form: URLSearchParams;
    try {
      form = new URLSearchParams(await readBody(req, 4_096));
    } catch (error) {
      return refuse(res, error instanceof BodyTooLargeError ? 413 : 400, 'Unreadable form.');
    }
    if (login && form.has('login_token')) return signIn(res, login, approval, form.get('login_token') ?? '');
    const decision = form.get('decision');
    if (decision !== 'approve' && decision !== 'deny') return refuse(res, 400, 'Unknown decision.');
    if (refused) return page(res, 403, 'login', approval, approver ? refused : 'Sign in with an approver\'s token first.');
    const outcome = await approvals.decide(id, decision, form.get('token') ?? '', approver?.subject).catch(() => undefined);
    // The shared state failed mid-decision: never claim a decision that may not have been recorded.
    if (outcome === undefined) return refuse(res, 503, 'Your decision could not be confirmed: the shared state is unreachable. Nothing is shown as approved; reload this page in a moment to see where the request stands.');
    if (outcome === 'forbidden' || outcome === 'unknown') return refuse(res, 403, 'Refused: this form is not valid for this request.');
    return page(res, outcome === 'decided' ? 409 : 200, settledState(outcome), approval);
  };
}

async function signIn(res: ServerResponse, login: PageLogin, approval: Approval, token: string): Promise<void> {
  const person = await login.authenticate(token);
  if (!person) return page(res, 403, 'login', approval, 'That token was not accepted.');
  const refused = login.refusal(approval, person);
  if (refused) return page(res, 403, 'login', approval, refused);
  const { expiresAt, ...approver } = person;
  const session = await login.sessions.create(approver, expiresAt);
  const flags = `HttpOnly; SameSite=Strict; Path=${APPROVAL_PATH}; Max-Age=900${login.secure ? '; Secure' : ''}`;
  res.setHeader('set-cookie', `${COOKIE}=${session}; ${flags}`);
  return page(res, 200, approval.state === 'pending' ? 'pending' : settledState(approval.state), approval);
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (headerValue(req, 'cookie') ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function settledState(state: string): PageState {
  return state === 'approved' ? 'approved' : state === 'denied' ? 'denied' : state === 'expired' ? 'expired' : state === 'cancelled' ? 'cancelled' : state === 'unclaimed' ? 'unclaimed' : 'decided';
}

function page(res: ServerResponse, status: number, state: PageState, approval: Approval, notice?: string): void {
  const nonce = randomBytes(16).toString('base64');
  const html = renderPage({ preview: approval.preview, state, pageToken: state === 'pending' ? approval.pageToken : undefined, nonce, expiresAt: approval.expiresAt, notice });
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-security-policy': csp(nonce), 'content-type': 'text/html; charset=utf-8' }).end(html);
}

function refuse(res: ServerResponse, status: number, message: string): void {
  const nonce = randomBytes(16).toString('base64');
  res
    .writeHead(status, { ...SECURITY_HEADERS, 'content-security-policy': csp(nonce), 'content-type': 'text/html; charset=utf-8' })
    .end(`<!doctype html><html lang="en"><meta charset="utf-8"><title>Sinch Calling MCP</title><p>${escapeHtml(message)}</p></html>`);
}

function csp(nonce: string): string {
  return `default-src 'none'; style-src 'nonce-${nonce}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;
}

const SECURITY_HEADERS = {
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  // same-origin, not no-referrer: with no-referrer the browser would send "Origin: null" on the form post.
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};
