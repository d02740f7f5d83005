// Remote mode with OAuth and a client id: the approval page signs people in at the issuer (authorization code
// with PKCE). GET /approve/<id>/login sends the browser to the issuer's authorization endpoint with a fresh
// `state`; the issuer sends it back to /approve/callback, where the state is taken (single use, short-lived,
// from the shared state so any instance can finish it), must come back in the browser that left with it (a
// cookie; no one else's code can sign this browser in), and leads only to its own approval's page. The access
// token is checked by the same authenticator as /mcp's and admitted by the same rules as a pasted token.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { safeEqual } from '../sinch/signing.js';
import { APPROVAL_PATH, type Approval, type Approvals, isRandomId, randomId } from './approvals.js';
import type { SignInLink } from './page.js';
import { continueTo, readCookie, refuse, seeOther, settledState, showPage } from './page-http.js';
import { type InteractiveSignIn, type PageLogin, admit } from './sign-in.js';

/** Where the issuer sends people back: register `<public origin>/approve/callback` at the issuer, exactly. */
export const SIGN_IN_CALLBACK_PATH = `${APPROVAL_PATH}callback`;
const START_SUFFIX = '/login';
/** A sign-in in progress: long enough to type a password and pass a second factor, short enough to go stale. */
export const SIGN_IN_TTL_MS = 10 * 60_000;
const BROWSER_COOKIE = 'sinch_signin';

interface PendingSignIn {
  approval: string;
  browser: string;
  secrets: string;
  expiresAt: number;
}

/** Words for what went wrong at the issuer's end; nobody is signed in after any of them. */
const PROBLEMS: Record<string, string> = {
  issuer: 'The answer came from another issuer than this server trusts.',
  exchange: 'The identity provider did not accept the sign-in code.',
  nonce: 'The sign-in could not be verified: its ID token does not belong to this sign-in.',
  unreachable: 'The identity provider cannot be reached right now; try again in a moment.',
};

export function issuerSignIn(approvals: Approvals, login: PageLogin, options: InteractiveSignIn) {
  const now = options.now ?? Date.now;
  const link = (id: string): SignInLink => ({ url: `${APPROVAL_PATH}${id}${START_SUFFIX}`, issuer: options.issuerName });
  const key = (state: string) => `signin:${state}`;
  const show = (res: ServerResponse, status: number, approval: Approval, notice: string) =>
    showPage(res, status, approval.state === 'pending' ? 'login' : settledState(approval.state), approval, { notice, signIn: link(approval.id) });

  async function start(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const approval = isRandomId(id) ? await approvals.get(id) : undefined;
    if (!approval) return refuse(res, 404, 'No such approval request: it may have expired long ago.');
    if (approval.state !== 'pending') return showPage(res, 200, settledState(approval.state), approval);
    // One random value per browser, kept across sign-ins, so two approval pages open side by side both finish.
    const existing = readCookie(req, BROWSER_COOKIE);
    const browser = existing && isRandomId(existing) ? existing : randomId();
    const state = randomId();
    let begun: { url: string; secrets: string };
    try {
      begun = await options.client.begin(state);
    } catch {
      return show(res, 503, approval, PROBLEMS.unreachable!);
    }
    const pending: PendingSignIn = { approval: id, browser, secrets: begun.secrets, expiresAt: now() + SIGN_IN_TTL_MS };
    await options.state.set(key(state), JSON.stringify(pending), SIGN_IN_TTL_MS);
    // Lax, not Strict: the issuer's redirect back is a cross-site navigation, and this cookie must come along.
    const flags = `HttpOnly; SameSite=Lax; Path=${APPROVAL_PATH}; Max-Age=${SIGN_IN_TTL_MS / 1000}${login.secure ? '; Secure' : ''}`;
    return seeOther(res, begun.url, `${BROWSER_COOKIE}=${browser}; ${flags}`);
  }

  async function callback(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const query = new URL(req.url ?? '/', 'http://page').searchParams;
    const state = query.get('state') ?? '';
    // Taken, not read: a state is good for one answer, whatever that answer is.
    const stored = isRandomId(state) ? await options.state.take(key(state)) : undefined;
    const pending = stored === undefined ? undefined : (JSON.parse(stored) as PendingSignIn);
    if (!pending || pending.expiresAt <= now()) {
      return refuse(res, 400, 'This sign-in is not valid: it expired, was already used, or did not start here. Go back to the approval page and sign in again.');
    }
    if (!safeEqual(readCookie(req, BROWSER_COOKIE) ?? '', pending.browser)) {
      return refuse(res, 403, 'This sign-in was started in another browser. Open the approval page here and sign in again.');
    }
    const approval = await approvals.get(pending.approval);
    if (!approval) return refuse(res, 404, 'No such approval request: it may have expired long ago.');
    const error = query.get('error');
    if (error !== null) {
      // Only the error code, and only in its registered shape: the issuer's free text is not shown.
      const code = /^[a-z_]{1,40}$/.test(error) ? error : 'error';
      return show(res, 403, approval, `The sign-in at ${options.issuerName} did not complete (${code}). Nobody was signed in.`);
    }
    const code = query.get('code');
    if (!code) return show(res, 400, approval, 'The identity provider sent no sign-in code. Nobody was signed in.');
    const iss = query.get('iss') ?? undefined;
    const result = await options.client.finish({ code, iss }, pending.secrets).catch(() => ({ ok: false as const, problem: 'unreachable' }));
    if (!result.ok) return show(res, 403, approval, `${PROBLEMS[result.problem] ?? PROBLEMS.exchange} Nobody was signed in.`);
    const person = await login.authenticate(result.accessToken);
    if (!person) return show(res, 403, approval, `The access token from ${options.issuerName} was not accepted here. Nobody was signed in.`);
    const refused = await admit(res, login, approval, person);
    if (refused) return show(res, 403, approval, refused);
    return continueTo(res, `${APPROVAL_PATH}${approval.id}`);
  }

  return {
    link,
    /** The sign-in's own paths under the approval pages. */
    handles: (path: string) => path === SIGN_IN_CALLBACK_PATH || (path.startsWith(APPROVAL_PATH) && path.endsWith(START_SUFFIX)),
    async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
      // Both are navigations: GET only, so no form can be made to post here.
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Only GET.');
      if (path === SIGN_IN_CALLBACK_PATH) return callback(req, res);
      return start(req, res, path.slice(APPROVAL_PATH.length, -START_SUFFIX.length));
    },
  };
}
