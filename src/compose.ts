// The composition root: compose(config) makes every part of one server process, once and in order, and hands
// them to serve(). The bin, the tests, the build scripts and the benchmarks all build the server this way; what
// they change (a test's clock, a client pointed at a test sandbox) is injected, never patched in afterwards.
// Ports are bound before anything that names them is made, so no address is filled in later.
import { readFileSync } from 'node:fs';
import { ConfigError } from './config/error.js';
import type { Config, HttpConfig } from './config/config.js';
import { type ApprovalOptions, Approvals } from './confirm/approvals.js';
import type { OpenUrl } from './confirm/browser.js';
import { Confirmation } from './confirm/confirmation.js';
import { APPROVAL_LISTEN, type ApprovalPages, localApprovalPages, remoteApprovalPages } from './confirm/pages.js';
import { PendingCaps } from './confirm/pending-caps.js';
import { ConfirmationTokens } from './confirm/tokens.js';
import { arrivalCheck, callLookup } from './events/arrival.js';
import { EventBuffer } from './events/buffer.js';
import { Watcher } from './events/watch.js';
import { MemoryReplayGuard, RestartAwareGuard, SharedReplayGuard } from './events/replay-guard.js';
import { shareEvents } from './events/share.js';
import type { SessionServices, ToolListing } from './mcp/services.js';
import type { ViewSource } from './mcp/views.js';
import { CalloutPolicy } from './policy/outbound.js';
import { RecentWrites } from './policy/repeats.js';
import { takeUnresolvedWrites } from './policy/unresolved.js';
import { sandboxApp } from './sandbox/app.js';
import { type ClientSettings, SinchClient } from './sinch/client.js';
import type { ProjectCredentials } from './sinch/credentials.js';
import type { NumberLookup } from './sinch/lookup.js';
import { CallState } from './state/calls.js';
import { createSharedState } from './state/index.js';
import { Keyring } from './state/mac.js';
import { SignedState } from './state/signed.js';
import { StateLoss } from './state/loss.js';
import type { SharedState } from './state/shared.js';
import { type Audit, createAuditLog } from './support/audit.js';
import type { Handler, HttpServer } from './support/http-server.js';
import type { Authenticator } from './transports/http/auth.js';

/** Intervals a test may shorten; the defaults are the product's. */
export interface Timing {
  /** How often a call waiting for the approval page reports progress (default 5 s). */
  progressEveryMs: number;
  /** How often a waiting approval reads its stored decision, in case a wake-up was lost (default 2 s). */
  approvalPollMs: number;
  /**
   * How long a guarded call waits for the host to show its approval card (MCP Apps) before it returns and leaves
   * the card to perform the action (default 3 s): hosts that render views only after a call returned.
   */
  cardOpenMs: number;
}

const TIMING: Timing = { progressEveryMs: 5_000, approvalPollMs: 2_000, cardOpenMs: 3_000 };

/** What a caller of compose() may supply instead of what the configuration would make. */
export interface Inject {
  /** The clock of tokens, approvals and the callout budget. */
  now?: () => number;
  /** A Sinch client (e.g. pointed at a test sandbox) instead of the live one or the embedded sandbox. */
  client?: SinchClient;
  calls?: CallState;
  audit?: Audit & { close?(): void; reopen?(): void };
  /** Stands in for the person's browser. */
  openUrl?: OpenUrl;
  /** The build's precomputed tools/list answer (the bin reads dist/tool-listing.json). */
  toolListing?: ToolListing;
  /** The built in-chat views (the bin reads dist/views); without them no session offers views. */
  views?: ViewSource;
  timing?: Partial<Timing>;
  /**
   * false: bind no port (remote mode's, the receiver's, a fixed sandbox port) and read no tokens file; for the
   * build scripts, which only ask a configuration what it would list.
   */
  ports?: false;
}

export interface Services extends SessionServices {
  state: SharedState;
  /** This process's id among the instances sharing one Redis ("local" without Redis). */
  instance: string;
  /** Remote mode: the bound port (nothing answers until serve() mounts the edge) and how callers and approvers sign in. */
  http?: { server: HttpServer; auth: Authenticator };
  /** The callback receiver, when on: its handler, its public path, and where it answers on this machine. */
  receiver?: { path: string; handle: Handler; localUrl: string };
  /** Fails requests in flight at once, then waits for their tool calls to write their audit outcome. */
  drain(): Promise<void>;
  /** SIGHUP (logrotate): the audit file is opened again at its path; the events log is opened per line anyway. */
  reopenLogs(): void;
  /** Releases everything compose made: ports, the embedded sandbox, the shared state, the audit file. */
  close(): Promise<void>;
}

