// The app-only tools (MCP Apps): what the in-chat views call, and only they. The host keeps these out of the
// model's tool list, and they exist only in sessions whose client shows views. Each works through what the
// session already has: its approval cards, and its own tools run through the same pipeline (plan, policy,
// audit), so a view adds no new way to reach Sinch. Contract: docs/views.md.
import { z } from 'zod';
import { countryOf } from '../sinch/phone.js';
import { type ToolDefinition, type ViewContext, defineTool } from './define.js';
import { callId, conferenceId } from './fields.js';
import type { Participant } from './participants.js';

const MODERATION_TOOLS = ['mute_participants', 'unmute_participants', 'hold_participant', 'resume_participant', 'kick_participant'];

const previewRow = z.object({ label: z.string(), value: z.string(), note: z.string().optional() });
const cardView = z.object({
  id: z.string(),
  key: z.string(),
  tool: z.string(),
  title: z.string(),
  facts: z.array(z.string()),
  summary: z.string(),
  request: z.string(),
  rows: z.array(previewRow),
  expiresAt: z.string(),
  state: z.enum(['pending', 'approved', 'denied', 'expired', 'cancelled']),
  remote: z.object({ url: z.string() }).optional(),
});

function viewOf(ctx: { view?: ViewContext }): ViewContext {
  if (!ctx.view) throw new Error('This tool is for the in-chat views of a client that shows them.');
  return ctx.view;
}

/** The `result` of one of the session's read tools, run for a view; its failure is the view's failure. */
async function readFor(ctx: { view?: ViewContext }, tool: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const read = await viewOf(ctx).run(tool, args);
  if (read.isError) throw new Error(read.text);
  return (read.structured?.result ?? {}) as Record<string, unknown>;
}

export const appApproval = defineTool({
  name: 'app_approval',
  title: 'Approval card: the pending action',
  toolset: 'calls',
  kind: 'read',
  app: { serves: 'guarded' },
  description: 'For the approval card only: the action waiting for this card, with its preview and decision key.',
  input: z.object({
    requestId: z.union([z.string(), z.number()]).optional(),
    tool: z.string().max(64).optional(),
    arguments: z.record(z.string(), z.unknown()).optional(),
  }),
  result: z.object({ found: z.boolean(), approval: cardView.optional() }),
  async local(args, ctx) {
    const view = viewOf(ctx);
    // The view has the arguments as the model sent them; the call has them parsed (defaults filled in).
    const parsed = args.tool && args.arguments ? view.arguments(args.tool, args.arguments) : undefined;
    const card = view.cards.open({ requestId: args.requestId, tool: args.tool, arguments: parsed }, view.caller);
    if (card) {
      const { preview } = card;
      const approval = { id: card.id, key: card.key, tool: card.tool, ...preview, expiresAt: new Date(card.expiresAt).toISOString(), state: card.state };
      return { result: { found: true, approval }, summary: `Approval card: ${preview.title} (${card.state})` };
    }
    // Remote mode: approvers sign in on the approval page; the card offers its link and never approves itself.
    const page = view.shownPage();
    if (page) {
      const approval = { id: '', key: '', tool: '', ...page.preview, expiresAt: new Date(page.expiresAt).toISOString(), state: 'pending' as const, remote: { url: page.url } };
      return { result: { found: true, approval }, summary: `Approval page for ${page.preview.title}` };
    }
    return { result: { found: false }, summary: 'Nothing waits for approval in this chat.' };
  },
});

export const appDecide = defineTool({
  name: 'app_decide',
  title: 'Approval card: the decision',
  toolset: 'calls',
  kind: 'reversible',
  app: { serves: 'guarded' },
  description: "For the approval card only: the person's Approve or Deny.",
  input: z.object({ id: z.string().max(64), key: z.string().max(64), decision: z.enum(['approve', 'deny']) }),
  result: z.object({
    outcome: z.enum(['approved', 'denied', 'expired', 'decided', 'refused']),
    delivered: z.enum(['waiting_call', 'performed', 'none']),
    toolResult: z.object({ status: z.string(), summary: z.string(), result: z.record(z.string(), z.unknown()).optional() }).optional(),
    message: z.string(),
  }),
  async local(args, ctx) {
    const view = viewOf(ctx);
    const decided = await view.cards.decide(args.id, args.key, args.decision, view.caller);
    if (decided.delivered !== 'performed') {
      const message = DECISION_MESSAGES[decided.outcome];
      return { result: { outcome: decided.outcome, delivered: decided.delivered, message }, summary: message };
    }
    const performed = decided.performed as { isError?: boolean; content: Array<{ text: string }>; structuredContent?: Record<string, unknown> };
    const summary = performed.content[0]?.text.split('\n')[0] ?? '';
    const status = performed.isError ? 'error' : String(performed.structuredContent?.status ?? 'done');
    const result = performed.structuredContent?.result as Record<string, unknown> | undefined;
    const message = `A person approved this in the approval card, and it was sent: ${summary}`;
    return { result: { outcome: 'approved' as const, delivered: 'performed' as const, toolResult: { status, summary, ...(result ? { result } : {}) }, message }, summary: message };
  },
});

