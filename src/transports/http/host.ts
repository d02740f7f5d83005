// Host header check (against DNS rebinding): a request must name this server as it is reached.
import type { IncomingMessage } from 'node:http';
import { headerValue } from '../../support/http-request.js';

/**
 * The Host values accepted: the bound address and localhost with its port, the public URL's host behind a proxy,
 * and any the operator listed (added to these, so the server's own links keep working). An empty list ("*")
 * accepts any (only behind a proxy that checks Host).
 */
export function allowedHosts(bound: { host: string; port: number }, publicUrl: string | undefined, configured: string[] | undefined): string[] {
  if (configured?.length === 0) return [];
  return [bound.host, `localhost:${bound.port}`, ...(publicUrl ? [new URL(publicUrl).host] : []), ...(configured ?? [])];
}

/**
 * The Host values the approval pages answer on: the bound address, the public URL's host, and any the operator
 * listed (added to these, not instead).
 */
export function approvalPageHosts(bound: { host: string }, publicUrl: string | undefined, configured: string[] | undefined): string[] {
  return [bound.host, ...(publicUrl ? [new URL(publicUrl).host] : []), ...(configured ?? [])];
}

export function hostAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  return allowed.length === 0 || allowed.includes(headerValue(req, 'host') ?? '');
}
