// Labels: the names people give callees ("Anna"), matched case-insensitively. In a room a label names one live
// call: it is given again only once that call has ended, checked against Sinch rather than assumed, and a label
// that names nobody live is refused with the candidates, never ignored.
import { onRegion } from '../sinch/client.js';
import { endpoints } from '../sinch/endpoints.js';
import { InputError, SinchApiError } from '../sinch/errors.js';
import { endpoint, record, text } from '../sinch/read.js';
import { type CallRecord, sameLabel } from '../state/calls.js';
import type { PlanContext } from './define.js';
import { type Participant, candidates, presentIn } from './participants.js';
import { type Room, roomOf } from './regions.js';

/** How many known labels a refusal lists (the newest first). */
const LISTED = 10;

export interface Target {
  callId: string;
  label?: string;
}

/** The call this server gave the label in a room; unknown or ambiguous labels are refused with the candidates. Sends nothing. */
export function holderIn(room: Room, label: string): Target {
  const matches = room.known.filter((c) => sameLabel(c.label, label));
  if (matches.length === 1) return { callId: matches[0]!.callId, label: matches[0]!.label! };
  if (matches.length > 1) {
    throw new InputError(`label "${label}" is ambiguous in ${room.id}: ${matches.map((m) => `"${m.label}" (callId ${m.callId})`).join(', ')}; pass the callId instead.`);
  }
  const labels = room.known.filter((c) => c.label).map((c) => `"${c.label}"`);
  throw new InputError(`label "${label}": nobody in ${room.id} has it. Known labels: ${labels.length ? labels.join(', ') : 'none (give one with conference_callout label)'}.`);
}

/** Why a target is refused when its call is not among the participants: "label "Anna" names call …, which is no longer in board". */
export function notPresent(what: string, target: Target, room: Room): string {
  return `${what}: ${target.label ? `label "${target.label}" names call ${target.callId}, which` : `call ${target.callId}`} is no longer in ${room.id}`;
}

/** The call a label names in a room, checked against who is in the room now (one read). */
export async function liveHolderIn(room: Room, label: string, ctx: PlanContext): Promise<Target> {
  const target = holderIn(room, label);
  const present = await presentIn(room, ctx.read);
  if (!present.some((p) => p.callId === target.callId)) throw new InputError(`${notPresent('label', target, room)}. In the room now: ${candidates(present)}.`);
  return target;
}

/**
 * The call a label names for the call tools: in the given room, or wherever this server gave it. The same label
 * in several rooms is refused until conferenceId says which (a guess could hang up the wrong person).
 */
export async function callForLabel(label: string, conferenceId: string | undefined, ctx: PlanContext): Promise<Target> {
  if (conferenceId !== undefined) return holderIn(await roomOf(conferenceId, ctx), label);
  const labelled = await ctx.calls.labelled();
  const holders = labelled.filter((c) => sameLabel(c.label, label));
  if (holders.length === 1) return { callId: holders[0]!.callId, label: holders[0]!.label! };
  const where = (c: CallRecord) => `"${c.label}" ${c.conferenceId ? `in ${c.conferenceId}` : 'outside rooms'} (callId ${c.callId})`;
  if (holders.length > 1) throw new InputError(`label "${label}" names several calls: ${holders.map(where).join(', ')}; add conferenceId, or pass the callId.`);
  const newest = labelled.slice(-LISTED).reverse().map(where);
  throw new InputError(`label "${label}": no call has it. Known labels: ${newest.length ? newest.join(', ') : 'none (give one with a callout label)'}.`);
}

/**
 * Refuses a conference callout whose label is held by a live call of the room (in it, or still ringing into it),
 * naming the holder and a free label. Reads Sinch (the room, then the holder's call); sends nothing.
 */
export async function refuseTakenLabel(conferenceId: string, label: string | undefined, ctx: PlanContext): Promise<void> {
  if (label === undefined) return;
  const room = await roomOf(conferenceId, ctx);
  const holders = room.known.filter((c) => sameLabel(c.label, label));
  if (!holders.length) return;
  const checking = `while checking whether label "${label}" is free in ${conferenceId}; nobody was called`;
  const present = await presentIn(room, ctx.read).catch(saying(checking));
  for (const holder of holders) {
    const number = await liveNumber(holder, present, ctx).catch(saying(checking));
    if (number === undefined) continue;
    throw new InputError(
      `label "${label}" is taken in ${conferenceId} by "${holder.label}" (callId ${holder.callId}, ${number || 'number unknown'}), whose call is still live; ` +
        `give another label, e.g. "${freeLabel(label, room.known)}", or end that call first.`,
    );
  }
}

/** The holder's number when its call is live (in the room, or not ended), undefined once it has ended. */
async function liveNumber(holder: CallRecord, present: Participant[], ctx: PlanContext): Promise<string | undefined> {
  const inRoom = present.find((p) => p.callId === holder.callId);
  if (inRoom) return inRoom.cli;
  try {
    const call = record(await ctx.read(onRegion(endpoints.getCall(holder.callId), holder.regionBase)));
    return text(call.status) === 'FINAL' ? undefined : (endpoint(call.to) ?? '');
  } catch (error) {
    // Sinch no longer knows the call: it ended long ago.
    if (error instanceof SinchApiError && error.details.status === 404) return undefined;
    throw error;
  }
}

/** A failed read, told with what it was for (a 503 on a GET alone would not say that no callout was placed). */
function saying(what: string): (error: unknown) => never {
  return (error) => {
    if (error instanceof SinchApiError) throw new SinchApiError({ ...error.details, message: `${error.details.message} (${what})` });
    throw error;
  };
}

/** "Sam" -> "Sam 2" (or "Sam 3" when "Sam 2" is known in the room too), within the 40 characters a label may have. */
export function freeLabel(label: string, known: CallRecord[]): string {
  const base = label.replace(/ \d+$/, '');
  for (let n = 2; ; n++) {
    const suffix = ` ${n}`;
    const candidate = `${base.slice(0, 40 - suffix.length)}${suffix}`;
    if (!known.some((c) => sameLabel(c.label, candidate))) return candidate;
  }
}
