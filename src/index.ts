#!/usr/bin/env node
// The bin: read configuration, build the server, connect stdio. stdout carries only JSON-RPC.
import { readFileSync } from 'node:fs';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { type CallbackConfig, type Config, ConfigError, loadConfig, parseArgs } from './config.js';
import { logLine } from './log.js';
import { describeConfig } from './print-config.js';
import { createServer } from './server.js';
import { type ClientSettings, SinchClient } from './sinch/client.js';
import { SANDBOX_APP } from './sandbox/app.js';
import { CallState } from './state/calls.js';
import { ResilientStdioTransport } from './stdio-transport.js';

async function main(): Promise<void> {
  let config: Config;
  let printConfig: boolean;
  try {
    const cli = parseArgs(process.argv.slice(2));
    printConfig = cli.printConfig;
    config = loadConfig({ ...process.env, ...cli.overrides });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    logLine(error.message);
    process.exit(2);
  }
  if (printConfig) {
    // Not serving MCP in this mode: the report is for a person, so stdout is right.
    process.stdout.write(describeConfig(config));
    return;
  }

  const sandbox = config.mode === 'sandbox';
  const app = config.credentials ?? SANDBOX_APP;
  const calls = await CallState.open(config.stateFile);
  const receiver = config.callbacks ? await startCallbackReceiver(config.callbacks, app, calls) : undefined;

  let stopSandbox: (() => Promise<void>) | undefined;
  // The sandbox starts on the first tool call that needs it, so start-up stays as fast as live mode.
  const startEmbeddedSandbox = async (): Promise<ClientSettings> => {
    const { startSandbox } = await import('./sandbox/server.js');
    const running = await startSandbox({
      port: config.sandboxPort,
      // The sandbox delivers callbacks for the public URL straight to the local receiver.
      callbacks: { deliverTo: (url) => (receiver && url === config.callbacks?.publicUrl ? receiver.receiver.localUrl : url) },
    });
    stopSandbox = running.close;
    return { ...clientSettings(config, running.callingUrl, running.managementUrl, running.app), followLoopbackRedirects: true };
  };
  const client = new SinchClient(sandbox ? startEmbeddedSandbox : clientSettings(config, config.callingUrl!, config.managementUrl!, config.credentials!));
  const server = createServer({ config, client, sandbox, toolListing: readToolListing(), events: receiver?.events, calls });
  server.server.onerror = (error) => logLine(`protocol: ${error.message}`);
  await server.connect(new ResilientStdioTransport());

  logLine(
    sandbox
      ? 'sandbox mode: no SINCH_APPLICATION_KEY/SECRET set, so an embedded simulator on 127.0.0.1 answers; nothing real is dialled.'
      : `live mode: ${config.callingUrl} (${config.auth} auth).`,
  );
  if (receiver) logLine(`callback receiver on ${receiver.receiver.localUrl}; register ${config.callbacks!.publicUrl} with update_callback_urls.`);
  if (process.stdin.isTTY) logLine('waiting for an MCP client on stdin/stdout (see README for client set-up, or run `npm run demo`); Ctrl-C stops.');
  if (config.skipConfirmation) logLine('WARNING: SINCH_DANGEROUSLY_SKIP_CONFIRMATION is set: hang-ups, kicks, callouts and configuration changes run without confirmation.');

  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    // Exit within 2 s even if something hangs.
    setTimeout(() => process.exit(0), 1_500).unref();
    void Promise.allSettled([server.close(), client.close(), stopSandbox?.(), receiver?.receiver.close()]).then(() => process.exit(0));
  };
  process.stdin.on('end', shutdown);
  process.stdin.on('close', shutdown);
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

/** The receiver and its event buffer, loaded only when SINCH_CALLBACK_PORT is set. */
async function startCallbackReceiver(callbacks: CallbackConfig, app: { key: string; secret: string }, calls: CallState) {
  const [{ EventBuffer }, { startReceiver }] = await Promise.all([import('./events/buffer.js'), import('./events/receiver.js')]);
  const events = new EventBuffer(1_000, callbacks.eventsLog);
  const receiver = await startReceiver({
    host: callbacks.host,
    port: callbacks.port,
    publicPath: callbacks.publicPath,
    app,
    buffer: events,
    calls,
    iceAnswer: callbacks.iceAnswer,
    maxAgeMs: callbacks.maxAgeMs,
  });
  return { events, receiver };
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
