// The embedded Calling API sandbox: a real HTTP server on 127.0.0.1 that serves every v1 method on
// both base paths (/calling/v1 and /v1), checks each request's signature or basic auth with the
// client's own signing module, keeps state, and can be told to misbehave.
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { verifyAuthorization } from '../sinch/signing.js';
import { SANDBOX_APP } from './app.js';
import { type CallbackOptions, SandboxCallbacks } from './callbacks.js';
import { type Fault, FaultPlan } from './faults.js';
import { describeNumber, ratePerMinute } from './rates.js';
import { type SandboxApp, SandboxState, type SimCall, type Timing } from './state.js';

export { SANDBOX_APP };

export interface SandboxOptions {
  app?: SandboxApp;
  port?: number;
  timing?: Partial<Timing>;
  now?: () => number;
  /** Largest accepted skew of x-timestamp against the sandbox clock. */
  maxSkewMs?: number;
  /** How callback events (ACE, DiCE) reach the app's callback URL. */
  callbacks?: CallbackOptions;
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
  /** TCP connections accepted since start (keep-alive reuse keeps this low). */
  connections(): number;
  /** TCP connections open right now. */
  openConnections(): number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1_000_000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly statusName: string,
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

const notFound = (what: string) => new HttpError(404, 'ResourceNotFound', 40400, `${what} not found`);
const invalid = (message: string) => new HttpError(400, 'ParameterValidation', 40001, message);
const missing = (message: string) => new HttpError(400, 'MissingParameter', 40002, message);

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const app = options.app ?? SANDBOX_APP;
  const now = options.now ?? Date.now;
  const state = new SandboxState(app, { answerAfterMs: 1_000, ttsDurationMs: 8_000, ...options.timing }, now);
  const faults = new FaultPlan();
  const callbacks = new SandboxCallbacks(state, app, options.callbacks);
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const maxSkewMs = options.maxSkewMs ?? 15 * 60_000;

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error) => {
      if (!res.headersSent) sendError(res, new HttpError(500, 'InternalError', 50000, `sandbox failure: ${String(error)}`));
    });
  });
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
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
    if (fault && (await applyFault(fault, req, res))) return;

    const auth = verifyAuthorization(req.headers.authorization, app, {
      method,
      body: raw,
      contentType: req.headers['content-type'] ?? '',
      timestamp: header(req, 'x-timestamp'),
      path: url.pathname,
    });
    if (!auth.ok) return sendError(res, authError(auth.reason));
    if (auth.scheme === 'application') {
      const skew = Math.abs(Date.parse(header(req, 'x-timestamp') ?? '') - now());
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

  async function route(method: string, fullPath: string, body: unknown): Promise<{ status: number; body?: unknown }> {
    const prefix = ['/calling/v1', '/v1'].find((p) => fullPath === p || fullPath.startsWith(`${p}/`));
    if (!prefix) throw notFound('Route');
    const parts = fullPath.slice(prefix.length).split('/').filter(Boolean).map(decodeSegment);
    const [a, b, c, d, e] = parts;
    const n = parts.length;

    if (a === 'configuration' && b === 'numbers' && n === 2) {
      if (method === 'GET') return { status: 200, body: { numbers: state.numbers.map((x) => ({ ...x })) } };
      if (method === 'POST') return assignNumbers(body);
      if (method === 'DELETE') return unassignNumber(body);
    }
    if (a === 'configuration' && b === 'callbacks' && c === 'applications' && d && n === 4) {
      if (d !== app.key) throw new HttpError(400, 'InvalidRequest', 40003, 'Invalid Application Key');
      if (method === 'GET') return { status: 200, body: { url: { ...state.callbacks } } };
      if (method === 'POST') return updateCallbacks(body);
    }
    if (a === 'calling' && b === 'query' && c === 'number' && d && n === 4 && method === 'GET') {
      const info = await describeNumber(d);
      if (!info) throw invalid('Invalid number specified');
      return { status: 200, body: { method: 'numberItem', number: info } };
    }
    if (a === 'callouts' && n === 1 && method === 'POST') return callout(body);
    if (a === 'calls' && b === 'id' && c) {
      const call = state.calls.get(c);
      if (!call) throw notFound('Call');
      if (n === 3 && method === 'GET') return { status: 200, body: callResult(call) };
      if (n === 3 && method === 'PATCH') return { status: manageCall(call, body), body: undefined };
      if (n === 5 && d === 'leg' && ['caller', 'callee', 'both'].includes(e ?? '') && method === 'PATCH') {
        manageCall(call, body);
        return { status: 200 };
      }
    }
    if (a === 'conferences' && b === 'id' && c) {
      if (n === 3 && method === 'GET') {
        if (!state.knownConferences.has(c)) throw notFound('Conference');
        return { status: 200, body: { participants: state.participants(c).map(participantView) } };
      }
      if (n === 3 && method === 'DELETE') {
        if (!state.knownConferences.has(c)) throw notFound('Conference');
        for (const call of state.participants(c)) end(call);
        return { status: 204 };
      }
      if (n === 4 && d) {
        const call = state.participants(c).find((p) => p.callId === d);
        if (!call) throw notFound('Conference participant');
        if (method === 'PATCH') return manageParticipant(call, body);
        if (method === 'DELETE') {
          end(call);
          return { status: 200 };
        }
      }
    }
    throw notFound(`Route ${method} ${fullPath}`);
  }

  /** A manager ended the call (kick, hang-up): the app hears DiCE when it asked for it. */
  function end(call: SimCall): void {
    state.endCall(call, 'MANAGERHANGUP');
    callbacks.ended(call);
  }

  function assignNumbers(body: unknown): { status: number } {
    const input = object(body);
    const numbers = input.numbers;
    if (!Array.isArray(numbers) || numbers.length === 0 || numbers.length > 100) throw missing('numbers must be a list of 1 to 100 numbers');
    const key = stringField(input, 'applicationkey') ?? stringField(input, 'applicationKey') ?? app.key;
    if (key !== app.key) throw new HttpError(400, 'InvalidRequest', 40003, 'Invalid Application Key');
    const capability = stringField(input, 'capability') ?? 'voice';
    const owned = numbers.map((value) => {
      const found = state.numbers.find((x) => x.number === value);
      if (!found) throw invalid(`Unable to update numbers: ${String(value)} is not a number of this account`);
      if (found.capability !== capability) throw invalid(`Unable to update numbers: ${found.number} does not support ${capability}`);
      return found;
    });
    for (const found of owned) found.applicationkey = key;
    return { status: 204 };
  }

  function unassignNumber(body: unknown): { status: number } {
    const input = object(body);
    const number = stringField(input, 'number');
    if (!number) throw missing('number is required');
    const key = stringField(input, 'applicationkey') ?? stringField(input, 'applicationKey') ?? app.key;
    if (key !== app.key) throw new HttpError(400, 'InvalidRequest', 40003, 'Invalid Application Key');
    const found = state.numbers.find((x) => x.number === number);
    if (!found) throw invalid(`Unable to update numbers: ${number} is not a number of this account`);
    if (found.applicationkey !== key) throw invalid(`Unable to update numbers: ${number} is not assigned to this application`);
    delete found.applicationkey;
    return { status: 204 };
  }

  function updateCallbacks(body: unknown): { status: number } {
    const urls = object(object(body).url);
    const primary = stringField(urls, 'primary');
    if (!primary) throw missing('url.primary is required');
    state.callbacks = { primary, ...(stringField(urls, 'fallback') ? { fallback: stringField(urls, 'fallback') } : {}) };
    return { status: 204 };
  }

  function callout(body: unknown): { status: number; body: unknown } {
    const input = object(body);
    const method = input.method;
    if (method !== 'ttsCallout' && method !== 'conferenceCallout') {
      throw invalid('Method needs to be `ttsCallout`, `conferenceCallout`, or `customCallout` (the sandbox simulates the first two)');
    }
    const details = object(input[method]);
    const destination = object(details.destination);
    const type = String(destination.type ?? '').toLowerCase();
    const endpoint = stringField(destination, 'endpoint');
    if (!endpoint) throw missing(`${method}.destination.endpoint is required`);
    if (type !== 'number' && type !== 'username') throw invalid(`${method}.destination.type must be number or username`);
    if (type === 'number' && !endpoint.startsWith('+')) throw new HttpError(400, 'NumberMissingLeadingPlus', 40005, 'Phone number missing leading plus sign');
    if (type === 'number' && !/^\+[1-9]\d{1,14}$/.test(endpoint)) throw invalid('destination.endpoint is not an E.164 number');
    const cli = stringField(details, 'cli') ?? 'private';
    const custom = stringField(details, 'custom');
    const rate = ratePerMinute(undefined, 'Mobile');
    const flags = { enableAce: details.enableAce === true, enableDice: details.enableDice === true };
    if (method === 'ttsCallout') {
      const text = stringField(details, 'text') ?? stringField(details, 'prompts');
      if (!text) throw missing('ttsCallout needs text or prompts');
      if (text.length > 600) throw invalid('text and prompts are limited to 600 characters');
      const call = state.createCall({ kind: 'tts', cli, destination: { type, endpoint }, custom, ratePerMinute: rate, liveMs: state.timing.ttsDurationMs, ...flags });
      callbacks.track(call);
      return { status: 200, body: { callId: call.callId } };
    }
    const conferenceId = stringField(details, 'conferenceId');
    if (!conferenceId) throw missing('conferenceCallout.conferenceId is required');
    if (conferenceId.length > 64) throw invalid('conferenceId is limited to 64 characters');
    const maxDuration = typeof details.maxDuration === 'number' ? details.maxDuration : undefined;
    const call = state.createCall({
      kind: 'conference',
      cli,
      destination: { type, endpoint },
      conferenceId,
      custom,
      ratePerMinute: rate,
      liveMs: maxDuration === undefined ? undefined : maxDuration * 1000,
      ...flags,
    });
    callbacks.track(call);
    return { status: 200, body: { callId: call.callId } };
  }

  function manageCall(call: SimCall, body: unknown): number {
    const svaml = object(body);
    const action = object(svaml.action);
    if (!['hangup', 'continue', 'park'].includes(String(action.name))) throw invalid('action.name must be hangup, continue or park');
    const instructions = svaml.instructions ?? [];
    if (!Array.isArray(instructions)) throw invalid('instructions must be a list');
    const allowed = ['playFiles', 'say', 'sendDtmf', 'setCookie', 'answer', 'startRecording', 'stopRecording'];
    for (const instruction of instructions) {
      if (!allowed.includes(String(object(instruction).name))) throw invalid(`instruction name must be one of ${allowed.join(', ')}`);
    }
    if (state.view(call).state === 'ended') throw notFound('Call');
    if (action.name === 'hangup') end(call);
    return 204;
  }

  function manageParticipant(call: SimCall, body: unknown): { status: number } {
    const command = object(body).command;
    if (command === 'mute') call.muted = true;
    else if (command === 'unmute') call.muted = false;
    else if (command === 'onhold') call.onhold = true;
    else if (command === 'resume') call.onhold = false;
    else throw invalid('command must be mute, unmute, onhold or resume');
    return { status: 200 };
  }

  function callResult(call: SimCall): Record<string, unknown> {
    const view = state.view(call);
    const minutes = Math.ceil(view.durationSeconds / 60);
    return {
      from: { type: 'number', endpoint: call.cli },
      to: { ...call.destination },
      domain: 'pstn',
      callId: call.callId,
      duration: view.durationSeconds,
      status: view.state === 'ended' ? 'FINAL' : 'ONGOING',
      result: view.result,
      reason: view.reason,
      timestamp: new Date(call.createdAt).toISOString(),
      ...(call.custom !== undefined ? { custom: call.custom } : {}),
      userRate: { currencyId: 'USD', amount: call.ratePerMinute },
      debit: { currencyId: 'USD', amount: Number((minutes * call.ratePerMinute).toFixed(4)) },
    };
  }

  function participantView(call: SimCall): Record<string, unknown> {
    return {
      cli: call.destination.endpoint,
      id: call.callId,
      duration: state.view(call).durationSeconds,
      muted: call.muted,
      onhold: call.onhold,
    };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    app,
    callingUrl: `${origin}/calling/v1`,
    managementUrl: `${origin}/v1`,
    state,
    faults,
    requests,
    connections: () => connections,
    openConnections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        callbacks.close();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function applyFault(fault: Fault, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  switch (fault.kind) {
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

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function tryJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function object(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new HttpError(400, 'InvalidRequest', 40003, 'Request data missing or not an object');
  return value as Record<string, unknown>;
}

function stringField(input: Record<string, unknown>, name: string): string | undefined {
  const value = input[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
