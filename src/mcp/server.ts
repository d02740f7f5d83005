// createServer(services): one MCP session's server, with every tool this configuration (and, in HTTP mode, this
// caller) may use. stdio connects one; the HTTP edge one per session; tests and the build scripts connect one
// in memory. With the transports, the only modules that import the MCP SDK.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Config } from '../config/config.js';
import { confirmationInstruction } from '../confirm/texts.js';
import { VERSION } from '../support/version.js';
import { annotationsFor } from '../tools/define.js';
import { failure, inputSchemaFor, outputSchemaFor } from '../tools/envelope.js';
import { enabledTools } from '../tools/index.js';
import { type Runtime, runTool } from '../tools/run.js';
import { type Extra, askChannel, clientAbilities } from './ask.js';
import { FormSchemaValidator } from './form-schema-validator.js';
import { servedListing } from './listing.js';
import { registerPrompts } from './prompts.js';
import { registerEventResources } from './resources.js';
import type { SessionAccess, SessionServices } from './services.js';

/** What a session's server is connected over: stdio, Streamable HTTP, or in memory (tests, build scripts). */
export type SessionTransport = Parameters<McpServer['connect']>[0];

export function createServer(services: SessionServices, access?: SessionAccess): McpServer {
  const { config, confirmation } = services;
  const server = new McpServer(
    { name: 'sinch-calling-mcp', title: 'Sinch Calling', version: VERSION },
    {
      instructions: instructionsFor(config, services.sandbox, confirmation.modelCarriesTokens),
      maxToolInputElements: 2_000,
      jsonSchemaValidator: new FormSchemaValidator(),
      capabilities: services.events ? { resources: { subscribe: true } } : {},
    },
  );
  // Made at the session's first call, when the client's capabilities are known: they fix its confirmation route.
  let runtime: Runtime | undefined;
  const runtimeOf = (): Runtime =>
    (runtime ??= {
      client: services.client,
      events: services.events,
      calls: services.calls,
      planContext: { applicationKey: () => services.client.applicationKey(), defaultCountry: config.defaultCountry, cli: config.cli, calls: services.calls },
      policy: services.policy,
      confirm: confirmation.forSession(clientAbilities(server)),
      audit: services.audit,
      sandbox: services.sandbox,
    });

  const tools = enabledTools(config).filter((tool) => !access || access.allows(tool, access.scopes));
  const tokens = confirmation.modelCarriesTokens;
  for (const tool of tools) {
    const registered = server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: inputSchemaFor(tool, tokens),
        outputSchema: outputSchemaFor(tool, tokens),
        annotations: annotationsFor(tool.kind),
      },
      async (args: Record<string, unknown>, extra: Extra) => {
        if (access && !access.allows(tool, extra.authInfo?.scopes ?? [])) {
          return failure(`Forbidden: your token's scopes (${(extra.authInfo?.scopes ?? []).join(', ') || 'none'}) do not allow ${tool.name}. Nothing was done.`, services.sandbox);
        }
        return track(services.inflight, runTool(tool, args, askChannel(server, extra, config.confirmTimeoutMs), runtimeOf()));
      },
    );
    // The SDK lists `execution: {taskSupport: "forbidden"}` on every tool; that is the spec's default when
    // absent, so it is left out of each listing.
    registered.execution = undefined;
  }
  const enabled = new Set(tools.map((tool) => tool.name));
  if (services.toolListing) {
    const listed = servedListing(services.toolListing, enabled, tokens);
    server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listed }));
  }
  if (services.events) registerEventResources(server, services.events);
  registerPrompts(server, enabled, tokens);
  return server;
}

function track<T>(inflight: Set<Promise<unknown>>, run: Promise<T>): Promise<T> {
  inflight.add(run);
  void run.finally(() => inflight.delete(run));
  return run;
}

export function instructionsFor(config: Config, sandbox: boolean, modelCarriesTokens: boolean): string {
  const parts = [
    'Sinch Calling API v1: numbers and callback URLs, number lookup, live call control, conference moderation (list, mute, kick) and text-to-speech or conference callouts.',
    sandbox
      ? 'SANDBOX MODE: no Sinch credentials are set, so a local simulator answers; nothing real is dialled and every result is simulated.'
      : 'LIVE MODE: callouts ring real phones and are billed.',
    confirmationInstruction({ mode: config.confirmationMode, skip: config.skipConfirmation }, modelCarriesTokens),
  ];
  if (config.readOnly) parts.push('Read-only mode: only read tools are available.');
  return parts.join(' ');
}
