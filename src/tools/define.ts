// The shape of one tool: a declarative definition whose kind decides its MCP annotations and whether
// it is guarded, so neither can drift from what the tool does.
import type { z } from 'zod';
import type { ToolKind, Toolset } from '../kinds/tools.js';
import type { EventBuffer } from '../events/buffer.js';
import type { EventType } from '../events/event.js';
import type { SinchRequest } from '../sinch/client.js';
import type { CallRecord, CallState } from '../state/calls.js';
import type { CardApprovals } from '../confirm/cards.js';
import type { ShownPage } from '../confirm/confirmation.js';

export type { ToolKind } from '../kinds/tools.js';

export interface ToolAnnotations {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
}

// Listed on every tool, so they say what differs from the spec's defaults (readOnlyHint false,
// destructiveHint true, idempotentHint false, openWorldHint true) plus destructiveHint on every write,
// the hint clients act on. destructiveHint and idempotentHint mean nothing on a read tool.
const ANNOTATIONS: Record<ToolKind, ToolAnnotations> = {
  read: { readOnlyHint: true },
  reversible: { destructiveHint: false, idempotentHint: true },
  destructive: { destructiveHint: true, idempotentHint: true },
  costly: { destructiveHint: true },
};

export function annotationsFor(kind: ToolKind): ToolAnnotations {
  return { ...ANNOTATIONS[kind] };
}

/** What a tool needs besides its arguments, without knowing about MCP. */
export interface PlanContext {
  applicationKey(): Promise<string>;
  defaultCountry?: string;
  cli?: string;
  /** What the server knows about calls: labels, regional URLs, conference joins. */
  calls: CallState;
  /** The callback receiver is on: callouts ask Sinch for ACE and DiCE unless the call says otherwise. */
  eventsByDefault?: boolean;
  /**
   * Sends a read (GET only) while planning, for what must be checked against Sinch rather than assumed (is a
   * label's call still live?). Reads change nothing, so they need no confirmation and are not audited.
   */
  read(request: SinchRequest): Promise<unknown>;
  /** With Sinch project credentials and the lookup-plus toolset: Number Lookup v2's answer for an E.164 number. */
  lookupPlus?(e164: string): Promise<Record<string, unknown>>;
}

/** A validated, fully built action: what will be sent, how to say it, and how to read the answer. */
export interface Plan<Result> {
  request: SinchRequest;
  /** One sentence a person can confirm, e.g. "Hang up call abc…". */
  preview: string;
  /** Set for callouts: the outbound-call policy checks it. */
  callout?: { endpoint: string; type: 'number' | 'username' | 'sip' };
  /**
   * What the agent wrote for values the server rewrote (a vanity number's digits, an extension sent as dtmf),
   * keyed by the value's path in the request body: the preview notes it beside the value sent.
   */
  written?: Record<string, string>;
  /** Facts the server established (e.g. whose app a key is), shown after the preview's own; never agent text. */
  facts?: string[];
  /** Reads Sinch's answer into the tool's result and a one-line summary. */
  read(response: unknown): { result: Result; summary: string };
  /** Instead of sending `request` alone: several requests for one tool call (e.g. muting many participants). */
  run?(send: (request: SinchRequest) => Promise<unknown>): Promise<unknown>;
  /** What the call state should remember after success (e.g. a callout's label and conference). */
  remember?(result: Result): CallRecord | undefined;
}

/** What a tool that answers locally (without a Sinch request) may use. */
export interface LocalContext {
  events?: EventBuffer;
  signal?: AbortSignal;
  /** Sessions whose client shows views (MCP Apps): what the app-only tools work with. */
  view?: ViewContext;
  /** What waiting for call events needs (wait_for_call_event). */
  waiting?: WaitContext;
}

/** Waiting for call events, in this session: where events come from, and what it has been given already. */
export interface WaitContext {
  /** receiver: Sinch calls this server back; watching: there is no callback URL, so the server reads Sinch's state. */
  mode: 'receiver' | 'watching';
  calls: CallState;
  /** The seq of every event this session was already given (its cursor). */
  returned: Set<number>;
  /** Watching mode: reads this call or room while the wait lasts (no-op with a receiver). */
  watch(target: { callId: string } | { conferenceId: string }): () => void;
  /** Receiver mode: why these events cannot reach the receiver, when they cannot (answered at once, not waited for). */
  cannotArrive(callIds: string[], types: readonly EventType[]): Promise<string | undefined>;
  /** Whether Sinch knows a call this server does not (one read): a wait for a call nobody has would only time out. */
  knownToSinch(callId: string): Promise<boolean>;
}

/** What the app-only tools reach: this session's approval cards, and the session's own tools. */
export interface ViewContext {
  caller?: string;
  cards: Pick<CardApprovals, 'open' | 'decide'>;
  /** Remote mode: the newest approval page this session's calls wait on (the card offers its link). */
  shownPage(): ShownPage | undefined;
  /** A tool's arguments as the view has them (as the model sent them), parsed as the tool parses them; undefined if they do not parse. */
  arguments(tool: string, args: Record<string, unknown>): Record<string, unknown> | undefined;
  /**
   * Runs one of this session's tools through the same pipeline (plan, policy, audit): an unknown or disabled one
   * is refused. `decidedInView`: a guarded call counts as confirmed by the person's click in the view.
   */
  run(tool: string, args: Record<string, unknown>, decidedInView?: boolean): Promise<{ isError?: boolean; text: string; structured?: Record<string, unknown> }>;
}

export interface ToolDefinition<Input extends z.ZodObject = z.ZodObject, Result extends z.ZodType = z.ZodType> {
  name: string;
  title: string;
  description: string;
  toolset: Toolset;
  kind: ToolKind;
  input: Input;
  result: Result;
  /**
   * App-only (MCP Apps `visibility: ["app"]`): registered only in sessions whose client shows views, kept out of
   * the model's tool list by the host, and listed when one of the tools it serves is ('guarded': any guarded one).
   */
  app?: { serves: string[] | 'guarded' };
  /** Whether this call needs a person's confirmation; by default every destructive or costly call does. */
  needsConfirmation?(args: z.infer<Input>): boolean;
  /** Builds the Sinch request. Every tool has this, except the local ones below. */
  plan?(args: z.infer<Input>, ctx: PlanContext): Promise<Plan<z.infer<Result>>>;
  /** For read tools that answer from this server's own state (e.g. received call events). */
  local?(args: z.infer<Input>, ctx: LocalContext): Promise<{ result: z.infer<Result>; summary: string }>;
}

export function defineTool<Input extends z.ZodObject, Result extends z.ZodType>(
  definition: ToolDefinition<Input, Result>,
): ToolDefinition<Input, Result> {
  return definition;
}

/** True when the tool can ever ask for confirmation (its input then takes a confirmationToken). */
export function isGuarded(tool: Pick<ToolDefinition, 'kind' | 'needsConfirmation'>): boolean {
  return tool.needsConfirmation !== undefined || tool.kind === 'destructive' || tool.kind === 'costly';
}

export function callNeedsConfirmation(tool: ToolDefinition, args: Record<string, unknown>): boolean {
  if (tool.needsConfirmation) return tool.needsConfirmation(args);
  return isGuarded(tool);
}

/** Short form of an id for sentences: "4398599d…". */
export function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}
