// Sinch call events (ICE, ACE, DiCE, PIE, notify), read tolerantly: callid or callId, missing fields.
import { record as obj, text as str } from '../sinch/read.js';

export const EVENT_TYPES = ['ice', 'ace', 'dice', 'pie', 'notify'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface CallEvent {
  /** Position in this server's event stream; larger is newer. */
  seq: number;
  type: EventType;
  callId?: string;
  conferenceId?: string;
  /** The label given to the callee at callout time, when this server placed the call. */
  label?: string;
  /** When this server received it. */
  receivedAt: string;
  /** Sinch's own timestamp, when given. */
  timestamp?: string;
  /** A few useful fields, flattened for people and models. */
  summary: string;
  /** The event as Sinch sent it. */
  raw: Record<string, unknown>;
}

/** Returns undefined when the body is not a Sinch call event. */
export function parseEvent(body: unknown, seq: number, receivedAt: Date): CallEvent | undefined {
  const raw = obj(body);
  const type = str(raw.event)?.toLowerCase();
  if (!type || !(EVENT_TYPES as readonly string[]).includes(type)) return undefined;
  const callId = callIdOf(raw);
  return {
    seq,
    type: type as EventType,
    callId,
    conferenceId: str(raw.conferenceId) ?? str(raw.conferenceid),
    receivedAt: receivedAt.toISOString(),
    timestamp: str(raw.timestamp),
    summary: summarize(type as EventType, raw),
    raw,
  };
}

/** The call id of an event body, whichever spelling Sinch used. */
export function callIdOf(raw: Record<string, unknown>): string | undefined {
  return str(raw.callid) ?? str(raw.callId) ?? str(raw.callID);
}

function summarize(type: EventType, raw: Record<string, unknown>): string {
  const to = str(obj(raw.to).endpoint) ?? str(raw.to);
  switch (type) {
    case 'ice':
      return `incoming call from ${str(raw.cli) ?? 'unknown'}${to ? ` to ${to}` : ''}`;
    case 'ace':
      return `call answered${to ? ` by ${to}` : ''}${str(obj(raw.amd).status) ? ` (${str(obj(raw.amd).status)})` : ''}`;
    case 'dice':
      return `call ended: ${str(raw.result) ?? 'N/A'}, ${str(raw.reason) ?? 'N/A'}${raw.duration !== undefined ? `, ${str(raw.duration)}s` : ''}`;
    case 'pie':
      return `menu input: ${str(obj(raw.menuResult).type) ?? '?'} ${str(obj(raw.menuResult).value) ?? ''}`.trim();
    case 'notify':
      return `notification: ${str(raw.type) ?? 'unknown'}`;
  }
}
