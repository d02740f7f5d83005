// createServer(deps): the MCP server with every enabled tool registered. The stdio entry only connects it,
// so tests build the very same server in memory. One of the two modules that import the MCP SDK.
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  ListToolsRequestSchema,
  type ServerNotification,
  type ServerRequest,
  SubscribeRequestSchema,
  type Tool,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Config } from './config.js';
import type { EventBuffer } from './events/buffer.js';
import type { CallEvent } from './events/event.js';
import { CalloutPolicy } from './guard/policy.js';
import { ConfirmationTokens } from './guard/tokens.js';
import { type AuditEntry, createAuditLog } from './log.js';
import type { SinchClient } from './sinch/client.js';
import { CallState } from './state/calls.js';
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
  /** Call events from the callback receiver (when it is on): exposed as resources and to wait_for_call_event. */
  events?: EventBuffer;
  /** What the server knows about calls (labels, regions, conference joins); shared with the callback receiver. */
  calls?: CallState;
}

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export function createServer(deps: ServerDeps): McpServer {
  const { config } = deps;
  const now = deps.now ?? Date.now;
  const calls = deps.calls ?? CallState.inMemory();
  const server = new McpServer(
    { name: 'sinch-calling-mcp', title: 'Sinch Calling', version: VERSION },
    {
      instructions: instructionsFor(config, deps.sandbox),
      maxToolInputElements: 2_000,
      capabilities: deps.events ? { resources: { subscribe: true } } : {},
    },
  );
  const runtime: Runtime = {
    client: deps.client,
    events: deps.events,
    calls,
    planContext: { applicationKey: () => deps.client.applicationKey(), defaultCountry: config.defaultCountry, cli: config.cli, calls },
    tokens: new ConfirmationTokens(now),
    policy: new CalloutPolicy(config.allowedDestinations, config.maxCalloutsPerMinute, now),
    audit: deps.audit ?? createAuditLog(config.auditLog),
    skipConfirmation: config.skipConfirmation,
    sandbox: deps.sandbox,
  };

  // Form elicitation only (a client declaring URL mode alone gets the token flow), unless the token flow is forced.
  const canAsk = () => config.confirmationMode === 'auto' && server.server.getClientCapabilities()?.elicitation?.form !== undefined;
  const callContext = (extra: Extra): CallContext => ({
    signal: extra.signal,
    confirm: canAsk() ? (message) => askUser(server, message, extra, config.confirmTimeoutMs) : undefined,
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
  if (deps.events) registerEventResources(server, deps.events);
  registerPrompts(server);
  return server;
}

const RECENT_EVENTS = 'sinch://events/recent';

/** Call events as resources, with subscriptions: a subscriber hears notifications/resources/updated. */
function registerEventResources(server: McpServer, events: EventBuffer): void {
  const asJson = (uri: URL, list: CallEvent[]) => ({ contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(list) }] });
  server.registerResource(
    'recent-events',
    RECENT_EVENTS,
    { title: 'Recent call events', description: 'The last 100 call events Sinch sent (ICE, ACE, DiCE, PIE, notify), oldest first.', mimeType: 'application/json' },
    (uri) => asJson(uri, events.list({}, 100)),
  );
  server.registerResource(
    'call-events',
    new ResourceTemplate('sinch://calls/{callId}/events', { list: undefined }),
    { title: 'Events of one call', description: 'Call events received for one callId.', mimeType: 'application/json' },
    (uri, { callId }) => asJson(uri, events.list({ callId: String(callId) })),
  );
  server.registerResource(
    'conference-events',
    new ResourceTemplate('sinch://conferences/{conferenceId}/events', { list: undefined }),
    { title: 'Events of one conference', description: 'Call events of the calls in one conference.', mimeType: 'application/json' },
    (uri, { conferenceId }) => asJson(uri, events.list({ conferenceId: String(conferenceId) })),
  );

  const subscribed = new Set<string>();
  server.server.setRequestHandler(SubscribeRequestSchema, (request) => {
    subscribed.add(request.params.uri);
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
    subscribed.delete(request.params.uri);
    return {};
  });
  const stop = events.onEvent((event) => {
    const touched = [RECENT_EVENTS];
    if (event.callId) touched.push(`sinch://calls/${event.callId}/events`);
    if (event.conferenceId) touched.push(`sinch://conferences/${event.conferenceId}/events`);
    for (const uri of touched) if (subscribed.has(uri)) void server.server.sendResourceUpdated({ uri }).catch(() => undefined);
  });
  const previousOnClose = server.server.onclose;
  server.server.onclose = () => {
    stop();
    previousOnClose?.();
  };
}

function registerPrompts(server: McpServer): void {
  server.registerPrompt(
    'moderate_conference',
    { title: 'Moderate a conference', description: 'Check who is in a conference, mute or unmute people, and remove someone only after the user confirms.', argsSchema: { conferenceId: z.string().describe('The conference room id') } },
    ({ conferenceId }) =>
      userPrompt(
        `Help me moderate the phone conference "${conferenceId}". First call get_conference and show me who is on the line ` +
          '(label or number, how long, muted, on hold) as a short table, and refer to people by their label when they have one. ' +
          'Then ask what I want: mute or unmute people (mute_participants / unmute_participants take callIds or labels, or ' +
          'all: true with an except list, in one call; report every participant the result says failed), put someone on hold ' +
          'or bring them back (hold_participant / resume_participant); these act at once. Or remove someone (kick_participant, ' +
          'by callId or label) or everyone (kick_all_participants). Removing ' +
          'ends their call and cannot be undone: state exactly who will be removed and wait for my explicit yes before calling ' +
          'the tool; if it answers confirmation_required, show me its preview and only pass the confirmationToken after I agree. ' +
          'After each change, list the participants again.',
      ),
  );
  server.registerPrompt(
    'lookup_numbers',
    { title: 'Look up phone numbers', description: 'Find every phone number in a text and look each one up: country, type and rate.', argsSchema: { text: z.string().describe('Free text containing phone numbers in any format') } },
    ({ text }) =>
      userPrompt(
        'Find every phone number in the text below, in whatever format it is written. For each, call lookup_number (pass ' +
          'defaultCountry when a number has no country code and the country is clear from context; otherwise ask me). Then ' +
          'answer with one table: the number as written, E.164, country, mobile or fixed, and the rate per minute. Mention ' +
          `any number that could not be read and why.\n\nText:\n${text}`,
      ),
  );
}

function userPrompt(text: string) {
  return { messages: [{ role: 'user' as const, content: { type: 'text' as const, text } }] };
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
