// Who is in a room, as Sinch reports it, in join order: what get_conference answers, what the conference console
// shows, and what label checks compare against.
import { z } from 'zod';
import type { SinchRequest } from '../sinch/client.js';
import { SinchApiError } from '../sinch/errors.js';
import { number, record, text } from '../sinch/read.js';
import type { CallRecord } from '../state/calls.js';
import { shortId } from './define.js';
import type { Room } from './regions.js';

export const participant = z.object({
  callId: z.string(),
  label: z.string().optional(),
  cli: z.string(),
  durationSeconds: z.number(),
  muted: z.boolean(),
  onHold: z.boolean(),
  joinedAt: z.string(),
});

export type Participant = z.infer<typeof participant>;

/**
 * Sinch's participant list, first joined first, each with its join time. Sinch reports how long each has been
 * connected, which covers everyone (dial-ins too) to the second; within one second, the calls this server placed
 * go in the order it learned of them (`seenAt`), then the rest in Sinch's order.
 */
export function readParticipants(response: unknown, known: CallRecord[], fetchedAt = Date.now()): Participant[] {
  const rows = Array.isArray(record(response).participants) ? (record(response).participants as unknown[]) : [];
  const byId = new Map(known.map((c) => [c.callId, c]));
  const read = rows.map((row, index) => {
    const p = record(row);
    const id = text(p.id) ?? text(p.callId) ?? '?';
    const label = byId.get(id)?.label;
    const durationSeconds = number(p.duration) ?? 0;
    const participant: Participant = {
      callId: id,
      ...(label ? { label } : {}),
      cli: text(p.cli) ?? '',
      durationSeconds,
      muted: p.muted === true,
      onHold: p.onhold === true || p.onHold === true,
      joinedAt: new Date(fetchedAt - durationSeconds * 1000).toISOString(),
    };
    return { participant, index, seenAt: byId.get(id)?.seenAt ?? Number.POSITIVE_INFINITY };
  });
  read.sort((a, b) => b.participant.durationSeconds - a.participant.durationSeconds || a.seenAt - b.seenAt || a.index - b.index);
  return read.map((r) => r.participant);
}

/**
 * Who is in the room now, read from Sinch on the room's region. A room Sinch does not know (nobody has joined
 * yet, or everyone has left) has nobody in it.
 */
export async function presentIn(room: Room, read: (request: SinchRequest) => Promise<unknown>): Promise<Participant[]> {
  try {
    return readParticipants(await read(room.get()), room.known);
  } catch (error) {
    if (error instanceof SinchApiError && error.details.status === 404) return [];
    throw error;
  }
}

/** "Anna +46708168731 (4398599d…, muted)": the label next to the number. */
export function describeParticipant(p: Participant): string {
  const flags = [shortId(p.callId), p.muted ? 'muted' : '', p.onHold ? 'on hold' : ''].filter(Boolean).join(', ');
  return `${p.label ? `${p.label} ` : ''}${p.cli || '?'} (${flags})`;
}

const LISTED = 10;

/** Who could be meant instead, for a refusal: "host" (callId …), +46708168731 (callId …), and 3 more. */
export function candidates(present: Participant[]): string {
  if (!present.length) return 'nobody';
  const named = present.slice(0, LISTED).map((p) => `${p.label ? `"${p.label}"` : p.cli || '?'} (callId ${p.callId})`);
  return `${named.join(', ')}${present.length > LISTED ? `, and ${present.length - LISTED} more` : ''}`;
}
