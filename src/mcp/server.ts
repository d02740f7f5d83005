// createServer(services): one MCP session's server, with every tool this configuration (and, in HTTP mode, this
// caller) may use. stdio connects one; the HTTP edge one per session; tests and the build scripts connect one
// in memory. With the transports, the only modules that import the MCP SDK.
import { McpServer, type RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Config } from '../config/config.js';
import { type CallConfirmation, DECIDED_IN_VIEW, type SessionConfirmation } from '../confirm/confirmation.js';
import type { ClientAbilities } from '../confirm/route.js';
import { confirmationInstruction } from '../confirm/texts.js';
import { VERSION } from '../support/version.js';
import { APP_TOOLS } from '../tools/app.js';
import { type ToolDefinition, type ViewContext, annotationsFor, isGuarded } from '../tools/define.js';
import { type ListingForm, type ToolResult, failure, inputSchemaFor, outputSchemaFor } from '../tools/envelope.js';
import { ALL_TOOLS, enabledTools } from '../tools/index.js';
import { type CallContext, type Runtime, runTool } from '../tools/run.js';
import { type Extra, askChannel, clientAbilities } from './ask.js';
import { FormSchemaValidator } from './form-schema-validator.js';
import { servedListing } from './listing.js';
import { onClose } from './on-close.js';
import { registerPrompts } from './prompts.js';
import { UNRESOLVED_WRITES, registerEventResources, registerUnresolvedWrites } from './resources.js';
import type { SessionAccess, SessionServices } from './services.js';
import { registerViews, viewFor, viewUri } from './views.js';

/** What a session's server is connected over: stdio, Streamable HTTP, or in memory (tests, build scripts). */
export type SessionTransport = Parameters<McpServer['connect']>[0];

export function createServer(services: SessionServices, access?: SessionAccess): McpServer {
  const { config, confirmation } = services;
  const server = new McpServer(
    { name: 'sinch-calling-mcp', title: 'Sinch Calling', version: VERSION },
    {
      instructions: instructionsFor(config, services.sandbox, confirmation.modelCarriesTokens, services.unresolved.length),
      maxToolInputElements: 2_000,
      jsonSchemaValidator: new FormSchemaValidator(),
      capabilities: services.waiting.mode === 'receiver' ? { resources: { subscribe: true } } : {},
    },
  );
  const tokens = confirmation.modelCarriesTokens;
  const allowed = (tool: ToolDefinition) => !access || access.allows(tool, access.scopes);
  const tools = enabledTools(config).filter(allowed);
  const enabled = new Map(tools.map((tool) => [tool.name, tool]));
  const appTools = services.views ? APP_TOOLS.filter((tool) => servesAny(tool, tools)).filter(allowed) : [];
  // The build's listing holds the catalogue's own definitions; a session with another one (lookup_number with
  // Number Lookup) gets the SDK's listing instead.
  const ownListing = services.toolListing !== undefined && tools.every((tool) => ALL_TOOLS.includes(tool));
  // Where this server lists the tools itself, the SDK is given no outputSchema: it would only check each result
  // against the listed (looser) schema, after success() has parsed it with the exact envelope (tools/envelope.ts).
  const sdkOutputSchema = (tool: ToolDefinition, form: ListingForm) => (ownListing ? undefined : outputSchemaFor(tool, form));

  // What the client declared in initialize: it fixes the confirmation route. Views count only once the session
  // is initialized (its app-only tools and view schemas switched on), so listing, tools and route always agree.
  let viewsOn = false;
  const abilitiesOf = (): ClientAbilities => ({ ...clientAbilities(server), views: viewsOn });
  let session: SessionConfirmation | undefined;
  const sessionOf = () => (session ??= confirmation.forSession(abilitiesOf()));
  let runtime: Runtime | undefined;
  const runtimeOf = (): Runtime =>
    (runtime ??= {
      client: services.client,
      events: services.events,
      // This session's cursor: every event it was given, so the next wait returns only what it has not seen.
      waiting: { ...services.waiting, calls: services.calls, returned: new Set<number>() },
      calls: services.calls,
      planContext: {
        applicationKey: () => services.client.applicationKey(),
        defaultCountry: config.defaultCountry,
        cli: config.cli,
        calls: services.calls,
        eventsByDefault: services.waiting.mode === 'receiver',
        read: (request) => (request.method === 'GET' ? services.client.send(request) : Promise.reject(new Error(`a plan may only read; ${request.method} refused`))),
        lookupPlus: services.lookupPlus,
      },
      policy: services.policy,
      repeats: services.repeats,
      confirm: sessionOf(),
      audit: services.audit,
      sandbox: services.sandbox,
    });
  onClose(server, () => session?.close());

  /** Runs one of this session's tools for a call (or for a view, which may count as a person's decision). */
  const run = (tool: ToolDefinition, args: Record<string, unknown>, call: CallContext, confirm?: CallConfirmation) => {
    const rt = runtimeOf();
    return track(services.inflight, runTool(tool, args, call, confirm ? { ...rt, confirm } : rt, viewContext(call)));
  };
  const viewContext = (call: CallContext): ViewContext | undefined =>
    abilitiesOf().views
      ? {
          caller: call.caller,
          cards: sessionOf().cards,
          shownPage: () => sessionOf().shownPage(),
          arguments: (name, args) => {
            const parsed = enabled.get(name)?.input.safeParse(args);
            return parsed?.success ? (parsed.data as Record<string, unknown>) : undefined;
          },
          run: async (name, args, decidedInView) => {
            const tool = enabled.get(name);
            if (!tool) return { isError: true, text: `${name} is not available in this session. Nothing was done.` };
            const parsed = tool.input.safeParse(args);
            if (!parsed.success) return { isError: true, text: `Invalid input for ${name}: ${parsed.error.issues[0]?.message ?? 'unreadable'}. Nothing was done.` };
            // The click decides only where a person in this chat decides anyway (card or dialog); elsewhere (remote
            // mode's signed-in approvers, the approval page, token mode) the session's own route applies.
            const clickDecides = decidedInView && (sessionOf().route === 'app' || sessionOf().route === 'form');
            return asViewAnswer(await run(tool, parsed.data as Record<string, unknown>, call, clickDecides ? DECIDED_IN_VIEW : undefined));
          },
        }
      : undefined;

  const register = (tool: ToolDefinition, meta?: Record<string, unknown>): RegisteredTool => {
    const registered = server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: inputSchemaFor(tool, tokens),
        outputSchema: sdkOutputSchema(tool, { tokens, views: false }),
        annotations: annotationsFor(tool.kind),
        ...(meta ? { _meta: meta } : {}),
      },
      async (args: Record<string, unknown>, extra: Extra) => {
        if (access && !access.allows(tool, extra.authInfo?.scopes ?? [])) {
          return failure(`Forbidden: your token's scopes (${(extra.authInfo?.scopes ?? []).join(', ') || 'none'}) do not allow ${tool.name}. Nothing was done.`, services.sandbox);
        }
        return run(tool, args, askChannel(server, extra, config.confirmTimeoutMs));
      },
    );
    // The SDK lists `execution: {taskSupport: "forbidden"}` on every tool; that is the spec's default when
    // absent, so it is left out of each listing.
    registered.execution = undefined;
    return registered;
  };
  const registered = tools.map((tool) => [tool, register(tool)] as const);
  // App-only tools and the views exist in every session, disabled until its client says it shows views.
  const appRegistered = appTools.map((tool) => register(tool, { ui: { visibility: ['app'] } }));
  for (const tool of appRegistered) tool.enabled = false;
  const views = services.views ? registerViews(server, services.views) : [];

  server.server.oninitialized = () => {
    if (!services.views || !clientAbilities(server).views) return;
    viewsOn = true;
    for (const [tool, handle] of registered) {
      const view = viewFor(tool, isGuarded(tool));
      if (view) handle._meta = { ui: { resourceUri: viewUri(view) } };
      // A guarded tool here may answer confirmation_required: the card decides after the call returned.
      if (!tokens && isGuarded(tool)) handle.outputSchema = sdkOutputSchema(tool, { tokens, views: true });
    }
    for (const handle of [...appRegistered, ...views]) handle.enabled = true;
  };

  if (ownListing) {
    const listing = services.toolListing!;
    const names = new Set([...tools, ...appTools].map((tool) => tool.name));
    server.server.setRequestHandler(ListToolsRequestSchema, () => {
      const form: ListingForm = { tokens, views: abilitiesOf().views };
      return { tools: servedListing(listing, names, form) };
    });
  }
  if (services.waiting.mode === 'receiver') registerEventResources(server, services.events);
  if (services.unresolved.length) registerUnresolvedWrites(server, services.unresolved);
  registerPrompts(server, new Set(enabled.keys()), tokens);
  return server;
}

