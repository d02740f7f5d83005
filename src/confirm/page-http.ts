// How the approval pages answer: every response carries the same strict headers (no framing, no sniffing, no
// caching, a CSP that allows one nonce'd style sheet and form posts to this origin only).
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { headerValue } from '../support/http-request.js';
import type { Approval } from './approvals.js';
import { type PageState, type SignInLink, escapeHtml, renderPage } from './page.js';

export function showPage(res: ServerResponse, status: number, state: PageState, approval: Approval, extra: { notice?: string; signIn?: SignInLink } = {}): void {
  const nonce = randomBytes(16).toString('base64');
  const html = renderPage({ preview: approval.preview, state, pageToken: state === 'pending' ? approval.pageToken : undefined, nonce, expiresAt: approval.expiresAt, ...extra });
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-security-policy': csp(nonce), 'content-type': 'text/html; charset=utf-8' }).end(html);
}

export function refuse(res: ServerResponse, status: number, message: string): void {
  sendHtml(res, status, `<p>${escapeHtml(message)}</p>`);
}

/**
 * After the sign-in at the issuer: this page, not a 302, takes the browser back to the approval page, so that
 * request starts on our own page and carries the SameSite=Strict sign-in cookie (a redirect chain that passed
 * through the issuer counts as cross-site). `path` is always our own approval page.
 */
export function continueTo(res: ServerResponse, path: string): void {
  const target = escapeHtml(path);
  sendHtml(res, 200, `<meta http-equiv="refresh" content="0;url=${target}"><p>Signed in. <a href="${target}">Continue to the approval</a>.</p>`);
}

/** A 303 to where a sign-in starts (the issuer's authorization endpoint, nothing else). */
export function seeOther(res: ServerResponse, location: string, cookie: string): void {
  res.writeHead(303, { ...SECURITY_HEADERS, 'content-security-policy': csp(randomBytes(16).toString('base64')), location, 'set-cookie': cookie }).end();
}

export function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (headerValue(req, 'cookie') ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

export function settledState(state: string): PageState {
  return state === 'approved' ? 'approved' : state === 'denied' ? 'denied' : state === 'expired' ? 'expired' : state === 'cancelled' ? 'cancelled' : state === 'unclaimed' ? 'unclaimed' : 'decided';
}

function sendHtml(res: ServerResponse, status: number, body: string): void {
  const nonce = randomBytes(16).toString('base64');
  res
    .writeHead(status, { ...SECURITY_HEADERS, 'content-security-policy': csp(nonce), 'content-type': 'text/html; charset=utf-8' })
    .end(`<!doctype html><html lang="en"><meta charset="utf-8"><title>Sinch Calling MCP</title>${body}</html>`);
}

function csp(nonce: string): string {
  return `default-src 'none'; style-src 'nonce-${nonce}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;
}

const SECURITY_HEADERS = {
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  // same-origin, not no-referrer: with no-referrer the browser would send "Origin: null" on the form post.
  // It also keeps the approval's URL (its id) from the issuer when the person leaves to sign in.
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};
