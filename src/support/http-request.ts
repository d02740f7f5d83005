// Incoming HTTP, shared by the sandbox, the callback receiver and other local servers: reading a request,
// and the limits that keep a flood of idle or slow connections from holding sockets (and file descriptors).
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { logLine } from './log.js';

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`body over ${limit} bytes`);
  }
}

/** The body as text; rejects with BodyTooLargeError past the limit (the rest is drained, not kept). */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLargeError(limit));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A header's value; the first one when it was sent more than once. */
export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export interface ServerLimits {
  /** Connections open at once; further ones are dropped on accept. */
  maxConnections: number;
  /** A connection must deliver a request's headers within this (an idle new connection counts). */
  headersTimeoutMs: number;
  /** ...and the whole request, body included, within this. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open after an answer. */
  keepAliveTimeoutMs: number;
  /** How often the two request timeouts are checked; a timed-out connection lives up to this much longer. */
  checkIntervalMs: number;
}

/** For small local servers that answer at once (callback receiver, approval page). */
export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  maxConnections: 128,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  keepAliveTimeoutMs: 5_000,
  checkIntervalMs: 1_000,
};

/**
 * Applies the limits to a server before it listens (Node reads the check interval when listening starts).
 * Without them Node keeps a silent connection for 60 s, a slow body for 5 min, and accepts any number.
 */
export function hardenServer<S extends Server>(server: S, limits: Partial<ServerLimits> = {}): S {
  if (server.listening) throw new Error('hardenServer must be called before listen()');
  const l = { ...DEFAULT_SERVER_LIMITS, ...limits };
  // requestTimeoutMs 0 turns the whole-request deadline off (long-lived streams); headers are still timed.
  if (l.requestTimeoutMs > 0 && l.headersTimeoutMs > l.requestTimeoutMs) throw new Error('headersTimeoutMs must not exceed requestTimeoutMs');
  server.maxConnections = l.maxConnections;
  reportDrops(server, l.maxConnections);
  server.headersTimeout = l.headersTimeoutMs;
  server.requestTimeout = l.requestTimeoutMs;
  server.keepAliveTimeout = l.keepAliveTimeoutMs;
  // A createServer option in the typings, but Node reads the property when listening starts.
  Object.assign(server, { connectionsCheckingInterval: l.checkIntervalMs });
  return server;
}

/** How often a run of refused connections is reported (a flood must not flood the log). */
const DROP_REPORT_MS = 60_000;

/** A connection refused at the cap is said on stderr, so an operator sees why a client could not connect. */
function reportDrops(server: Server, cap: number): void {
  let dropped = 0;
  let holding = false;
  const say = () => {
    if (dropped > 0) logLine(`WARNING: refused ${dropped} connection(s): ${cap} were already open, the cap for this port.`);
    dropped = 0;
  };
  server.on('drop', () => {
    dropped += 1;
    // The first refusal of a quiet spell is said at once; those that follow within the minute, summed after it.
    if (holding) return;
    say();
    holding = true;
    setTimeout(() => {
      holding = false;
      say();
    }, DROP_REPORT_MS).unref();
  });
}

/** A JSON answer that no cache keeps. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }).end(JSON.stringify(body));
}
