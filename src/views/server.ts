// The five app-only tools of docs/views.md, called through the host (tools/call), with the shapes they answer.

import { type Host, type ToolResult, asRecord } from './host.js';
import type { Params } from './rpc.js';

export interface Approval {
  id: string;
  key: string;
  title: string;
  facts: string[];
  summary: string;
  request: string;
  rows: Array<{ label: string; value: string; note?: string }>;
  expiresAt: string;
  state: 'pending' | 'approved' | 'denied' | 'expired' | 'cancelled';
  remote?: { url: string };
}

export interface ActionResult {
  status: string;
  summary: string;
  result?: Params;
}

export interface Decision {
  outcome: 'approved' | 'denied' | 'expired' | 'decided' | 'refused';
  delivered: 'waiting_call' | 'performed' | 'none';
  toolResult?: ActionResult;
  message: string;
}

export interface Participant {
  callId: string;
  label?: string;
  cli: string;
  country?: string;
  muted: boolean;
  onHold: boolean;
  durationSeconds: number;
  joinedAt?: string;
  order: number;
}

export interface Room {
  conferenceId: string;
  fetchedAt: string;
  participants: Participant[];
}

export type Moderation = 'mute' | 'unmute' | 'hold' | 'resume' | 'kick' | 'mute_all_except';

export interface Call {
  callId: string;
  label?: string;
  state: 'ringing' | 'answered' | 'ended';
  result?: string;
  reason?: string;
  durationSeconds: number;
  to?: string;
}

/** Deciding may send the action itself (the call had returned): that is a Sinch request, give it time. */
const DECIDE_TIMEOUT_MS = 120_000;

export class Server {
  constructor(private readonly host: Host) {}

  approval(query: { requestId?: string | number; tool?: string; arguments?: Params }): Promise<{ found: false } | { found: true; approval: Approval }> {
    return this.call('app_approval', withoutUndefined(query));
  }

  decide(approval: Approval, decision: 'approve' | 'deny'): Promise<Decision> {
    return this.call('app_decide', { id: approval.id, key: approval.key, decision }, DECIDE_TIMEOUT_MS);
  }

  conference(conferenceId: string): Promise<Room> {
    return this.call('app_conference', { conferenceId });
  }

  moderate(conferenceId: string, action: Moderation, callIds: string[]): Promise<{ ok: boolean; summary: string }> {
    return this.call('app_moderate', { conferenceId, action, callIds });
  }

  callState(callId: string): Promise<Call> {
    return this.call('app_call', { callId });
  }

  /** The envelope's `result`; an error result becomes an Error with the server's line. */
  private async call<T>(name: string, args: Params, timeoutMs?: number): Promise<T> {
    const answer = await this.host.rpc.request<ToolResult>('tools/call', { name, arguments: args }, timeoutMs);
    if (answer.isError) throw new Error(firstLine(answer) || `${name} failed`);
    const result = asRecord(answer.structuredContent)?.result;
    if (result === undefined) throw new Error(`${name} answered without a result`);
    return result as T;
  }
}

/** The headline of a tool result: the first line of its text. */
export function firstLine(result: ToolResult): string {
  const text = result.content?.find((block) => block.type === 'text')?.text ?? '';
  return text.split('\n', 1)[0]!.trim();
}

function withoutUndefined(value: Params): Params {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined));
}