/** An app-only tool is offered when a tool it serves is: any guarded one, or one of those it names. */
function servesAny(tool: ToolDefinition, tools: ToolDefinition[]): boolean {
  const serves = tool.app!.serves;
  return tools.some((other) => (serves === 'guarded' ? isGuarded(other) : serves.includes(other.name)));
}

function asViewAnswer(result: ToolResult) {
  return { isError: result.isError, text: result.content[0]?.text ?? '', structured: result.structuredContent };
}

function track<T>(inflight: Set<Promise<unknown>>, run: Promise<T>): Promise<T> {
  inflight.add(run);
  void run.finally(() => inflight.delete(run));
  return run;
}

export function instructionsFor(config: Config, sandbox: boolean, modelCarriesTokens: boolean, unresolved = 0): string {
  const parts = [
    'Sinch Calling API v1: numbers and callback URLs, number lookup, live call control, conference moderation (list, mute, kick) and text-to-speech or conference callouts.',
    sandbox
      ? 'SANDBOX MODE: no Sinch credentials are set, so a local simulator answers; nothing real is dialled and every result is simulated.'
      : 'LIVE MODE: callouts ring real phones and are billed.',
    confirmationInstruction({ mode: config.confirmationMode, skip: config.skipConfirmation }, modelCarriesTokens),
    config.callbacks
      ? 'Call events: Sinch calls this server back (callouts ask for ACE and DiCE unless told not to); wait_for_call_event returns them.'
      : 'Call events: no callback URL is set, so wait_for_call_event watches Sinch (a call or room read every 2 s while you wait).',
  ];
  if (config.readOnly) parts.push('Read-only mode: only read tools are available.');
  if (unresolved) {
    parts.push(`${unresolved} write(s) from before this server restarted have no known outcome and may have reached Sinch: read ${UNRESOLVED_WRITES} and tell the user before repeating any of them.`);
  }
  return parts.join(' ');
}
