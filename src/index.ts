#!/usr/bin/env node
// The bin: read configuration, build the server, connect stdio (or, with --http, serve a team over
// Streamable HTTP). stdout carries only JSON-RPC.
import { readFileSync } from 'node:fs';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { ConfigError } from './config/error.js';
import type { CallbackConfig, Config } from './config/config.js';
import { AuditLogError, createAuditLog } from './support/audit.js';
import { logLine } from './support/log.js';
import { describeConfig } from './cli/print-config.js';
import { createServer } from './mcp/server.js';
import { type ClientSettings, SinchClient } from './sinch/client.js';
import { sandboxApp } from './sandbox/app.js';
import { sandboxPortFailure, startUp } from './cli/startup.js';
import { CallState } from './state/calls.js';
import { createSharedState } from './state/index.js';
import { type ReplayGuard, SharedReplayGuard } from './events/replay-guard.js';
import { shareEvents } from './events/share.js';
import { ResilientStdioTransport } from './transports/stdio.js';

async function main(): Promise<void> {
  const started = await startUp(process.argv.slice(2), process.env);
  if (!started) return;
  const { config, warnings } = started;
  if (started.printConfig) {
    // Not serving MCP in this mode: the report is for a person, so stdout is right.
    process.stdout.write(describeConfig(config, warnings));
    return;
  }
  for (const warning of warnings) logLine(warning);

  let audit: ReturnType<typeof createAuditLog>;
  try {
    audit = createAuditLog(config.auditLog);
  } catch (error) {
    if (!(error instanceof AuditLogError)) throw error;
    logLine(error.message);
    process.exit(2);
  }

  const sandbox = config.mode === 'sandbox';
  const stop = (error: Error): never => {
    logLine(error.message);
    return process.exit(2);
  };
  // Tokens, the callout budget, approvals, the replay cache, call state and events: in memory, or on Redis
  // so that several instances serve one team as one.
  const state = await createSharedState(config.redisUrl).catch(stop);
  const instance = config.redisUrl ? globalThis.crypto.randomUUID() : 'local';
  const calls = await CallState.open(config.stateFile).catch(stop);
  if (config.redisUrl) await calls.share(state, instance);
  // In sandbox mode the receiver accepts only this run's random sandbox secret.
  // In HTTP mode it is served on the same port as /mcp instead of its own.
  const replays = config.redisUrl ? new SharedReplayGuard(state) : undefined;
  const receiver = config.callbacks ? await startCallbackReceiver(config.callbacks, config.credentials ?? sandboxApp(), calls, !config.http, replays) : undefined;
  if (config.redisUrl && receiver) await shareEvents(receiver.events, state, instance);

  let stopSandbox: (() => Promise<void>) | undefined;
  // The sandbox starts on the first tool call that needs it, so start-up stays as fast as live mode.
  const startEmbeddedSandbox = async (): Promise<ClientSettings> => {
    const { startSandbox } = await import('./sandbox/server.js');
    const running = await startSandbox({
      port: config.sandboxPort,
      // The sandbox delivers callbacks for the public URL straight to the local receiver.
      callbacks: { deliverTo: (url) => (receiver?.localUrl && url === config.callbacks?.publicUrl ? receiver.localUrl : url) },
    });
    stopSandbox = running.close;
    return { ...clientSettings(config, running.callingUrl, running.managementUrl, running.app), followLoopbackRedirects: true };
  };
  // A fixed sandbox port is bound now, so a port already in use stops the server at start.
  const eagerSandbox = sandbox && config.sandboxPort ? await startEmbeddedSandbox().catch((error) => sandboxPortFailure(config.sandboxPort, error)) : undefined;
  const client = new SinchClient(eagerSandbox ?? (sandbox ? startEmbeddedSandbox : clientSettings(config, config.callingUrl!, config.managementUrl!, config.credentials!)));
  const inflight = new Set<Promise<unknown>>();
  const shared = { config, client, sandbox, toolListing: readToolListing(), events: receiver?.events, calls, audit, inflight, state };
  let stopServing: () => Promise<unknown>;
  if (config.http) {
    const { serveHttp } = await import('./remote.js');
    const edge = await serveHttp({ ...shared, config: { ...config, http: config.http }, receiver: receiver && { path: config.callbacks!.publicPath, handle: receiver.handle } }).catch(
      (error: unknown) => {
        if (!(error instanceof ConfigError)) throw error;
        logLine(error.message);
        process.exit(2);
      },
    );
    if (receiver) receiver.localUrl = `${new URL(edge.url).origin}${config.callbacks!.publicPath}`;
    stopServing = () => edge.close();
    logLine(`HTTP mode: MCP Streamable HTTP at ${edge.url} (${config.http.auth.kind === 'oauth' ? `OAuth tokens from ${config.http.auth.issuer}` : 'static bearer tokens'}).`);
  } else {
    const server = createServer(shared);
    server.server.onerror = (error) => logLine(`protocol: ${error.message}`);
    await server.connect(new ResilientStdioTransport());
    stopServing = () => server.close();
  }

  logLine(
    sandbox
      ? 'sandbox mode: no SINCH_APPLICATION_KEY/SECRET set, so an embedded simulator on 127.0.0.1 answers; nothing real is dialled.'
      : `live mode: ${config.callingUrl} (${config.auth} auth).`,
  );
  if (receiver) logLine(`callback receiver on ${receiver.localUrl}; register ${config.callbacks!.publicUrl} with update_callback_urls.`);
  if (process.stdin.isTTY && !config.http) logLine('waiting for an MCP client on stdin/stdout (see README for client set-up, or run `npm run demo`); Ctrl-C stops.');
  if (config.skipConfirmation) logLine('WARNING: SINCH_DANGEROUSLY_SKIP_CONFIRMATION is set: hang-ups, kicks, callouts and configuration changes run without confirmation.');

  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    // Exit within 2 s even if something hangs.
    setTimeout(() => process.exit(0), 1_500).unref();
    // Closing the client fails any request in flight at once; its tool call then writes its audit outcome
    // ("unknown": it may have reached Sinch) before the process exits.
    void client
      .close()
      .then(() => Promise.allSettled(inflight))
      .then(() => Promise.allSettled([stopServing(), stopSandbox?.(), receiver?.close()]))
      .then(() => state.close().catch(() => undefined))
      .finally(() => {
        audit.close();
        process.exit(0);
      });
  };
  // stdio: the client closing stdin ends the session. HTTP mode is a service: only a signal stops it.
  if (!config.http) {
    process.stdin.on('end', shutdown);
    process.stdin.on('close', shutdown);
  }
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