/** A failure that stops the bin with one line naming the fix (exit 2). */
export class StartError extends Error {}

export async function compose(config: Config, inject: Inject = {}): Promise<Services> {
  const now = inject.now ?? Date.now;
  const timing = { ...TIMING, ...inject.timing };
  const ports = inject.ports !== false;
  const audit = inject.audit ?? createAuditLog(config.auditLog);
  // What is open so far, closed in reverse if a later step fails (the bin exits then; a test must not leak it).
  const closers: Array<() => Promise<unknown>> = [];
  let state: SharedState | undefined;
  try {
    // Tokens, the callout budget, approvals, the replay cache, call state and events: in memory, or on Redis so
    // that several instances serve one team as one.
    // Redis is a trust boundary: every value and message crossing it is MACed with the deployment's secret.
    const keys = sharedKeys(config);
    // A Redis that comes back empty is noticed on reconnection (state/loss.ts), before queued commands run.
    let onRestored = () => {};
    state = await startStep(createSharedState(config.redisUrl, { onRestored: () => onRestored() }));
    if (config.redisUrl) state = new SignedState(state, keys);
    const loss = config.redisUrl ? new StateLoss(state, now) : StateLoss.inMemory(state, now);
    if (config.redisUrl) {
      await startStep(loss.start());
      onRestored = () => loss.restored();
    }
    const instance = config.redisUrl ? globalThis.crypto.randomUUID() : 'local';
    const calls = inject.calls ?? (await startStep(CallState.open(config.stateFile)));
    if (config.redisUrl) await calls.share(state, instance);

    // The receiver on its own port (stdio mode), then the embedded sandbox's fixed port, then remote mode's port:
    // a start with several faults names the same one first as it always has.
    // Call events: numbered in one sequence across instances on Redis, in this buffer's own count otherwise.
    const shared = state;
    const events = new EventBuffer(1_000, config.callbacks?.eventsLog, undefined, undefined, config.redisUrl ? () => shared.next('events:seq') : undefined);
    const receiver = config.callbacks ? await makeReceiver(config, calls, state, loss, events, ports && !config.http) : undefined;
    if (receiver?.own) closers.push(receiver.own.close);
    if (config.redisUrl && receiver) await shareEvents(events, state, instance);
    // Where callbacks for the public URL reach the receiver on this machine; in remote mode, once its port is bound.
    let receiverUrl = receiver?.own && `${receiver.own.origin}${config.callbacks!.publicPath}`;
    const client = inject.client ?? (await sinchClient(config, ports, () => receiverUrl, closers));
    // Without a public callback URL the server watches Sinch for the events a wait asks for.
    const watcher = config.callbacks ? undefined : new Watcher(client, calls, events);
    const knownToSinch = callLookup(client, calls);
    if (watcher) closers.push(async () => watcher.close());
    const approvalServer = await bindApprovalPort(config, ports);
    if (approvalServer) closers.push(approvalServer.close);
    const http = config.http && ports ? await bindHttp(config.http) : undefined;
    if (http) {
      closers.push(http.server.close);
      if (receiver) receiverUrl = `${http.server.origin}${config.callbacks!.publicPath}`;
    }

    const repeats = new RecentWrites(shared, now);
    const unresolved = await takeUnresolvedWrites(config.auditLog, audit, repeats);

    // One count of what waits for a person, whichever route asks (pending-caps.ts).
    const caps = new PendingCaps(now);
    const approvals = new Approvals(state, { now, caps, pollMs: timing.approvalPollMs, keys, lostAt: () => loss.lostAt } satisfies ApprovalOptions);
    // Remote mode: the pages are on the HTTP port, at its public URL when it has one; otherwise on this machine.
    const remote = config.http !== undefined;
    const pages: ApprovalPages = remote ? remoteApprovalPages(config.http!.publicUrl ?? http?.server.origin, approvals) : localApprovalPages(approvalServer ?? config.approvalPort, approvals);
    const confirmation = new Confirmation(
      { mode: config.confirmationMode, remote, skip: config.skipConfirmation, timeoutMs: config.confirmTimeoutMs },
      {
        tokens: new ConfirmationTokens(state, now, undefined, caps),
        pages,
        openUrl: inject.openUrl ?? (remote ? cannotOpenBrowser : openInBrowser),
        progressEveryMs: timing.progressEveryMs,
        cardOpenMs: timing.cardOpenMs,
        now,
      },
    );
    closers.push(() => confirmation.close());
    const inflight = new Set<Promise<unknown>>();

    return {
      config,
      sandbox: config.mode === 'sandbox',
      client,
      calls,
      events,
      waiting: config.callbacks
        ? { mode: 'receiver', watch: () => () => undefined, cannotArrive: arrivalCheck(client, calls, config.callbacks.publicUrl), knownToSinch }
        : { mode: 'watching', watch: (target) => watcher!.watch(target), cannotArrive: async () => undefined, knownToSinch },
      state: shared,
      instance,
      policy: new CalloutPolicy(config.allowedDestinations, config.maxCalloutsPerMinute, now, shared, loss),
      repeats,
      unresolved,
      confirmation,
      audit,
      lookupPlus: config.project && numberLookup(client, config.project, now),
      toolListing: inject.toolListing,
      views: inject.views,
      inflight,
      http,
      receiver: receiver && receiverUrl ? { path: config.callbacks!.publicPath, handle: receiver.handle, localUrl: receiverUrl } : undefined,
      async drain() {
        // Closing the client fails any request in flight at once; its tool call then writes its audit outcome
        // ("unknown": it may have reached Sinch).
        await client.close();
        await Promise.allSettled(inflight);
      },
      reopenLogs: () => audit.reopen?.(),
      close: () => release(closers, shared, audit),
    };
  } catch (error) {
    await release(closers, state, audit);
    throw error;
  }
}

