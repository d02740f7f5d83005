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
import type { Config } from '../config/config.js';
import type { EventBuffer } from '../events/buffer.js';
import type { CallEvent } from '../events/event.js';
import { CalloutPolicy } from '../policy/outbound.js';
import { ConfirmationTokens } from '../confirm/tokens.js';
import { type ApprovalPages, type ConfirmOutcome, modelCarriesTokens } from '../confirm/ask.js';
import type { OpenUrl } from '../confirm/browser.js';
import { FormSchemaValidator } from './form-schema-validator.js';
import { localApprovalPages } from '../confirm/local-pages.js';
import { type Audit, createAuditLog } from '../support/audit.js';
import type { SinchClient } from '../sinch/client.js';
import { CallState } from '../state/calls.js';
import { MemoryState } from '../state/memory.js';
import type { SharedState } from '../state/shared.js';
import { type ToolDefinition, annotationsFor } from '../tools/define.js';
import { failure, inputSchemaFor, outputSchemaFor } from '../tools/envelope.js';
import { servedListing } from './listing.js';
import { enabledTools } from '../tools/index.js';
import { type CallContext, type Runtime, runTool } from '../tools/run.js';
import { VERSION } from '../support/version.js';

export interface ServerDeps {
  config: Config;
  client: SinchClient;
  /** True when the embedded sandbox answers instead of Sinch. */
  sandbox: boolean;
  now?: () => number;
  audit?: Audit;
  /** Shared state (memory, or Redis for several instances); default: a new in-memory state. */
  state?: SharedState;
  /** Where approval pages are served; default: a page server on 127.0.0.1, started when first needed. */
  approvalPages?: ApprovalPages;
  /** Opens an approval page in the person's browser; default: BROWSER or the platform's opener. */
  openUrl?: OpenUrl;
  /**
   * HTTP mode: the session's scopes decide which tools are registered, and the scopes of each request
   * (extra.authInfo) decide, on every call, whether it may run.
   */
  access?: { scopes: readonly string[]; allows(tool: ToolDefinition, scopes: readonly string[]): boolean };
  /** Tool calls in flight are added here, so a shutdown can let them write their audit outcome first. */
  inflight?: Set<Promise<unknown>>;
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
      jsonSchemaValidator: new FormSchemaValidator(),
      capabilities: deps.events ? { resources: { subscribe: true } } : {},
    },
  );
  // One shared state per process (or, on Redis, per team): tokens, the callout budget and approvals live there.
  const state = deps.state ?? new MemoryState();
  const localPages = deps.approvalPages ? undefined : localApprovalPages(config.approvalPort, state);
  const runtime: Runtime = {
    client: deps.client,
    events: deps.events,
    calls,
    planContext: { applicationKey: () => deps.client.applicationKey(), defaultCountry: config.defaultCountry, cli: config.cli, calls },
    tokens: new ConfirmationTokens(now, undefined, state),
    policy: new CalloutPolicy(config.allowedDestinations, config.maxCalloutsPerMinute, now, state),
    audit: deps.audit ?? createAuditLog(config.auditLog),
    skipConfirmation: config.skipConfirmation,
    sandbox: deps.sandbox,
    confirm: {
      mode: config.confirmationMode,
      remote: config.http !== undefined,
      timeoutMs: config.confirmTimeoutMs,
      pages: deps.approvalPages ?? localPages!,
      // Loaded when a page must be opened: child processes and temp files are not needed to start.
      openUrl: deps.openUrl ?? (async (url) => (await import('../confirm/browser.js')).browserOpener()(url)),
    },
  };
  const callContext = (extra: Extra): CallContext => askChannel(server, extra, config.confirmTimeoutMs);

  const tools = enabledTools(config).filter((tool) => !deps.access || deps.access.allows(tool, deps.access.scopes));
  const tokens = modelCarriesTokens(config);
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
        if (deps.access && !deps.access.allows(tool, extra.authInfo?.scopes ?? [])) {
          return failure(`Forbidden: your token's scopes (${(extra.authInfo?.scopes ?? []).join(', ') || 'none'}) do not allow ${tool.name}. Nothing was done.`, deps.sandbox);
        }
        return track(deps.inflight, runTool(tool, args, callContext(extra), runtime));
      },
    );
    // The SDK lists `execution: {taskSupport: "forbidden"}` on every tool; that is the spec's default when
    // absent, so it is left out of each listing.
    registered.execution = undefined;
  }
  if (deps.toolListing) {
    const listed = servedListing(deps.toolListing, new Set(tools.map((tool) => tool.name)), tokens);
    server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listed }));
  }
  if (deps.events) registerEventResources(server, deps.events);
  registerPrompts(server, new Set(tools.map((tool) => tool.name)), tokens);
  if (localPages) onClose(server, () => void localPages.close());
  return server;
}

