// One tool call: validate and plan, apply the outbound policy, obtain a person's confirmation when needed,
// send through the shared client, audit writes (intent before, outcome after), and shape the answer.
// No MCP SDK here.
import { type AskChannel, type AskSettings, askPerson, channelFor } from '../confirm/ask.js';
import type { ConfirmedBy } from '../kinds/confirmation.js';
import { approveByLink } from '../confirm/link.js';
import { buildPreview, previewText } from '../confirm/preview.js';
import type { EventBuffer } from '../events/buffer.js';
import { CalloutPolicy, PolicyError } from '../policy/outbound.js';
import { ConfirmationTokens, TokenError, fingerprint } from '../confirm/tokens.js';
import type { Audit, AuditEntry } from '../support/audit.js';
import { redact } from '../support/redact.js';
import type { SinchClient, SinchRequest } from '../sinch/client.js';
import type { CallState } from '../state/calls.js';
import { InputError, SinchApiError } from '../sinch/errors.js';
import { type Plan, type PlanContext, type ToolDefinition, callNeedsConfirmation } from './define.js';
import { type ToolResult, failure, success } from './envelope.js';

/** What the MCP edge offers for one call: cancellation and the ways it can ask a person. */
export type CallContext = AskChannel;

export interface Runtime {
  client: SinchClient;
  /** Call events from the callback receiver, when it is on. */
  events?: EventBuffer;
  /** What the server knows about calls (labels, regions, conference joins). */
  calls: CallState;
  planContext: PlanContext;
  tokens: ConfirmationTokens;
  policy: CalloutPolicy;
  audit: Audit;
  skipConfirmation: boolean;
  sandbox: boolean;
  confirm: AskSettings;
}

type Confirmed = { by: ConfirmedBy; approvedBy?: string } | { stop: ToolResult };

export async function runTool(tool: ToolDefinition, rawArgs: Record<string, unknown>, call: CallContext, rt: Runtime): Promise<ToolResult> {
  const { confirmationToken, ...args } = rawArgs as Record<string, unknown> & { confirmationToken?: string };
  try {
    if (confirmationToken !== undefined && rt.confirm.mode !== 'token' && !byLink(call, rt)) {
      return failure(
        'confirmationToken is refused: this client can show a person the approval link itself, so the model does not relay approvals here. Nothing was done. ' +
          'Call the tool again without confirmationToken; a person then approves or denies it directly.',
        rt.sandbox,
      );
    }
    if (tool.local) {
      const { result, summary } = await tool.local(args, { events: rt.events, signal: call.signal });
      return success(tool, rt.sandbox, summary, { status: 'done', result });
    }
    const plan = await tool.plan!(args, rt.planContext);
    if (plan.callout) await rt.policy.check(plan.callout);

    const confirmed = await confirmation(tool, args, plan, confirmationToken, call, rt);
    if ('stop' in confirmed) return confirmed.stop;
    // The person may have taken a while: the policy applies (and counts the callout) at the moment of sending.
    if (plan.callout) await rt.policy.take(plan.callout);
    return await send(tool, args, plan, confirmed, call, rt);
  } catch (error) {
    return failure(messageFor(error), rt.sandbox);
  }
}

/**
 * Obtains a person's confirmation when this call needs one: through the client's dialog or the approval
 * page, or (token mode only) with a single-use token the model relays.
 */