/** Closes what compose opened: ports and the sandbox (newest first), then the shared state, then the audit file. */
async function release(closers: Array<() => Promise<unknown>>, state: SharedState | undefined, audit: Inject['audit'] & object): Promise<void> {
  for (const close of [...closers].reverse()) await close().catch(() => undefined);
  await state?.close().catch(() => undefined);
  audit.close?.();
}

/** The deployment's keys with Redis (every instance holds the same secret); without it, this process's own. */
function sharedKeys(config: Config): Keyring {
  if (!config.stateSecret) {
    if (config.redisUrl) throw new ConfigError('SINCH_STATE_SECRET is missing: with SINCH_REDIS_URL set, every instance needs the same secret.');
    return Keyring.random();
  }
  return new Keyring(config.stateSecret.current, config.stateSecret.previous);
}

/** Start-up steps whose failure (Redis unreachable, a state file that cannot be read) stops the bin with their message. */
async function startStep<T>(step: Promise<T>): Promise<T> {
  try {
    return await step;
  } catch (error) {
    throw new StartError((error as Error).message);
  }
}

/** Remote mode's port, bound now, and its authenticator (a tokens file that cannot be read stops the start first). */
async function bindHttp(http: HttpConfig): Promise<{ server: HttpServer; auth: Authenticator }> {
  const auth = await authenticatorFor(http);
  // requestTimeout bounds only how long receiving a request may take (a slow body cannot hold a connection);
  // the answer, e.g. MCP's GET stream or a tool call waiting for a person, may still take as long as it needs.
  // The connection cap follows from the session cap (transports/http/capacity.ts).
  const [{ listen }, { connectionLimit }] = await Promise.all([import('./support/http-server.js'), import('./transports/http/capacity.js')]);
  const server = await bindNamed('SINCH_HTTP_PORT', http.port, () => listen({ host: http.host, port: http.port, limits: { maxConnections: connectionLimit(), requestTimeoutMs: 30_000 } }));
  return { server, auth };
}

