// The optional callback receiver: Sinch POSTs call events here. Each request is verified the way Sinch
// signs callbacks (application-signed over the raw body, the request's Content-Type and the public path),
// must be fresh and small, and is answered at once with SVAML; nothing is stored from a refused request.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BodyTooLargeError, headerValue, readBody } from '../http-request.js';
import { verifyAuthorization } from '../sinch/signing.js';
import { regionBaseFrom } from '../sinch/hosts.js';
import { record } from '../sinch/read.js';
import type { CallState } from '../state/calls.js';
import { readCustom } from '../state/custom-marker.js';
import type { EventBuffer } from './buffer.js';
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

export async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  const maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  const now = options.now ?? Date.now;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://receiver').pathname;
    if (req.method !== 'POST' || path !== options.publicPath) throw new Refusal(404, 'not found');
    const body = await readBody(req, maxBodyBytes).catch((error: unknown) => {
      throw error instanceof BodyTooLargeError ? new Refusal(413, error.message) : error;
    });
    const timestamp = headerValue(req, 'x-timestamp');
    const check = verifyAuthorization(req.headers.authorization, options.app, {
      method: 'POST',
      body,
      contentType: headerValue(req, 'content-type') ?? '',
      timestamp,
      path: options.publicPath,
    });
    if (!check.ok || check.scheme !== 'application') throw new Refusal(401, 'invalid signature');
    const age = Math.abs(now() - Date.parse(timestamp ?? ''));
    if (!(age <= maxAgeMs)) throw new Refusal(401, 'stale or missing x-timestamp');
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new Refusal(400, 'body is not JSON');
    }
    const raw = record(parsed);
    // The join marker this server put in a callout's custom field answers the ACE; people see only their own custom text.
    const { custom, join } = readCustom(raw.custom);
    const { custom: _echoed, ...rest } = raw;
    const shown = custom === undefined ? rest : { ...rest, custom };
    const callId = callIdOf(raw);
    const known = callId ? await options.calls.get(callId) : undefined;
    const event = options.buffer.add(shown, { conferenceId: known?.conferenceId ?? join?.conferenceId, label: known?.label });
    if (!event) throw new Refusal(400, 'not a Sinch call event');
    const regionBase = event.type === 'ice' && callId ? regionBaseFrom(raw.callResourceUrl) : undefined;
    if (callId && regionBase) await options.calls.remember(callId, { kind: 'incoming', regionBase });
    const answer = answerFor(event, { join, known }, options.iceAnswer);
    if (answer) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    else res.writeHead(200).end();
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const status = error instanceof Refusal ? error.status : 500;
      if (!res.headersSent) res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' }).end(error instanceof Refusal ? error.message : 'error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    localUrl: `http://${host}:${address.port}${options.publicPath}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
