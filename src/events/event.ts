// Sinch call events (ICE, ACE, DiCE, PIE, notify), read tolerantly: callid or callId, missing fields.
import { showInvisible } from '../support/text.js';
import { endpoint, number as num, record as obj, text as str } from '../sinch/read.js';

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
    // An event this server made from watching Sinch's state (no callback URL) says so.
    summary: `${summarize(type as EventType, raw)}${raw.watched === true ? ' (seen by watching the call)' : ''}`,
    raw,
  };
}

/** The call id of an event body, whichever spelling Sinch used. */
export function callIdOf(raw: Record<string, unknown>): string | undefined {
  return str(raw.callid) ?? str(raw.callId) ?? str(raw.callID);
}

/**
 * A summary for people and models. The sentence is worded by this server from fixed words, Sinch's
 * enumerations (result, reason, AMD status, menu result type) and numbers; every value a caller or
 * another party can set (caller id, numbers, custom data, SIP headers, menu input) follows in one
 * labelled segment, JSON-quoted, so it can never read as a server sentence or an instruction.
 */
function summarize(type: EventType, raw: Record<string, unknown>): string {
  const caller: Record<string, unknown> = {};
  /** A Sinch enumeration when it looks like one; anything else is quoted with the caller data. */
  const word = (name: string, value: unknown): string | undefined => {
    const s = str(value);
    if (s !== undefined && /^[A-Za-z0-9_./-]{1,40}$/.test(s)) return s;
    if (value !== undefined) caller[name] = value;
    return undefined;
  };
  /** A caller-set value: always quoted, never part of the sentence. */
  const quote = (name: string, value: unknown) => {
    if (value !== undefined && value !== null && value !== '') caller[name] = value;
  };
  let sentence: string;
  switch (type) {
    case 'ice':
      sentence = 'incoming call';
      quote('cli', raw.cli);
      quote('to', endpoint(raw.to));
      quote('rdnis', raw.rdnis);
      quote('callHeaders', raw.callHeaders);
      break;
    case 'ace': {
      const amd = word('amdStatus', obj(raw.amd).status);
      sentence = `call answered${amd ? ` (${amd})` : ''}`;
      quote('to', endpoint(raw.to));
      break;
    }
    case 'dice': {
      const duration = num(raw.duration);
      sentence = `call ended: ${word('result', raw.result) ?? 'N/A'}, ${word('reason', raw.reason) ?? 'N/A'}${duration !== undefined ? `, ${duration}s` : ''}`;
      quote('from', endpoint(raw.from));
      quote('to', endpoint(raw.to));
      quote('callHeaders', raw.callHeaders);
      break;
    }
    case 'pie': {
      const menu = obj(raw.menuResult);
      const method = word('inputMethod', menu.inputMethod);
      sentence = `menu input: ${word('menuResultType', menu.type) ?? '?'}${method ? ` via ${method}` : ''}`;
      quote('menuId', menu.menuId);
      quote('value', menu.value);
      break;
    }
    case 'notify':
      sentence = `notification: ${word('notificationType', raw.type) ?? 'unknown'}`;
      break;
  }
  quote('custom', raw.custom);
  return Object.keys(caller).length ? `${sentence}; ${untrustedSegment(caller)}` : sentence;
}

const MAX_QUOTED_CHARS = 200;
const MAX_QUOTED_ITEMS = 10;

/** `untrusted caller data: {...}`: JSON with long strings and lists shortened and invisible characters escaped. */
export function untrustedSegment(values: Record<string, unknown>): string {
  const json = JSON.stringify(values, (_key, value: unknown) => {
    if (typeof value === 'string' && value.length > MAX_QUOTED_CHARS) return `${value.slice(0, MAX_QUOTED_CHARS)}… (${value.length - MAX_QUOTED_CHARS} more characters)`;
    if (Array.isArray(value) && value.length > MAX_QUOTED_ITEMS) return [...value.slice(0, MAX_QUOTED_ITEMS), `… (${value.length - MAX_QUOTED_ITEMS} more)`];
    return value;
  });
  return `untrusted caller data: ${showInvisible(json)}`;
}
