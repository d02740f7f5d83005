// A conference callout carries what its ACE answer needs in the callout's `custom` field, which Sinch
// echoes in every event of the call. So the answer (connectConf with its room, hold music and DTMF
// options) comes from the event itself: it survives a restart and does not depend on the call id.
// The user's own custom text stays intact in front of the marker and is shown without it.
import { SEGMENT_RULES } from './paths.js';

export type MusicOnHold = 'ring' | 'music1' | 'music2' | 'music3';

export interface ConferenceDtmfOptions {
  mode?: 'ignore' | 'forward' | 'detect';
  maxDigits?: number;
  timeoutMills?: number;
}

const MARK = '~sinch-mcp:';
/** Sinch's limit for `custom`. */
export const CUSTOM_LIMIT = 1024;
/** Room kept for the marker, so the user's own data can use the rest. */
export const MARKER_RESERVE = 200;
export const USER_CUSTOM_LIMIT = CUSTOM_LIMIT - MARKER_RESERVE;

export interface ConferenceJoin {
  conferenceId: string;
  moh?: MusicOnHold;
  conferenceDtmfOptions?: ConferenceDtmfOptions;
}

const MOH = new Set(['ring', 'music1', 'music2', 'music3']);
const DTMF_MODES = new Set(['ignore', 'forward', 'detect']);

/** True when a user's custom text would be mistaken for a marker. */
export function containsMarker(custom: string): boolean {
  return custom.includes(MARK);
}

/** The custom field to send: the user's text followed by the join marker. */
export function withJoinMarker(custom: string | undefined, join: ConferenceJoin): string {
  const payload: Record<string, unknown> = { c: join.conferenceId };
  if (join.moh) payload.m = join.moh;
  if (join.conferenceDtmfOptions) payload.d = join.conferenceDtmfOptions;
  return `${custom ?? ''}${MARK}${JSON.stringify(payload)}`;
}

/** Splits an echoed custom field into the user's own text and the join marker (when there is a valid one). */
export function readCustom(value: unknown): { custom?: string; join?: ConferenceJoin } {
  if (typeof value !== 'string') return {};
  const at = value.lastIndexOf(MARK);
  if (at < 0) return { custom: value };
  const own = value.slice(0, at) || undefined;
  try {
    const payload = JSON.parse(value.slice(at + MARK.length)) as { c?: unknown; m?: unknown; d?: unknown };
    if (typeof payload.c !== 'string' || !SEGMENT_RULES.conferenceId.pattern.test(payload.c)) return { custom: own };
    const join: ConferenceJoin = { conferenceId: payload.c };
    if (typeof payload.m === 'string' && MOH.has(payload.m)) join.moh = payload.m as MusicOnHold;
    const dtmf = readDtmfOptions(payload.d);
    if (dtmf) join.conferenceDtmfOptions = dtmf;
    return { custom: own, join };
  } catch {
    return { custom: own };
  }
}

function readDtmfOptions(value: unknown): ConferenceDtmfOptions | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const d = value as Record<string, unknown>;
  const options: ConferenceDtmfOptions = {};
  if (typeof d.mode === 'string' && DTMF_MODES.has(d.mode)) options.mode = d.mode as ConferenceDtmfOptions['mode'];
  if (Number.isInteger(d.maxDigits)) options.maxDigits = d.maxDigits as number;
  if (Number.isInteger(d.timeoutMills)) options.timeoutMills = d.timeoutMills as number;
  return Object.keys(options).length ? options : undefined;
}
