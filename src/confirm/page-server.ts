// The approval page's HTTP side, on 127.0.0.1 only. GET shows the pending action; POST applies a decision,
// but only from the page itself: the right Host (no DNS rebinding), the page's own Origin, and its token.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, headerValue, readBody } from '../support/http-request.js';
import type { HttpServer } from '../support/http-server.js';
import { APPROVAL_PATH, type Approval, type Approvals, isRandomId } from './approvals.js';
import { issuerSignIn } from './issuer-signin.js';
import type { PageState } from './page.js';
import { readCookie, refuse, settledState, showPage } from './page-http.js';
import { APPROVER_COOKIE, type PageLogin, admit } from './sign-in.js';


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

export type { Approver, ApproverSessions, PageLogin } from './sign-in.js';

/** Serves approval pages for the given Host values (e.g. "127.0.0.1:8123"); with `login`, people sign in first. */
export function approvalHandler(approvals: Approvals, hosts: readonly string[], login?: PageLogin) {
  const interactive = login?.interactive && issuerSignIn(approvals, login, login.interactive);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const host = headerValue(req, 'host') ?? '';
    if (hosts.length && !hosts.includes(host)) return refuse(res, 421, 'This page answers only on its own address.');
    const path = new URL(req.url ?? '/', `http://${host}`).pathname;
    if (interactive?.handles(path)) return interactive.handle(req, res, path);
    const id = path.startsWith(APPROVAL_PATH) ? path.slice(APPROVAL_PATH.length) : '';
    const approval = isRandomId(id) ? await approvals.get(id) : undefined;
    if (!approval) return refuse(res, 404, 'No such approval request: it may have expired long ago.');
    const show = (status: number, state: PageState, notice?: string) => showPage(res, status, state, approval, { notice, signIn: interactive?.link(id) });

    const approver = login ? await login.sessions.get(readCookie(req, APPROVER_COOKIE) ?? '') : undefined;
    const refused = login && (approver ? login.refusal(approval, approver) : 'Sign in first.');
    const pendingState = (): PageState => (refused ? 'login' : 'pending');
    if (req.method === 'GET' || req.method === 'HEAD') return show(200, approval.state === 'pending' ? pendingState() : settledState(approval.state));
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
    if (login && form.has('login_token')) {
      // With sign-in at the issuer, that is the only way in: the page takes no pasted tokens.
      if (interactive) return show(403, 'login', 'This page takes no pasted tokens: sign in with the button below.');
      return signIn(res, login, approval, form.get('login_token') ?? '');
    }
    const decision = form.get('decision');
    if (decision !== 'approve' && decision !== 'deny') return refuse(res, 400, 'Unknown decision.');
    if (refused) return show(403, 'login', approver ? refused : interactive ? 'Sign in first.' : 'Sign in with an approver\'s token first.');
    const outcome = await approvals.decide(id, decision, form.get('token') ?? '', approver?.subject).catch(() => undefined);
    // The shared state failed mid-decision: never claim a decision that may not have been recorded.
    if (outcome === undefined) return refuse(res, 503, 'Your decision could not be confirmed: the shared state is unreachable. Nothing is shown as approved; reload this page in a moment to see where the request stands.');
    if (outcome === 'forbidden' || outcome === 'unknown') return refuse(res, 403, 'Refused: this form is not valid for this request.');
    return show(outcome === 'decided' ? 409 : 200, settledState(outcome));
  };
}

async function signIn(res: ServerResponse, login: PageLogin, approval: Approval, token: string): Promise<void> {
  const person = await login.authenticate(token);
  if (!person) return showPage(res, 403, 'login', approval, { notice: 'That token was not accepted.' });
  const refused = await admit(res, login, approval, person);
  if (refused) return showPage(res, 403, 'login', approval, { notice: refused });
  return showPage(res, 200, approval.state === 'pending' ? 'pending' : settledState(approval.state), approval);
}