const DECISION_MESSAGES = {
  approved: 'A person approved this in the approval card; the waiting tool call carries on and reports the outcome.',
  denied: 'A person denied this in the approval card: nothing was done.',
  expired: 'The approval card expired before a decision: nothing was done.',
  decided: 'This approval was already decided: nothing more was done.',
  refused: 'This card cannot decide that action (unknown, or not this session’s): nothing was done.',
} as const;

const consoleParticipant = z.object({
  callId: z.string(),
  label: z.string().optional(),
  cli: z.string(),
  country: z.string().optional(),
  muted: z.boolean(),
  onHold: z.boolean(),
  durationSeconds: z.number(),
  joinedAt: z.string(),
  order: z.number(),
});

export const appConference = defineTool({
  name: 'app_conference',
  title: 'Conference console: the room',
  toolset: 'conferences',
  kind: 'read',
  app: { serves: ['get_conference'] },
  description: 'For the conference console only: who is in the room, in join order.',
  input: z.object({ conferenceId }),
  result: z.object({ conferenceId: z.string(), fetchedAt: z.string(), participants: z.array(consoleParticipant) }),
  async local(args, ctx) {
    const room = await readFor(ctx, 'get_conference', { conferenceId: args.conferenceId });
    const fetchedAt = Date.now();
    // get_conference lists the room first joined first, with join times (one function for both: participants.ts).
    const rows = (room.participants ?? []) as Participant[];
    const participants = await Promise.all(
      rows.map(async (p, i) => {
        const country = p.cli.startsWith('+') ? await countryOf(p.cli) : undefined;
        return { callId: p.callId, ...(p.label ? { label: p.label } : {}), cli: p.cli, ...(country ? { country } : {}), muted: p.muted, onHold: p.onHold, durationSeconds: p.durationSeconds, joinedAt: p.joinedAt, order: i + 1 };
      }),
    );
    return { result: { conferenceId: args.conferenceId, fetchedAt: new Date(fetchedAt).toISOString(), participants }, summary: `${args.conferenceId}: ${participants.length} participant(s)` };
  },
});

export const appModerate = defineTool({
  name: 'app_moderate',
  title: 'Conference console: a button',
  toolset: 'conferences',
  kind: 'reversible',
  app: { serves: MODERATION_TOOLS },
  description: 'For the conference console only: mute, unmute, hold, resume or remove participants, as a person clicked.',
  input: z.object({
    conferenceId,
    action: z.enum(['mute', 'unmute', 'hold', 'resume', 'kick', 'mute_all_except']),
    callIds: z.array(callId).max(500).optional(),
    labels: z.array(z.string().trim().min(1).max(40)).max(500).optional(),
  }),
  result: z.object({ ok: z.boolean(), summary: z.string() }),
  async local(args, ctx) {
    const view = viewOf(ctx);
    const { conferenceId: room, action } = args;
    const callIds = args.callIds ?? [];
    const labels = args.labels ?? [];
    let ran;
    if (action === 'mute' || action === 'unmute') {
      ran = await view.run(`${action}_participants`, { conferenceId: room, ...(callIds.length ? { callIds } : {}), ...(labels.length ? { labels } : {}) });
    } else if (action === 'mute_all_except') {
      ran = await view.run('mute_participants', { conferenceId: room, all: true, except: [...callIds, ...labels] });
    } else {
      const one = callIds.length + labels.length === 1 ? (callIds[0] !== undefined ? { callId: callIds[0] } : { label: labels[0] }) : undefined;
      if (!one) throw new Error(`${action} takes exactly one participant (one callId or one label).`);
      const tool = action === 'kick' ? 'kick_participant' : `${action}_participant`;
      // A removal is confirmed by the person's click on the console's own confirm step.
      ran = await view.run(tool, { conferenceId: room, ...one }, action === 'kick');
    }
    const summary = ran.text.split('\n')[0] ?? '';
    return { result: { ok: !ran.isError, summary }, summary };
  },
});

export const appCall = defineTool({
  name: 'app_call',
  title: 'Call card: the call',
  toolset: 'calls',
  kind: 'read',
  app: { serves: ['get_call_result'] },
  description: 'For the call card only: is the call ringing, answered or over.',
  input: z.object({ callId }),
  result: z.object({
    callId: z.string(),
    label: z.string().optional(),
    state: z.enum(['ringing', 'answered', 'ended']),
    result: z.string().optional(),
    reason: z.string().optional(),
    durationSeconds: z.number(),
    to: z.string().optional(),
  }),
  async local(args, ctx) {
    const call = (await readFor(ctx, 'get_call_result', { callId: args.callId })) as { callId?: string; label?: string; status?: string; result?: string; reason?: string; durationSeconds?: number; to?: string };
    const state = call.status === 'FINAL' ? 'ended' : call.result === 'ANSWERED' ? 'answered' : 'ringing';
    const result = {
      callId: call.callId ?? args.callId,
      ...(call.label ? { label: call.label } : {}),
      state: state as 'ringing' | 'answered' | 'ended',
      ...(call.result ? { result: call.result } : {}),
      ...(call.reason ? { reason: call.reason } : {}),
      durationSeconds: call.durationSeconds ?? 0,
      ...(call.to ? { to: call.to } : {}),
    };
    return { result, summary: `${result.label ?? result.callId}: ${state}` };
  },
});

export const APP_TOOLS: ToolDefinition[] = [appApproval, appDecide, appConference, appModerate, appCall] as unknown as ToolDefinition[];
