// One tool call: validate and plan, apply the outbound policy, obtain confirmation when needed,
// send through the shared client, audit writes, and shape the answer. No MCP SDK here.
import type { EventBuffer } from '../events/buffer.js';
import type { AuditEntry } from '../log.js';
import { CalloutPolicy, PolicyError } from '../guard/policy.js';
import { ConfirmationTokens, TokenError } from '../guard/tokens.js';
import type { SinchClient } from '../sinch/client.js';
import type { CallState } from '../state/calls.js';
import { InputError, SinchApiError } from '../sinch/errors.js';
import { type Plan, type PlanContext, type ToolDefinition, callNeedsConfirmation, withoutSecrets } from './define.js';
import { type ToolResult, failure, success } from './envelope.js';

export type ConfirmOutcome = 'accept' | 'decline' | 'cancel';

export interface CallContext {
  signal?: AbortSignal;
  /** Present when the client can ask the user (elicitation). Rejects when asking failed or timed out. */
  confirm?: (message: string) => Promise<ConfirmOutcome>;
}

export interface Runtime {
  client: SinchClient;
  /** Call events from the callback receiver, when it is on. */
  events?: EventBuffer;
  /** What the server knows about calls (labels, regions, conference joins). */
  calls: CallState;
  planContext: PlanContext;
  tokens: ConfirmationTokens;
  policy: CalloutPolicy;
  audit: (entry: AuditEntry) => Promise<void>;
  skipConfirmation: boolean;
  sandbox: boolean;
}

export async function runTool(tool: ToolDefinition, rawArgs: Record<string, unknown>, call: CallContext, rt: Runtime): Promise<ToolResult> {
  const { confirmationToken, ...args } = rawArgs as Record<string, unknown> & { confirmationToken?: string };
  try {
    if (tool.local) {
      const { result, summary } = await tool.local(args, { events: rt.events, signal: call.signal });
      return success(tool, rt.sandbox, summary, { status: 'done', result });
    }
    const plan = await tool.plan!(args, rt.planContext);
    plan.preview += rt.sandbox ? ' (Sandbox: simulated; nothing real is dialled or billed.)' : tool.kind === 'costly' ? ' This rings a real phone and is billed.' : '';
    if (plan.callout) rt.policy.check(plan.callout);

    const stop = await confirmation(tool, args, plan, confirmationToken, call, rt);
    if (stop) return stop;
    // The user may have taken a while: the policy applies at the moment of sending too.
    if (plan.callout) rt.policy.check(plan.callout);

    if (plan.callout) rt.policy.record();
    const isWrite = tool.kind !== 'read';
    let response: unknown;
    try {
      response = plan.run ? await plan.run((request) => rt.client.send(request, call.signal)) : await rt.client.send(plan.request, call.signal);
    } catch (error) {
      if (isWrite) await rt.audit(auditEntry(tool, args, plan.request, rt.sandbox, { outcome: 'error', error: (error as Error).message }));
      throw error;
    }
    const { result, summary } = plan.read(response);
    const remembered = plan.remember?.(result);
    if (remembered) await rt.calls.remember(remembered.callId, remembered);
    if (isWrite) await rt.audit(auditEntry(tool, args, plan.request, rt.sandbox, { outcome: 'ok', ids: result as Record<string, unknown> }));
    return success(tool, rt.sandbox, summary, { status: 'done', result });
  } catch (error) {
    return failure(messageFor(error), rt.sandbox);
  }
}

/**
 * Obtains a person's confirmation when this call needs one: through the client's dialog, or else with a
 * single-use token. Returns the result to answer with instead of acting, or undefined to go ahead.
 */
async function confirmation(
  tool: ToolDefinition,
  args: Record<string, unknown>,
  plan: Plan<unknown>,
  confirmationToken: string | undefined,
  call: CallContext,
  rt: Runtime,
): Promise<ToolResult | undefined> {
  if (rt.skipConfirmation || !callNeedsConfirmation(tool, args)) return undefined;
  if (call.confirm) {
    let outcome: ConfirmOutcome;
    try {
      outcome = await call.confirm(plan.preview);
    } catch (error) {
      return failure(`Could not get the user’s confirmation (${(error as Error).message}). Nothing was done.`, rt.sandbox);
    }
    if (outcome === 'accept') return undefined;
    const status = outcome === 'decline' ? 'declined' : 'cancelled';
    return success(tool, rt.sandbox, `The user ${status}: nothing was done. (${plan.preview})`, { status, preview: plan.preview });
  }
  if (confirmationToken === undefined) {
    const { token, expiresAt } = rt.tokens.issue(tool.name, plan.request);
    return success(
      tool,
      rt.sandbox,
      `CONFIRMATION REQUIRED, nothing was done yet. Show the user exactly this and ask: "${plan.preview}" ` +
        `Only if the user agrees, call ${tool.name} again with the same arguments plus confirmationToken "${token}" (single use, expires in 2 minutes).`,
      { status: 'confirmation_required', preview: plan.preview, confirmationToken: token, expiresAt: expiresAt.toISOString() },
    );
  }
  rt.tokens.redeem(confirmationToken, tool.name, plan.request); // throws a TokenError saying why it cannot be used
  return undefined;
}

function messageFor(error: unknown): string {
  if (error instanceof InputError) return `Invalid input, nothing was sent to Sinch. ${error.message}`;
  if (error instanceof PolicyError || error instanceof TokenError || error instanceof SinchApiError) return error.message;
  // Unexpected: say what happened without a stack trace.
  return `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
}

function auditEntry(
  tool: ToolDefinition,
  args: Record<string, unknown>,
  request: { method: string; path: string },
  sandbox: boolean,
  outcome: Pick<AuditEntry, 'outcome' | 'ids' | 'error'>,
): AuditEntry {
  return { tool: tool.name, arguments: withoutSecrets(args), sandbox, request: { method: request.method, path: request.path }, ...outcome };
}
