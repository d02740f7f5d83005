// createServer(deps): the MCP server with every enabled tool registered. The stdio entry only connects it,
// so tests build the very same server in memory. One of the two modules that import the MCP SDK.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { ListToolsRequestSchema, type ServerNotification, type ServerRequest, type Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Config } from './config.js';
import { CalloutPolicy } from './guard/policy.js';
import { ConfirmationTokens } from './guard/tokens.js';
import { type AuditEntry, createAuditLog } from './log.js';
import type { SinchClient } from './sinch/client.js';
import { annotationsFor } from './tools/define.js';
import { inputSchemaFor, outputSchemaFor } from './tools/envelope.js';
import { enabledTools } from './tools/index.js';
import { type CallContext, type ConfirmOutcome, type Runtime, runTool } from './tools/run.js';
import { VERSION } from './version.js';

export interface ServerDeps {
  config: Config;
  client: SinchClient;
  /** True when the embedded sandbox answers instead of Sinch. */
  sandbox: boolean;
  now?: () => number;
  audit?: (entry: AuditEntry) => Promise<void>;
  /**
   * The full tools/list answer computed at build time from this same server (dist/tool-listing.json).
   * When given, tools/list serves it, filtered to the enabled tools, instead of converting every zod
   * schema to JSON Schema on start-up.
   */
  toolListing?: Tool[];
}

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export function createServer(deps: ServerDeps): McpServer {
  const { config } = deps;
  const now = deps.now ?? Date.now;
  const server = new McpServer(
    { name: 'sinch-calling-mcp', title: 'Sinch Calling', version: VERSION },
    { instructions: instructionsFor(config, deps.sandbox), maxToolInputElements: 2_000 },
  );
  const runtime: Runtime = {
    client: deps.client,
    planContext: { applicationKey: () => deps.client.applicationKey(), defaultCountry: config.defaultCountry, cli: config.cli },
    tokens: new ConfirmationTokens(now),
    policy: new CalloutPolicy(config.allowedDestinations, config.maxCalloutsPerMinute, now),
    audit: deps.audit ?? createAuditLog(config.auditLog),
    skipConfirmation: config.skipConfirmation,
    sandbox: deps.sandbox,
  };

  const callContext = (extra: Extra): CallContext => ({
    signal: extra.signal,
    confirm: server.server.getClientCapabilities()?.elicitation ? (message) => askUser(server, message, extra, config.confirmTimeoutMs) : undefined,
  });

  const tools = enabledTools(config);
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: inputSchemaFor(tool),
        outputSchema: outputSchemaFor(tool),
        annotations: { title: tool.title, ...annotationsFor(tool.kind) },
      },
      (args: Record<string, unknown>, extra: Extra) => runTool(tool, args, callContext(extra), runtime),
    );
  }
  if (deps.toolListing) {
    const enabled = new Set(tools.map((tool) => tool.name));
    const listed = deps.toolListing.filter((tool) => enabled.has(tool.name));
    server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listed }));
  }
  return server;
}

/** Asks the user through the client's form: one boolean; only accept with confirm=true goes ahead. */
async function askUser(server: McpServer, message: string, extra: Extra, timeoutMs: number): Promise<ConfirmOutcome> {
  const answer = await server.server.elicitInput(
    {
      mode: 'form',
      message,
      requestedSchema: {
        type: 'object',
        properties: { confirm: { type: 'boolean', title: 'Go ahead?', description: 'Tick to confirm this action.' } },
        required: ['confirm'],
      },
    },
    { timeout: timeoutMs, signal: extra.signal, relatedRequestId: extra.requestId },
  );
  if (answer.action === 'accept') return answer.content?.confirm === true ? 'accept' : 'decline';
  return answer.action;
}

export function instructionsFor(config: Config, sandbox: boolean): string {
  const parts = [
    'Sinch Calling API v1: numbers and callback URLs, number lookup, live call control, conference moderation (list, mute, kick) and text-to-speech or conference callouts.',
    sandbox
      ? 'SANDBOX MODE: no Sinch credentials are set, so a local simulator answers; nothing real is dialled and every result is simulated.'
      : 'LIVE MODE: callouts ring real phones and are billed.',
    config.skipConfirmation
      ? 'WARNING: confirmations are disabled (SINCH_DANGEROUSLY_SKIP_CONFIRMATION); hang-ups, kicks, callouts and configuration changes run immediately.'
      : 'Hang-ups, kicks, callouts and configuration changes need a person’s confirmation: the client asks the user, or the tool answers confirmation_required with a preview and a confirmationToken; show the preview to the user and call again with the token only if they agree.',
  ];
  if (config.readOnly) parts.push('Read-only mode: only read tools are available.');
  return parts.join(' ');
}