async function authenticatorFor(http: HttpConfig): Promise<Authenticator> {
  // Loaded in remote mode only.
  const { AuthConfigError, oauthTokens, staticTokens } = await import('./transports/http/auth.js');
  if (http.auth.kind === 'oauth') return oauthTokens(http.auth);
  let text: string;
  try {
    text = readFileSync(http.auth.file, 'utf8');
  } catch (error) {
    throw new ConfigError(`SINCH_HTTP_TOKENS_FILE=${JSON.stringify(http.auth.file)} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  try {
    return staticTokens(text);
  } catch (error) {
    if (error instanceof AuthConfigError) throw new ConfigError(error.message);
    throw error;
  }
}

/**
 * The receiver and its event buffer, loaded only when SINCH_CALLBACK_PORT is set; on a port of its own when
 * `ownPort` (stdio mode), else its handler is mounted beside /mcp. In sandbox mode it accepts only this run's
 * random sandbox secret.
 */
async function makeReceiver(config: Config, calls: CallState, state: SharedState, loss: StateLoss, events: EventBuffer, ownPort: boolean) {
  const callbacks = config.callbacks!;
  const { receiverHandler } = await import('./events/receiver.js');
  const handle = receiverHandler({
    publicPath: callbacks.publicPath,
    app: config.credentials ?? sandboxApp(),
    buffer: events,
    calls,
    iceAnswer: callbacks.iceAnswer,
    maxAgeMs: callbacks.maxAgeMs,
    replays: new RestartAwareGuard(config.redisUrl ? new SharedReplayGuard(state) : new MemoryReplayGuard(), loss),
  });
  if (!ownPort) return { events, handle, own: undefined };
  const { listen } = await import('./support/http-server.js');
  const own = await bindNamed('SINCH_CALLBACK_PORT', callbacks.port, () => listen({ host: callbacks.host, port: callbacks.port }));
  own.mount(handle);
  return { events, handle, own };
}

/** The live client, or one whose first request starts the embedded sandbox (a fixed SINCH_SANDBOX_PORT is bound now). */
async function sinchClient(config: Config, ports: boolean, receiverUrl: () => string | undefined, closers: Array<() => Promise<unknown>>): Promise<SinchClient> {
  if (config.mode === 'live') return new SinchClient(clientSettings(config, config.callingUrl!, config.managementUrl!, config.credentials!));
  const startEmbeddedSandbox = async (): Promise<ClientSettings> => {
    const { startSandbox } = await import('./sandbox/server.js');
    const running = await startSandbox({
      port: config.sandboxPort,
      // Project credentials set in sandbox mode are the ones its Number Lookup accepts.
      project: config.project,
      // The sandbox delivers callbacks for the public URL straight to the local receiver.
      callbacks: { deliverTo: (url) => (url === config.callbacks?.publicUrl ? (receiverUrl() ?? url) : url) },
    });
    closers.push(running.close);
    return { ...clientSettings(config, running.callingUrl, running.managementUrl, running.app), lookupUrl: running.lookupUrl, authUrl: running.authUrl, followLoopbackRedirects: true };
  };
  if (!config.sandboxPort || !ports) return new SinchClient(startEmbeddedSandbox);
  // A fixed sandbox port is bound now, so a port already in use stops the server at start.
  return new SinchClient(await bindNamed('SINCH_SANDBOX_PORT', config.sandboxPort, startEmbeddedSandbox));
}

/** Binds a port an operator named: one that cannot be bound stops the start with one line naming the variable. */
async function bindNamed<T>(variable: string, port: number, bind: () => Promise<T>): Promise<T> {
  try {
    return await bind();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new StartError(`${variable}=${port} is already in use; choose a free port, or 0 for any free port.`);
    if (code === 'EACCES' || code === 'EADDRNOTAVAIL') throw new StartError(`${variable}=${port} cannot be bound (${code}); choose another port.`);
    throw error;
  }
}

/** Number Lookup on the client's pool, loaded on the first lookup (nothing of it on the start-up path). */
function numberLookup(client: SinchClient, project: ProjectCredentials, now: () => number): Services['lookupPlus'] {
  let made: Promise<NumberLookup> | undefined;
  return async (e164) => {
    made ??= import('./sinch/lookup.js').then(({ NumberLookup }) => new NumberLookup(client, project, now));
    return (await made).lookup(e164);
  };
}

/**
 * A fixed SINCH_APPROVAL_PORT (stdio mode) is bound at start, like a fixed sandbox port: a port in use stops the
 * server now rather than at the first guarded call. The page server itself still loads on first use.
 */
async function bindApprovalPort(config: Config, ports: boolean): Promise<HttpServer | undefined> {
  if (config.http || !config.approvalPort || !ports) return undefined;
  const { listen } = await import('./support/http-server.js');
  return bindNamed('SINCH_APPROVAL_PORT', config.approvalPort, () => listen(APPROVAL_LISTEN(config.approvalPort)));
}

function clientSettings(config: Config, callingUrl: string, managementUrl: string, credentials: { key: string; secret: string }): ClientSettings {
  return { callingUrl, managementUrl, credentials, auth: config.auth, timeoutMs: config.timeoutMs, maxConnections: config.maxConnections };
}

// Loaded when a page must be opened: child processes and temp files are not needed to start.
const openInBrowser: OpenUrl = async (url) => (await import('./confirm/browser.js')).browserOpener()(url);

// The server is not on the person's machine: it cannot open their browser.
const cannotOpenBrowser: OpenUrl = async () => ({ ok: false, reason: 'the server runs remotely (HTTP mode) and cannot open a browser on your machine' });
