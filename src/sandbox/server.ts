// The embedded Calling API sandbox: a real HTTP server on 127.0.0.1 that serves every v1 method on
// both base paths (/calling/v1 and /v1), checks each request's signature or basic auth with the
// client's own signing module, keeps state, and can be told to misbehave.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, headerValue, readBody } from '../support/http-request.js';
import { listen } from '../support/http-server.js';
import { verifyAuthorization } from '../sinch/signing.js';
import { sandboxApp } from './app.js';
import { type CallbackOptions, SandboxCallbacks } from './callbacks.js';
import { type Fault, FaultPlan } from './faults.js';
import { HttpError, createSandboxApi } from './api.js';
import { SandboxLookup, randomProject } from './lookup.js';
import type { ProjectCredentials } from '../sinch/credentials.js';
import { REGION_B_PREFIX, type SandboxApp, SandboxState, type Timing } from './state.js';

export interface SandboxOptions {
  /** Default: this process's sandbox app (fixed key, random secret). */
  app?: SandboxApp;
  port?: number;
  timing?: Partial<Timing>;
  now?: () => number;
  /** Largest accepted skew of x-timestamp against the sandbox clock. */
  maxSkewMs?: number;
  /** How callback events (ACE, DiCE) reach the app's callback URL. */
  callbacks?: CallbackOptions;
  /** The project access key Number Lookup and its token endpoint accept (default: one drawn at random). */
  project?: ProjectCredentials;
  /** Seconds an OAuth2 token lives (default 3600, as Sinch's). */
  tokenLifeS?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  /** Kept apart from headers so tests can check it never leaks anywhere else. */
  authorization?: string;
  /** The status answered; undefined while pending, or when the request hung or was reset. */
  status?: number;
  /** True when the client went away before the answer (e.g. a cancelled tool call). */
  aborted?: boolean;
}

export interface Sandbox {
  app: SandboxApp;
  callingUrl: string;
  managementUrl: string;
  state: SandboxState;
  faults: FaultPlan;
  requests: RecordedRequest[];
  /** Number Lookup v2's base URL and the OAuth2 token endpoint's (both this sandbox). */
  lookupUrl: string;
  authUrl: string;
  /** The project access key they accept. */
  project: ProjectCredentials;
  /** The second region's calling base URL (where calls that came in by ICE live). */
  regionBCallingUrl: string;
  /** Simulates a call coming in to one of the app's numbers: a signed ICE goes to the registered callback URL. */
  incomingCall(from: string, to?: string): Promise<{ callId: string; answer: unknown }>;
  /** TCP connections accepted since start (keep-alive reuse keeps this low). */
  connections(): number;
  /** TCP connections open right now. */
  openConnections(): number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1_000_000;

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const app = options.app ?? sandboxApp();
  const now = options.now ?? Date.now;
  const state = new SandboxState(app, { answerAfterMs: 1_000, ttsDurationMs: 8_000, ...options.timing }, now);
  const faults = new FaultPlan();
  const callbacks = new SandboxCallbacks(state, app, options.callbacks);
  const route = createSandboxApi(state, app, callbacks);
  const requests: RecordedRequest[] = [];
  const maxSkewMs = options.maxSkewMs ?? 15 * 60_000;
  const lookup = new SandboxLookup(options.project ?? randomProject(), now, options.tokenLifeS);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req, MAX_BODY_BYTES).catch((error: unknown) => {
      // Past the limit the sandbox drops the connection, as before.
      if (error instanceof BodyTooLargeError) req.socket.destroy();
      throw error;
    });
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const method = req.method ?? 'GET';
    const { authorization, ...headers } = req.headers;
    const recorded: RecordedRequest = { method, path: url.pathname, body: tryJson(raw), headers, authorization };
    requests.push(recorded);
    res.on('finish', () => {
      recorded.status = res.statusCode;
    });
    res.on('close', () => {
      if (!res.writableFinished) recorded.aborted = true;
    });

    const fault = faults.take(method, url.pathname);
    if (fault && (await applyFault(fault, req, res, url.pathname))) return;
    // Number Lookup and its token endpoint authenticate their own way (an access key, then bearer tokens).
    if (lookup.owns(url.pathname)) {
      const answer = await lookup.answer(method, url.pathname, req.headers, raw);
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
      return;
    }

    const auth = verifyAuthorization(req.headers.authorization, app, {
      method,
      body: raw,
      contentType: req.headers['content-type'] ?? '',
      timestamp: headerValue(req, 'x-timestamp'),
      path: url.pathname,
    });
    if (!auth.ok) return sendError(res, authError(auth.reason));
    if (auth.scheme === 'application') {
      const skew = Math.abs(Date.parse(headerValue(req, 'x-timestamp') ?? '') - now());
      if (Number.isNaN(skew)) return sendError(res, new HttpError(401, 'TimestampHeader', 40101, 'X-Timestamp request header invalid or missing'));
      if (skew > maxSkewMs) return sendError(res, new HttpError(401, 'Expired', 40105, 'The request for authorization has expired'));
    }

    let body: unknown;
    if (raw !== '') {
      body = tryJson(raw);
      if (body === undefined) return sendError(res, new HttpError(400, 'InvalidRequest', 40003, 'Request body is not valid JSON'));
    }
    try {
      const result = await route(method, url.pathname, body);
      if (result.body === undefined) {
        res.writeHead(result.status).end();
      } else {
        res.writeHead(result.status, { 'content-type': 'application/json' }).end(JSON.stringify(result.body));
      }
    } catch (error) {
      if (error instanceof HttpError) return sendError(res, error);
      throw error;
    }
  }

  // Node's own connection limits: the sandbox stands in for Sinch, not for a server of ours.
  const server = await listen({ host: '127.0.0.1', port: options.port ?? 0, limits: false });
  server.mount((req, res) =>
    handle(req, res).catch((error) => {
      if (!res.headersSent) sendError(res, new HttpError(500, 'InternalError', 50000, `sandbox failure: ${String(error)}`));
    }),
  );
  const { origin } = server;

  return {
    app,
    callingUrl: `${origin}/calling/v1`,
    managementUrl: `${origin}/v1`,
    state,
    faults,
    requests,
    regionBCallingUrl: `${origin}${REGION_B_PREFIX}`,
    lookupUrl: origin,
    authUrl: origin,
    project: lookup.project,
    async incomingCall(from, to = state.numbers[0]!.number) {
      const { call, answer } = await callbacks.incoming(origin, from, to);
      return { callId: call.callId, answer };
    },
    connections: () => server.connections().accepted,
    openConnections: () => server.connections().open,
    close: () => {
      callbacks.close();
      return server.close();
    },
  };
}