async function confirmation(
  tool: ToolDefinition,
  args: Record<string, unknown>,
  plan: Plan<unknown>,
  confirmationToken: string | undefined,
  call: CallContext,
  rt: Runtime,
): Promise<Confirmed> {
  const needed = callNeedsConfirmation(tool, args);
  if (!needed) return { by: 'none' };
  if (rt.skipConfirmation) return { by: 'skipped' };
  const preview = await buildPreview({ title: tool.title, kind: tool.kind, summary: plan.preview, request: plan.request, sandbox: rt.sandbox });
  const text = previewText(preview);

  if (rt.confirm.mode === 'token') {
    if (confirmationToken !== undefined) {
      await rt.tokens.redeem(confirmationToken, tool.name, plan.request, call.caller); // throws a TokenError saying why it cannot be used
      return { by: 'token' };
    }
    const { token, expiresAt } = await rt.tokens.issue(tool.name, plan.request, call.caller);
    const headline =
      `CONFIRMATION REQUIRED, nothing was done yet. (Token mode: the assistant relays this token; it does not prove a person agreed.) ` +
      `Show the user exactly this and ask:\n${text}\n` +
      `Only if the user agrees, call ${tool.name} again with the same arguments plus confirmationToken "${token}" (single use, expires in 2 minutes).`;
    return awaiting(tool, rt, headline, text, token, expiresAt);
  }

  const context = { tool: { kind: tool.kind, toolset: tool.toolset }, requestedBy: call.caller };
  if (byLink(call, rt)) {
    const link = await approveByLink(preview, rt.confirm, { ...context, binding: `${tool.name}|${fingerprint(plan.request)}|${call.caller ?? ''}` }, confirmationToken);
    if (link.go) return { by: 'page', approvedBy: link.approvedBy };
    if ('error' in link) return { stop: failure(link.error, rt.sandbox) };
    if ('status' in link) return { stop: success(tool, rt.sandbox, `A person declined: nothing was done.\n${text}`, { status: 'declined', preview: text }) };
    const { url, reference, expiresAt } = link.pending;
    const headline =
      `APPROVAL REQUIRED, nothing was done yet. A person allowed to approve this must open ${url}, sign in with their own access token and decide; you cannot approve it. ` +
      `Show the user this link and the preview below. Once they approved, call ${tool.name} again with the same arguments plus confirmationToken "${reference}".\n${text}`;
    return awaiting(tool, rt, headline, text, reference, new Date(expiresAt));
  }
  const answer = await askPerson(preview, call, rt.confirm, context);
  if (answer.go) return { by: answer.by, approvedBy: answer.approvedBy };
  if ('error' in answer) return { stop: failure(answer.error, rt.sandbox) };
  return { stop: success(tool, rt.sandbox, `The user ${answer.status}: nothing was done.\n${text}`, { status: answer.status, preview: text }) };
}

/** Nothing was sent: the answer carries the preview and the reference to call again with once a person agreed. */
function awaiting(tool: ToolDefinition, rt: Runtime, headline: string, preview: string, reference: string, expiresAt: Date): Confirmed {
  return { stop: success(tool, rt.sandbox, headline, { status: 'confirmation_required', preview, confirmationToken: reference, expiresAt: expiresAt.toISOString() }) };
}

/** Remote mode with a client that has neither a dialog nor link support: the model relays a link to a person. */
function byLink(call: CallContext, rt: Runtime): boolean {
  return rt.confirm.remote === true && channelFor(rt.confirm.mode, call, true) === 'page';
}

/** Sends the request; a write is audited before (intent) and after (outcome), whatever happens in between. */
async function send(
  tool: ToolDefinition,
  args: Record<string, unknown>,
  plan: Plan<unknown>,
  confirmed: { by: ConfirmedBy; approvedBy?: string },
  call: CallContext,
  rt: Runtime,
): Promise<ToolResult> {
  const audited = tool.kind !== 'read';
  const line = (fields: Partial<AuditEntry>): AuditEntry => ({
    phase: 'outcome',
    tool: tool.name,
    arguments: redact(args),
    sandbox: rt.sandbox,
    request: { method: plan.request.method, path: plan.request.path },
    confirmedBy: confirmed.by,
    ...(call.caller ? { caller: call.caller } : {}),
    ...(confirmed.approvedBy ? { approvedBy: confirmed.approvedBy } : {}),
    ...fields,
  });
  if (audited) rt.audit(line({ phase: 'intent' }));
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
    const { result, summary } = plan.read(response);
    ids = result as Record<string, unknown>;
    const remembered = plan.remember?.(result);
    if (remembered) await rt.calls.remember(remembered.callId, remembered);
    return success(tool, rt.sandbox, summary, { status: 'done', result });
  } catch (thrown) {
    if (outcome !== 'ok') outcome = mayHaveHappened(thrown) ? 'unknown' : 'error';
    error = (thrown as Error).message;
    throw thrown;
  } finally {
    if (audited) rt.audit(line({ outcome, ids, error, ...(plan.run ? { sent } : {}) }));
  }
}

/** True when a failed request may still have been carried out by Sinch. */
function mayHaveHappened(error: unknown): boolean {
  if (!(error instanceof SinchApiError)) return false;
  const { kind, status, message } = error.details;
  if (kind === 'http') return (status ?? 0) >= 500; // a 4xx is a refusal; a 5xx may come after the work was done
  if (kind === 'network') return !/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|CERT|SELF_SIGNED/.test(message);
  return kind === 'timeout' || kind === 'aborted' || kind === 'invalid_response';
}

function messageFor(error: unknown): string {
  if (error instanceof InputError) return `Invalid input, nothing was sent to Sinch. ${error.message}`;
  if (error instanceof PolicyError || error instanceof TokenError || error instanceof SinchApiError) return error.message;
  // Unexpected: say what happened without a stack trace.
  return `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
}
