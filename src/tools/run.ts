// One tool call: plan (validate and build the request), policy (the outbound rules), confirm (a person's yes,
// when the call needs one), send (through the shared client), audit (an intent line before a write, an
// outcome line after it), and the answer. No MCP SDK here.
import type { AskChannel } from '../confirm/channel.js';
import type { CallConfirmation, Confirmed, PendingCall } from '../confirm/confirmation.js';
import type { EventBuffer } from '../events/buffer.js';
import type { ConfirmedBy } from '../kinds/confirmation.js';
import { type CalloutPolicy, PolicyError } from '../policy/outbound.js';
import type { GuardedWrite, RecentWrites } from '../policy/repeats.js';
import type { SinchClient, SinchRequest } from '../sinch/client.js';
import { CredentialsError, InputError, SinchApiError, mayHaveHappened } from '../sinch/errors.js';
import type { CallState } from '../state/calls.js';
import { type Audit, type AuditEntry, AuditWriteError } from '../support/audit.js';
import { redact } from '../support/redact.js';
import { type Plan, type PlanContext, type ToolDefinition, type ViewContext, type WaitContext, callNeedsConfirmation } from './define.js';
import { type ToolResult, failure, success } from './envelope.js';

/** What the MCP edge offers for one call: cancellation, the caller, and the ways it can ask a person. */
export type CallContext = AskChannel;

/** What every call of one MCP session runs on. */
export interface Runtime {
  client: SinchClient;
  /** Call events, and how this session waits for them. */
  events?: EventBuffer;
  waiting?: WaitContext;
  /** What the server knows about calls (labels, regions, conference joins). */
  calls: CallState;
  planContext: PlanContext;
  policy: CalloutPolicy;
  /** Recent guarded writes, so one that may have happened is not repeated silently. */
  repeats: RecentWrites;
  /** This session's confirmation route (or, for a view's click, the click itself). */
  confirm: CallConfirmation;
  audit: Audit;
  sandbox: boolean;
}

export async function runTool(tool: ToolDefinition, rawArgs: Record<string, unknown>, call: CallContext, rt: Runtime, view?: ViewContext): Promise<ToolResult> {
  const { confirmationToken, ...args } = rawArgs as Record<string, unknown> & { confirmationToken?: string };
  try {
    const stray = rt.confirm.strayToken(confirmationToken);
    if (stray) return failure(stray, rt.sandbox);
    if (tool.local) {
      const { result, summary } = await tool.local(args, { events: rt.events, waiting: rt.waiting, signal: call.signal, view });
      return success(tool, rt.sandbox, summary, { status: 'done', result });
    }
    // Lookups the call state could not make (shared state unreachable) while this call planned and sent.
    const missed = rt.calls.sharedMisses;
    const plan = await tool.plan!(args, rt.planContext);
    if (plan.callout) await rt.policy.check(plan.callout);
    const pending = pendingCall(tool, args, plan, confirmationToken, rt.sandbox);
    if (pending.guarded) pending.repeated = await rt.repeats.previous(guardedWrite(tool, plan, call));
    const confirmed = await rt.confirm.confirmCall(pending, call);
    if (!confirmed.go) {
      // The approval card decides after this call has returned: it sends this same plan then, as a person approved.
      if ('handOver' in confirmed) confirmed.handOver?.(() => sendChecked(tool, args, plan, { by: 'app' }, { ...call, signal: undefined }, rt));
      return notSent(tool, confirmed, rt.sandbox);
    }
    return await sendChecked(tool, args, plan, confirmed, call, rt, missed);
  } catch (error) {
    return failure(messageFor(error), rt.sandbox);
  }
}

function guardedWrite(tool: ToolDefinition, plan: Plan<unknown>, call: CallContext): GuardedWrite {
  return { tool: tool.name, request: plan.request, destination: plan.callout?.endpoint, caller: call.caller };
}

function pendingCall(tool: ToolDefinition, args: Record<string, unknown>, plan: Plan<unknown>, token: string | undefined, sandbox: boolean): PendingCall {
  return { tool, guarded: callNeedsConfirmation(tool, args), request: plan.request, written: plan.written, facts: plan.facts, summary: plan.preview, sandbox, token, arguments: args };
}

/** The policy at the moment of sending (the person may have taken a while; it counts the callout), then the send. */
async function sendChecked(
  tool: ToolDefinition,
  args: Record<string, unknown>,
  plan: Plan<unknown>,
  confirmed: { by: ConfirmedBy; approvedBy?: string },
  call: CallContext,
  rt: Runtime,
  missed?: number,
): Promise<ToolResult> {
  try {
    if (plan.callout) await rt.policy.take(plan.callout);
    return await send(tool, args, plan, confirmed, call, rt, missed);
  } catch (error) {
    return failure(messageFor(error), rt.sandbox);
  }
}

/** Nothing was sent: the error, or the answer that says a person declined or must still approve. */
function notSent(tool: ToolDefinition, confirmed: Exclude<Confirmed, { go: true }>, sandbox: boolean): ToolResult {
  if ('error' in confirmed) return failure(confirmed.error, sandbox);
  const { status, headline, preview } = confirmed;
  if (status !== 'confirmation_required') return success(tool, sandbox, headline, { status, preview });
  const reference = confirmed.reference === undefined ? {} : { confirmationToken: confirmed.reference };
  return success(tool, sandbox, headline, { status, preview, ...reference, expiresAt: confirmed.expiresAt.toISOString() });
}