async function applyFault(fault: Fault, req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  switch (fault.kind) {
    case 'redirect':
      res.writeHead(fault.status, { location: `${fault.to}${path}`, 'content-type': 'application/json' }).end('{}');
      return true;
    case 'delay':
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
      return false;
    case 'hang':
      return true; // never answer; the socket is destroyed when the sandbox closes
    case 'reset':
      req.socket.destroy();
      return true;
    case 'invalidJson':
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"callId": "abc", oops');
      return true;
    case 'status': {
      const headers: Record<string, string> = fault.retryAfter ? { 'retry-after': fault.retryAfter } : {};
      if (fault.html) {
        res.writeHead(fault.status, { ...headers, 'content-type': 'text/html' }).end('<html><head><title>Bad Gateway</title></head><body>upstream error</body></html>');
      } else {
        const code = fault.status === 429 ? 42900 : fault.status * 100;
        res.writeHead(fault.status, { ...headers, 'content-type': 'application/json' }).end(
          JSON.stringify({ status: `${fault.status} Simulated`, errorCode: code, message: `Simulated ${fault.status}`, reference: randomUUID() }),
        );
      }
      return true;
    }
  }
}

function authError(reason: string): HttpError {
  switch (reason) {
    case 'missing':
      return new HttpError(401, 'AuthorizationHeader', 40100, 'Authorization header missing, illegal or invalid');
    case 'scheme':
      return new HttpError(403, 'InvalidScheme', 40301, 'Invalid authorization scheme');
    case 'signature':
      return new HttpError(401, 'InvalidSignature', 40102, 'Request has invalid signature');
    default:
      return new HttpError(401, 'InvalidCredentials', 40108, 'Credentials provided are invalid');
  }
}

function sendError(res: ServerResponse, error: HttpError): void {
  res.writeHead(error.status, { 'content-type': 'application/json' }).end(
    JSON.stringify({ status: `${error.status} ${error.statusName}`, errorCode: error.errorCode, message: error.message, reference: randomUUID() }),
  );
}

function tryJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
