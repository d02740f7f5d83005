#!/usr/bin/env node
// The bin: start-up (arguments and configuration), compose, serve, signals. stdout carries only JSON-RPC.
import { readFileSync } from 'node:fs';
import { startUp } from './cli/startup.js';
import { describeConfig } from './cli/print-config.js';
import { StartError, compose } from './compose.js';
import { ConfigError } from './config/error.js';
import type { ToolListing } from './mcp/services.js';
import { viewsFrom } from './mcp/views.js';
import { serve } from './serve.js';
import { AuditLogError } from './support/audit.js';
import { logLine } from './support/log.js';

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

  const services = await compose(config, { toolListing: readToolListing(), views: viewsFrom(new URL('./views/', import.meta.url)) }).catch(stopOnStartError);
  const serving = await serve(services);

  if (serving.url) logLine(`HTTP mode: MCP Streamable HTTP at ${serving.url} (${config.http!.auth.kind === 'oauth' ? `OAuth tokens from ${config.http!.auth.issuer}` : 'static bearer tokens'}).`);
  logLine(
    services.sandbox
      ? 'sandbox mode: no SINCH_APPLICATION_KEY/SECRET set, so an embedded simulator on 127.0.0.1 answers; nothing real is dialled.'
      : `live mode: ${config.callingUrl} (${config.auth} auth).`,
  );
  if (services.receiver) logLine(`callback receiver on ${services.receiver.localUrl}; register ${config.callbacks!.publicUrl} with update_callback_urls.`);
  if (process.stdin.isTTY && !config.http) logLine('waiting for an MCP client on stdin/stdout (see README for client set-up, or run `npm run demo`); Ctrl-C stops.');
  if (config.skipConfirmation) logLine('WARNING: SINCH_DANGEROUSLY_SKIP_CONFIRMATION is set: hang-ups, kicks, callouts and configuration changes run without confirmation.');

  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    // Exit within 2 s even if something hangs.
    setTimeout(() => process.exit(0), 1_500).unref();
    // Calls in flight fail at once and write their audit outcome ("unknown": it may have reached Sinch) first.
    void services
      .drain()
      .then(() => serving.close())
      .catch(() => undefined)
      .then(() => services.close())
      .finally(() => process.exit(0));
  };
  // stdio: the client closing stdin ends the session. HTTP mode is a service: only a signal stops it.
  if (!config.http) {
    process.stdin.on('end', shutdown);
    process.stdin.on('close', shutdown);
  }
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  // logrotate's convention: after it renames the logs, SIGHUP makes the server write to new files (not stop).
  process.on('SIGHUP', () => services.reopenLogs());
}

/** A configuration the server cannot start with: one line naming the fix, exit 2. Anything else is unexpected. */
function stopOnStartError(error: unknown): never {
  if (!(error instanceof ConfigError || error instanceof StartError || error instanceof AuditLogError)) throw error;
  logLine(error.message);
  process.exit(2);
}

/** The build's precomputed tools/list answer; absent (e.g. when running from source) the SDK computes it. */
function readToolListing(): ToolListing | undefined {
  try {
    return JSON.parse(readFileSync(new URL('./tool-listing.json', import.meta.url), 'utf8')) as ToolListing;
  } catch {
    return undefined;
  }
}

main().catch((error) => {
  logLine(`fatal: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