function track<T>(inflight: Set<Promise<unknown>> | undefined, run: Promise<T>): Promise<T> {
  if (!inflight) return run;
  inflight.add(run);
  void run.finally(() => inflight.delete(run));
  return run;
}

function onClose(server: McpServer, run: () => void): void {
  const previous = server.server.onclose;
  server.server.onclose = () => {
    run();
    previous?.();
  };
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
  onClose(server, stop);
}

/** The prompts, each listed only when the tools it walks the agent through are registered. */
function registerPrompts(server: McpServer, enabled: Set<string>, tokens: boolean): void {
  const usable = (...names: string[]) => names.every((name) => enabled.has(name));
  if (usable('get_conference', 'mute_participants', 'kick_participant')) server.registerPrompt(
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
          (tokens
            ? 'the tool; if it answers confirmation_required, show me its preview and only pass the confirmationToken after I agree. '
            : 'the tool; the server then asks me to approve it once more, in a dialog or on an approval page. ') +
          'After each change, list the participants again.',
      ),
  );
  if (usable('lookup_number')) server.registerPrompt(
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

/**
 * The ways this client can reach a person for one tool call, from the capabilities it declared:
 * form elicitation, URL elicitation (MCP 2025-11-25), and progress notifications while waiting.
 */
function askChannel(server: McpServer, extra: Extra, timeoutMs: number): CallContext {
  const elicitation = server.server.getClientCapabilities()?.elicitation;
  const options = { timeout: timeoutMs, signal: extra.signal, relatedRequestId: extra.requestId };
  const progressToken = extra._meta?.progressToken;
  return {
    signal: extra.signal,
    caller: (extra.authInfo?.extra as { subject?: string } | undefined)?.subject,
    form: elicitation?.form
      ? async (message) => {
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
            options,
          );
          // Only accept with the box ticked goes ahead.
          if (answer.action === 'accept') return answer.content?.confirm === true ? 'accept' : 'decline';
          return answer.action as ConfirmOutcome;
        }
      : undefined,
    url: elicitation?.url
      ? async (message, url, elicitationId) => (await server.server.elicitInput({ mode: 'url', message, url, elicitationId }, options)).action as ConfirmOutcome
      : undefined,
    urlComplete: (elicitationId) => server.server.createElicitationCompletionNotifier(elicitationId, { relatedRequestId: extra.requestId })(),
    progress:
      progressToken === undefined
        ? undefined
        : (progress, message) => void extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress, message } }).catch(() => undefined),
  };
}

export function instructionsFor(config: Config, sandbox: boolean): string {
  const parts = [
    'Sinch Calling API v1: numbers and callback URLs, number lookup, live call control, conference moderation (list, mute, kick) and text-to-speech or conference callouts.',
    sandbox
      ? 'SANDBOX MODE: no Sinch credentials are set, so a local simulator answers; nothing real is dialled and every result is simulated.'
      : 'LIVE MODE: callouts ring real phones and are billed.',
    config.skipConfirmation
      ? 'WARNING: confirmations are disabled (SINCH_DANGEROUSLY_SKIP_CONFIRMATION); hang-ups, kicks, callouts, recordings and configuration changes run immediately.'
      : config.confirmationMode === 'token'
        ? 'Hang-ups, kicks, callouts, recordings and configuration changes answer confirmation_required with a preview and a confirmationToken: show the preview to the user and call again with the token only if they agree. (Token mode: this does not prove a person agreed.)'
        : modelCarriesTokens(config)
          ? 'Hang-ups, kicks, callouts, recordings and configuration changes need a person: the client shows a dialog or a link to the approval page; in a client that can do neither, the tool answers confirmation_required with a link that a person must open, sign in to and approve, and you call again with the confirmationToken only after they did. You cannot approve them yourself.'
          : 'Hang-ups, kicks, callouts, recordings and configuration changes wait for a person to approve them in a dialog or on an approval page in their browser; the call returns once they decide. You cannot approve them yourself.',
  ];
  if (config.readOnly) parts.push('Read-only mode: only read tools are available.');
  return parts.join(' ');
}
