// The one authenticated HTTP client every tool shares: undici keep-alive pool, signing or basic auth,
// an overall deadline per request, and retries for GET only.
import type { Dispatcher } from 'undici';
import type { AuthScheme, Credentials } from './credentials.js';
import { type Deadline, deadline } from './deadline.js';
import { InputError, SinchApiError, type SinchErrorDetails, parseErrorBody } from './errors.js';
import { isLoopback } from '../support/loopback.js';
import { type ApiBase, acceptedRegionBase, isSinchHttps } from './hosts.js';
import type { SignInput } from './signing.js';

type Signing = typeof import('./signing.js');

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** One Calling API request, described before it is sent (tools preview, confirm and audit this). */
export interface SinchRequest {
  base: ApiBase;
  method: HttpMethod;
  /** Path below the base URL, e.g. /calls/id/abc. Segments are already validated. */
  path: string;
  body?: unknown;
  /**
   * An absolute base URL used instead of `base`: the region a call lives on (from its ICE's callResourceUrl).
   * Only an https *.sinch.com host or the configured calling URL's origin is accepted.
   */
  baseUrl?: string;
}

/** The request sent to a region's base URL instead, when one is known (a call or room lives there). */
export function onRegion(request: SinchRequest, regionBase: string | undefined): SinchRequest {
  return regionBase ? { ...request, baseUrl: regionBase } : request;
}

export interface ClientSettings {
  callingUrl: string;
  managementUrl: string;
  credentials: Credentials;
  auth: AuthScheme;
  timeoutMs: number;
  maxConnections: number;
  /** Number Lookup's base URL and the OAuth2 token endpoint's; undefined: Sinch's own (the sandbox serves both). */
  lookupUrl?: string;
  authUrl?: string;
  /** Sandbox and tests only: also follow redirects to a loopback host (Sinch's are followed only to https *.sinch.com). */
  followLoopbackRedirects?: boolean;
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 2_000 };

// Sent on every request, GET and DELETE included, and signed exactly as sent.
export const CONTENT_TYPE = 'application/json';
const USER_AGENT = 'sinch-calling-mcp/0.1';
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
// 307/308 keep the method and body by definition; the others may only be followed for a read.
const METHOD_PRESERVING_REDIRECT = new Set([307, 308]);

export class SinchClient {
  private settings?: Promise<ClientSettings>;
  private dispatcher?: Promise<Dispatcher>;
  // Loaded with undici on first use: signing needs node:crypto, which start-up does not.
  private signing?: Promise<Signing>;
  private closed = false;

