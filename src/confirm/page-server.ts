// The approval page's HTTP side, on 127.0.0.1 only. GET shows the pending action; POST applies a decision,
// but only from the page itself: the right Host (no DNS rebinding), the page's own Origin, and its token.
import { randomBytes } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BodyTooLargeError, headerValue, readBody } from '../http-request.js';
import type { Approvals } from './approvals.js';
import { type PageState, escapeHtml, renderPage } from './page.js';

export const APPROVAL_PATH = '/approve/';

export interface ApprovalServer {
  /** The page of one pending approval. Never logged or returned to the model. */
  urlFor(id: string): string;
  close(): Promise<void>;
}

export async function startApprovalServer(options: { port: number; approvals: Approvals }): Promise<ApprovalServer> {
  const server: Server = createServer();
  // A page a person reads needs no long-lived or slow connections; these bound what a local flood can hold.
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  server.keepAliveTimeout = 2_000;
  server.maxConnections = 64;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  const handle = approvalHandler(options.approvals, hosts);
  server.on('request', (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('error');
    });
  });
  return {
    urlFor: (id) => `http://${hosts[0]}${APPROVAL_PATH}${id}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves approval pages for the given Host values (e.g. "127.0.0.1:8123"). */
export function approvalHandler(approvals: Approvals, hosts: string[]) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const host = headerValue(req, 'host') ?? '';
    if (!hosts.includes(host)) return refuse(res, 421, 'This page answers only on its own local address.');
    const path = new URL(req.url ?? '/', `http://${host}`).pathname;
    const id = path.startsWith(APPROVAL_PATH) ? path.slice(APPROVAL_PATH.length) : '';
    const approval = /^[A-Za-z0-9_-]{43}$/.test(id) ? approvals.get(id) : undefined;
    if (!approval) return refuse(res, 404, 'No such approval request: it may have expired long ago.');

    if (req.method === 'GET' || req.method === 'HEAD') return page(res, 200, approval.state === 'pending' ? 'pending' : settledState(approval.state), approval);
    if (req.method !== 'POST') return refuse(res, 405, 'Only GET and POST.');
    // A form post from this page carries its own origin; anything else (another site, a script) changes nothing.
    if (headerValue(req, 'origin') !== `http://${host}`) return refuse(res, 403, 'Refused: the decision must come from this page.');
    let form: URLSearchParams;
    try {
      form = new URLSearchParams(await readBody(req, 4_096));
    } catch (error) {
      return refuse(res, error instanceof BodyTooLargeError ? 413 : 400, 'Unreadable form.');
    }
    const decision = form.get('decision');
    if (decision !== 'approve' && decision !== 'deny') return refuse(res, 400, 'Unknown decision.');
    const outcome = approvals.decide(id, decision, form.get('token') ?? '');
    if (outcome === 'forbidden' || outcome === 'unknown') return refuse(res, 403, 'Refused: this form is not valid for this request.');
    return page(res, outcome === 'decided' ? 409 : 200, settledState(outcome), approval);
  };
}

function settledState(state: string): PageState {
  return state === 'approved' ? 'approved' : state === 'denied' ? 'denied' : state === 'expired' ? 'expired' : state === 'cancelled' ? 'cancelled' : 'decided';
}

function page(res: ServerResponse, status: number, state: PageState, approval: { preview: Parameters<typeof renderPage>[0]['preview']; pageToken: string; expiresAt: number }): void {
  const nonce = randomBytes(16).toString('base64');
  const html = renderPage({ preview: approval.preview, state, pageToken: state === 'pending' ? approval.pageToken : undefined, nonce, expiresAt: approval.expiresAt });
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