/** The receiver and its event buffer, loaded only when SINCH_CALLBACK_PORT is set; `listen`: on its own port. */
async function startCallbackReceiver(callbacks: CallbackConfig, app: { key: string; secret: string }, calls: CallState, listen: boolean, replays?: ReplayGuard) {
  const [{ EventBuffer }, { receiverHandler, startReceiver }] = await Promise.all([import('./events/buffer.js'), import('./events/receiver.js')]);
  const events = new EventBuffer(1_000, callbacks.eventsLog);
  const options = { publicPath: callbacks.publicPath, app, buffer: events, calls, iceAnswer: callbacks.iceAnswer, maxAgeMs: callbacks.maxAgeMs, replays };
  const own = listen ? await startReceiver({ ...options, host: callbacks.host, port: callbacks.port }) : undefined;
  return {
    events,
    handle: receiverHandler(options),
    /** Where callbacks reach it on this machine (set once HTTP mode knows its port). */
    localUrl: own?.localUrl,
    close: async () => own?.close(),
  };
}

/** The build's precomputed tools/list answer; absent (e.g. when running from source) the SDK computes it. */
function readToolListing(): Tool[] | undefined {
  try {
    return JSON.parse(readFileSync(new URL('./tool-listing.json', import.meta.url), 'utf8')) as Tool[];
  } catch {
    return undefined;
  }
}

function clientSettings(config: Config, callingUrl: string, managementUrl: string, credentials: { key: string; secret: string }): ClientSettings {
  return { callingUrl, managementUrl, credentials, auth: config.auth, timeoutMs: config.timeoutMs, maxConnections: config.maxConnections };
}

main().catch((error) => {
  logLine(`fatal: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
