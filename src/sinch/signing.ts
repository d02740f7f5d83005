// Sinch application-signed requests (see shared/reference/sinch-api-facts.md §1).
// Pure functions: the client signs with them and the sandbox and callback receiver verify with them,
// so one implementation is proven from both ends.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface SignInput {
  method: string;
  /** Exact bytes (as a UTF-8 string) of the body sent; '' when there is none. */
  body: string;
  /** Exact Content-Type header value sent. */
  contentType: string;
  /** Exact x-timestamp header value sent. */
  timestamp: string;
  /** URL path only: leading slash, version prefix, no host, no query. */
  path: string;
}

export function contentMd5(body: string): string {
  return body === '' ? '' : createHash('md5').update(body, 'utf8').digest('base64');
}

export function stringToSign(input: SignInput): string {
  return [
    input.method.toUpperCase(),
    contentMd5(input.body),
    input.contentType,
    `x-timestamp:${input.timestamp}`,
    input.path,
  ].join('\n');
}

/** The secret is base64 in the dashboard; Sinch signs with its decoded bytes. */
export function signature(secretBase64: string, input: SignInput): string {
  const key = Buffer.from(secretBase64, 'base64');
  return createHmac('sha256', key).update(stringToSign(input), 'utf8').digest('base64');
}

export function applicationAuthorization(key: string, secretBase64: string, input: SignInput): string {
  return `Application ${key}:${signature(secretBase64, input)}`;
}

export function basicAuthorization(key: string, secret: string): string {
  return `Basic ${Buffer.from(`${key}:${secret}`, 'utf8').toString('base64')}`;
}

/** Constant-time string comparison (length leaks, content does not). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

export type AuthCheck =
  | { ok: true; scheme: 'application' | 'basic' }
  | { ok: false; reason: 'missing' | 'scheme' | 'key' | 'signature' | 'credentials' };

/**
 * Verifies an Authorization header against one application's credentials, the way Sinch does:
 * `Application key:signature` (scheme case-insensitive) recomputed over the given request parts,
 * or `Basic base64(key:secret)`.
 */
export function verifyAuthorization(
  header: string | undefined,
  app: { key: string; secret: string },
  request: Omit<SignInput, 'timestamp'> & { timestamp: string | undefined },
): AuthCheck {
  if (!header) return { ok: false, reason: 'missing' };
  const space = header.indexOf(' ');
  if (space < 0) return { ok: false, reason: 'scheme' };
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'basic') {
    const expected = Buffer.from(`${app.key}:${app.secret}`, 'utf8').toString('base64');
    return safeEqual(value, expected) ? { ok: true, scheme: 'basic' } : { ok: false, reason: 'credentials' };
  }
  if (scheme !== 'application') return { ok: false, reason: 'scheme' };
  const colon = value.lastIndexOf(':');
  if (colon < 0) return { ok: false, reason: 'signature' };
  if (!safeEqual(value.slice(0, colon), app.key)) return { ok: false, reason: 'key' };
  if (request.timestamp === undefined) return { ok: false, reason: 'signature' };
  const expected = signature(app.secret, { ...request, timestamp: request.timestamp });
  return safeEqual(value.slice(colon + 1), expected)
    ? { ok: true, scheme: 'application' }
    : { ok: false, reason: 'signature' };
}