/** Sends the request; a write is audited before (intent) and after (outcome), whatever happens in between. */
async function send(
  tool: ToolDefinition,
  args: Record<string, unknown>,
  plan: Plan<unknown>,
  confirmed: { by: ConfirmedBy; approvedBy?: string },
  call: CallContext,
  rt: Runtime,
  missed?: number,
): Promise<ToolResult> {
  const audited = tool.kind !== 'read';
  const writeId = globalThis.crypto.randomUUID();
  const line = (fields: Partial<AuditEntry>): AuditEntry => ({
    phase: 'outcome',
    tool: tool.name,
    arguments: redact(args),
    sandbox: rt.sandbox,
    request: { method: plan.request.method, path: plan.request.path },
    ...(plan.callout ? { destination: plan.callout.endpoint } : {}),
    confirmedBy: confirmed.by,
    writeId,
    ...(call.caller ? { caller: call.caller } : {}),
    ...(confirmed.approvedBy ? { approvedBy: confirmed.approvedBy } : {}),
    ...(confirmed.approvedBy !== undefined && confirmed.approvedBy === call.caller ? { selfApproved: true as const } : {}),
    ...fields,
  });
  if (audited) rt.audit(line({ phase: 'intent' }));
  // Recorded before it is sent, so a repeat (here, on another instance, after a crash) is recognised.
  const finish = callNeedsConfirmation(tool, args) ? await rt.repeats.begin(guardedWrite(tool, plan, call)) : undefined;
  let outcome: AuditEntry['outcome'] = 'unknown';
  // A tool that sends several requests (bulk mute) lists each one in its outcome line.
  const sent: string[] = [];
  let ids: Record<string, unknown> | undefined;
  let error: string | undefined;
  try {
    const sendOne = (request: SinchRequest) => {
      sent.push(`${request.method} ${request.path}`);
      return rt.client.send(request, call.signal);
    };
    const response = plan.run ? await plan.run(sendOne) : await sendOne(plan.request);
    outcome = 'ok'; // Sinch accepted it, even if the answer below cannot be read
    const { result, summary } = readAccepted(plan, response);
    ids = result as Record<string, unknown>;
    const warning = (await rememberAfterSend(plan, result, rt.calls)) ?? lookupNote(rt.calls, missed);
    return success(tool, rt.sandbox, warning ? `${summary}\nWarning: ${warning}` : summary, { status: 'done', result, ...(warning ? { warning } : {}) });
  } catch (thrown) {
    if (outcome !== 'ok') outcome = thrown instanceof SinchApiError && mayHaveHappened(thrown.details) ? 'unknown' : 'error';
    error = (thrown as Error).message;
    throw thrown;
  } finally {
    if (audited) rt.audit(line({ outcome, ids, error, ...(plan.run ? { sent } : {}) }));
    await finish?.(outcome, typeof ids?.callId === 'string' ? ids.callId : undefined).catch(() => undefined);
  }
}

/** Sinch's answer to an accepted request, read; if it cannot be, the failure says the action happened. */
function readAccepted<R>(plan: Plan<R>, response: unknown): { result: R; summary: string } {
  try {
    return plan.read(response);
  } catch (error) {
    const { method, path } = plan.request;
    throw new AcceptedError(
      `Sinch accepted ${method} ${path}: it was carried out, but its answer could not be read (${(error as Error).message}). Do not repeat it: read the state (get_call_result, get_conference) first.`,
    );
  }
}

/**
 * What the call state keeps after a send (labels, rooms, regions). Sinch has already done the work, so a failure
 * here (shared state unreachable) is a warning on the done answer, never an error that invites a second call.
 */
async function rememberAfterSend<R>(plan: Plan<R>, result: R, calls: CallState): Promise<string | undefined> {
  const remembered = plan.remember?.(result);
  if (!remembered) return undefined;
  try {
    await calls.remember(remembered.callId, remembered);
    return undefined;
  } catch (error) {
    return `the call went ahead (callId ${remembered.callId}), but this server could not record it (${(error as Error).message}), so its label and room may be unknown here: use its callId.`;
  }
}

/** A read went ahead without what only the shared state knew (labels, regions kept by other instances): said. */
function lookupNote(calls: CallState, missed: number | undefined): string | undefined {
  if (missed === undefined || calls.sharedMisses === missed) return undefined;
  return 'the shared state (Redis) was unreachable, so labels and regions known only to other instances were not used: the call was looked up on the configured region without its label.';
}

/** Sinch accepted the request; what failed came after. */
class AcceptedError extends Error {}

function messageFor(error: unknown): string {
  if (error instanceof InputError) return `Invalid input, nothing was sent to Sinch. ${error.message}`;
  if (error instanceof PolicyError || error instanceof SinchApiError || error instanceof CredentialsError || error instanceof AcceptedError || error instanceof AuditWriteError) {
    return error.message;
  }
  // Unexpected: say what happened without a stack trace.
  return `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
}
