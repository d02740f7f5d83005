// The optional callback receiver: Sinch POSTs call events here. Each request is verified the way Sinch
// signs callbacks (application-signed over the raw body, the request's Content-Type and the public path),
// must be fresh, small and not seen before, and is answered at once with SVAML; nothing is stored from a
// refused or replayed request. The HTTP server has connection limits, so a flood cannot hold sockets.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, type ServerLimits, headerValue, readBody } from '../support/http-request.js';
import { listen } from '../support/http-server.js';
import { verifyAuthorization } from '../sinch/signing.js';
import { regionBaseFrom } from '../sinch/hosts.js';
import { record, text } from '../sinch/read.js';
import type { CallState } from '../state/calls.js';
import { readCustom } from '../sinch/custom.js';
import type { EventBuffer } from './buffer.js';
import type { ReplayGuard } from './replay-guard.js';
import { callIdOf } from './event.js';
import { type SvamlAnswer, answerFor } from './svaml.js';

export interface ReceiverOptions {
  host: string;
  port: number;
  /** The path of the public URL Sinch calls: the one it signs. */
  publicPath: string;
  app: { key: string; secret: string };
  buffer: EventBuffer;
  /** What the server knows about calls: read to answer ACE and label events, written for ICE (regional URL). */
  calls: CallState;
  iceAnswer?: SvamlAnswer;
  maxAgeMs?: number;
  maxBodyBytes?: number;
  /** Remembers accepted callbacks for their age window (in memory, or shared on Redis). */
  replays: ReplayGuard;
  /** Connection limits and timeouts (defaults: DEFAULT_SERVER_LIMITS). */
  limits?: Partial<ServerLimits>;
  now?: () => number;
}

export interface Receiver {
  /** Where it listens, e.g. http://127.0.0.1:8787/sinch/events. */
  localUrl: string;
  close(): Promise<void>;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The receiver as a request handler, so HTTP mode can serve it on its own port beside /mcp. */
export function receiverHandler(options: Omit<ReceiverOptions, 'host' | 'port' | 'limits'>): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  const now = options.now ?? Date.now;
  const { replays } = options;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://receiver').pathname;
    if (req.method !== 'POST' || path !== options.publicPath) throw new Refusal(404, 'not found');
    const body = await readBody(req, maxBodyBytes).catch((error: unknown) => {
      throw error instanceof BodyTooLargeError ? new Refusal(413, error.message) : error;
    });
    const timestamp = headerValue(req, 'x-timestamp');
    const authorization = req.headers.authorization ?? '';
    const check = verifyAuthorization(authorization, options.app, {
      method: 'POST',
      body,
      contentType: headerValue(req, 'content-type') ?? '',
      timestamp,
      path: options.publicPath,
    });
    if (!check.ok || check.scheme !== 'application') throw new Refusal(401, 'invalid signature');
    const sentAt = Date.parse(timestamp ?? '');
    if (!(Math.abs(now() - sentAt) <= maxAgeMs)) throw new Refusal(401, 'stale or missing x-timestamp');
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new Refusal(400, 'body is not JSON');
    }
    // The verified HMAC is the key: it covers method, body, Content-Type, x-timestamp and path, so it names
    // exactly one signed request, cannot be varied without the secret (unlike header casing or spacing),
    // and is small. It is remembered until its x-timestamp leaves the age window; after that it is stale.
    // A repeat gets an empty 200 with nothing stored, no waiter woken and no SVAML: if Sinch retried
    // because our answer was lost, success stops the retries (a 4xx would read as our failure), and a
    // replayer learns nothing (e.g. a conference id) and changes nothing.
    const hmac = authorization.slice(authorization.lastIndexOf(':') + 1).trim();
    if (!(await replays.firstSeen(`${timestamp}|${hmac}`, sentAt + maxAgeMs - now() + 1_000, sentAt))) {
      res.writeHead(200).end();
      return;
    }
    const raw = record(parsed);
    // The join marker this server put in a callout's custom field answers the ACE; people see only their own custom text.
    const { custom, join } = readCustom(raw.custom);
    const { custom: _echoed, ...rest } = raw;
    const shown = custom === undefined ? rest : { ...rest, custom };
    const callId = callIdOf(raw);
    const known = callId ? await options.calls.get(callId) : undefined;
    const event = await options.buffer.append(shown, { conferenceId: known?.conferenceId ?? join?.conferenceId, label: known?.label });
    if (!event) throw new Refusal(400, 'not a Sinch call event');
    const answer = answerFor(event, { join, known }, options.iceAnswer);
    if (event.type === 'ice' && callId) {
      // Where the incoming call lives, and the room it joins: together they tell the conference tools a room's region.
      const regionBase = regionBaseFrom(raw.callResourceUrl);
      const room = answer?.action.name === 'connectConf' ? text(answer.action.conferenceId) : undefined;
      if (regionBase || room) await options.calls.remember(callId, { kind: 'incoming', regionBase, conferenceId: room });
    }
    if (answer) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    else res.writeHead(200).end();
  };
  return (req, res) =>
    handle(req, res).catch((error: unknown) => {
      const status = error instanceof Refusal ? error.status : 500;
      if (!res.headersSent) res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' }).end(error instanceof Refusal ? error.message : 'error');
    });
}

/** The receiver on a port of its own (stdio mode; in HTTP mode it is mounted beside /mcp instead). */
export async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  const server = await listen({ host: options.host, port: options.port, limits: options.limits });
  server.mount(receiverHandler(options));
  return { localUrl: `${server.origin}${options.publicPath}`, close: () => server.close() };
}