  /**
   * @param settings the settings, or a function that produces them on first use (the embedded sandbox
   *   is started that way, so a server that is never called never starts it).
   */
  constructor(
    private readonly source: ClientSettings | (() => Promise<ClientSettings>),
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private getSettings(): Promise<ClientSettings> {
    this.settings ??= typeof this.source === 'function' ? this.source() : Promise.resolve(this.source);
    return this.settings;
  }

  async applicationKey(): Promise<string> {
    return (await this.getSettings()).credentials.key;
  }

  /** Sends a request and returns the parsed JSON body (undefined for an empty 2xx body). */
  async send<T = unknown>(request: SinchRequest, signal?: AbortSignal): Promise<T> {
    const settings = await this.getSettings();
    const dispatcher = await this.getDispatcher(settings);
    const signing = await (this.signing ??= import('./signing.js'));
    if (request.baseUrl !== undefined && !acceptedRegionBase(request.baseUrl, settings.callingUrl)) {
      throw new InputError(`this call lives on ${request.baseUrl} (its ICE callResourceUrl), which is neither an https *.sinch.com host nor the configured calling URL; nothing was sent.`);
    }
    let url = new URL(`${request.baseUrl ?? baseUrl(settings, request.base)}${request.path}`);
    let redirected = false;
    // Serialize once: the signature covers these exact bytes.
    const body = request.body === undefined ? '' : JSON.stringify(request.body);
    const limit = deadline(settings.timeoutMs, signal);
    const attempts = request.method === 'GET' ? this.retry.maxAttempts : 1;
    const started = Date.now();
    try {
      for (let attempt = 1; ; attempt++) {
        const outcome = await this.attempt(dispatcher, signing, settings, request, url, body, limit);
        if (outcome.ok) return outcome.value as T;
        const failure = outcome.failure;
        if (outcome.location !== undefined) {
          // Followed once (the global host redirects to a region); the request is signed again for the new path.
          const next = redirectTarget(request.method, failure, outcome.location, url, settings, redirected);
          redirected = true;
          url = next;
          attempt -= 1;
          continue;
        }
        const retryable = failure.kind === 'network' || (failure.kind === 'http' && RETRYABLE_STATUS.has(failure.status ?? 0));
        if (!retryable || attempt >= attempts) throw new SinchApiError(failure);
        const wait = failure.retryAfterMs ?? backoff(this.retry, attempt);
        const remaining = settings.timeoutMs - (Date.now() - started);
        if (wait >= remaining) throw new SinchApiError(failure);
        try {
          await sleep(wait, limit.signal);
        } catch {
          throw new SinchApiError(abortDetails(request, limit, settings.timeoutMs));
        }
      }
    } finally {
      limit.release();
    }
  }

  /**
   * The connection pool and settings, for the other Sinch API this server calls (Number Lookup): one pool, one
   * deadline setting, and closing this client fails those requests too.
   */
  async shared(): Promise<{ dispatcher: Dispatcher; settings: ClientSettings }> {
    const settings = await this.getSettings();
    return { dispatcher: await this.getDispatcher(settings), settings };
  }

  async close(): Promise<void> {
    this.closed = true;
    const dispatcher = await this.dispatcher?.catch(() => undefined);
    // destroy, not close: shutting down must not wait for a hanging request.
    await dispatcher?.destroy().catch(() => undefined);
  }

  private getDispatcher(settings: ClientSettings): Promise<Dispatcher> {
    if (this.closed) throw new SinchApiError({ kind: 'aborted', method: '-', path: '-', message: 'the client is closed' });
    // undici is loaded on first use so that starting the server stays fast.
    this.dispatcher ??= import('undici').then(
      // Bundled as CommonJS, undici's exports may sit under `default`.
      (undici) =>
        new (undici.Agent ?? (undici as unknown as { default: typeof undici }).default.Agent)({
          // Idle sockets are dropped well before typical load-balancer idle limits; server hints win.
          keepAliveTimeout: 10_000,
          keepAliveMaxTimeout: 600_000,
          connections: settings.maxConnections,
          connect: { timeout: Math.min(settings.timeoutMs, 10_000) },
          headersTimeout: settings.timeoutMs,
          bodyTimeout: settings.timeoutMs,
        }),
    );
    return this.dispatcher;
  }

  private async attempt(
    dispatcher: Dispatcher,
    signing: Signing,
    settings: ClientSettings,
    request: SinchRequest,
    url: URL,
    body: string,
    limit: Deadline,
  ): Promise<{ ok: true; value: unknown } | { ok: false; failure: SinchErrorDetails; location?: string }> {
    const timestamp = this.now().toISOString();
    const headers: Record<string, string> = {
      'content-type': CONTENT_TYPE,
      accept: 'application/json',
      'user-agent': USER_AGENT,
      'x-timestamp': timestamp,
      authorization: authorization(signing, settings, { method: request.method, body, contentType: CONTENT_TYPE, timestamp, path: url.pathname }),
    };
    const where = { method: request.method, path: url.pathname };
    let status: number;
    let text: string;
    let retryAfter: string | string[] | undefined;
    let location: string | string[] | undefined;
    try {
      const response = await dispatcher.request({
        origin: url.origin,
        path: url.pathname,
        method: request.method,
        headers,
        body: body === '' ? undefined : body,
        signal: limit.signal,
      });
      status = response.statusCode;
      retryAfter = response.headers['retry-after'];
      location = response.headers.location;
      text = await response.body.text();
    } catch (error) {
      if (limit.signal.aborted) return { ok: false, failure: abortDetails(request, limit, settings.timeoutMs) };
      return { ok: false, failure: networkDetails(where, error, settings.timeoutMs) };
    }
    if (status >= 200 && status < 300) {
      if (text.trim() === '') return { ok: true, value: undefined };
      try {
        return { ok: true, value: JSON.parse(text) };
      } catch {
        return { ok: false, failure: { kind: 'invalid_response', ...where, status, message: `HTTP ${status} with a body that is not JSON` } };
      }
    }
    const failure: SinchErrorDetails = { kind: 'http', ...where, status, ...parseErrorBody(text, status), retryAfterMs: parseRetryAfter(retryAfter, this.now()) };
    const target = Array.isArray(location) ? location[0] : location;
    if (REDIRECT_STATUS.has(status) && target) return { ok: false, failure, location: target };
    return { ok: false, failure };
  }
}

/** Where to follow a redirect, or a SinchApiError saying why it is not followed (nothing was re-sent). */
function redirectTarget(method: HttpMethod, failure: SinchErrorDetails, location: string, from: URL, settings: ClientSettings, redirected: boolean): URL {
  const status = failure.status ?? 0;
  const refuse = (why: string) => new SinchApiError({ ...failure, message: `redirected (${status}) to ${location.slice(0, 200)}; not followed: ${why}` });
  if (redirected) throw refuse('only one redirect is followed');
  if (method !== 'GET' && !METHOD_PRESERVING_REDIRECT.has(status)) throw refuse(`a ${method} is followed only through 307/308, which keep the method and body`);
  if (!URL.canParse(location, from)) throw refuse('not a URL');
  const next = new URL(location, from);
  const allowed = isSinchHttps(next) || (settings.followLoopbackRedirects === true && next.protocol === 'http:' && isLoopback(next.hostname));
  if (!allowed) throw refuse('only https *.sinch.com hosts are trusted with signed requests');
  return next;
}

function baseUrl(settings: ClientSettings, base: ApiBase): string {
  return base === 'calling' ? settings.callingUrl : settings.managementUrl;
}

function authorization(signing: Signing, settings: ClientSettings, parts: SignInput): string {
  const { key, secret } = settings.credentials;
  return settings.auth === 'basic' ? signing.basicAuthorization(key, secret) : signing.applicationAuthorization(key, secret, parts);
}

export function abortDetails(request: Pick<SinchRequest, 'method' | 'path'>, limit: Deadline, timeoutMs: number): SinchErrorDetails {
  const where = { method: request.method, path: request.path };
  if (limit.expired()) return { kind: 'timeout', ...where, message: `no answer within ${timeoutMs} ms` };
  return { kind: 'aborted', ...where, message: 'cancelled by the client' };
}

export function networkDetails(where: { method: string; path: string }, error: unknown, timeoutMs: number): SinchErrorDetails {
  const code = (error as { code?: string }).code ?? '';
  if (/TIMEOUT/.test(code)) return { kind: 'timeout', ...where, message: `no answer within ${timeoutMs} ms (${code})` };
  return { kind: 'network', ...where, message: code || (error instanceof Error ? error.message : 'connection failed') };
}

/** Retry-After in seconds or as an HTTP date; absent or unreadable -> undefined. */
export function parseRetryAfter(value: string | string[] | undefined, now: Date): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw.trim())) return Math.round(Number(raw) * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime());
}

/** Capped exponential backoff with jitter: half fixed, half random, so retries spread out. */
export function backoff(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
