// Waiting for call events that cannot miss one: each session has its own cursor (every event it was given is
// remembered), so an event that came while the agent was waiting for another is returned by the next wait;
// `all` waits until every listed call has one. With no public callback URL the server watches Sinch instead.
import { z } from 'zod';
import type { CallEvent, EventType } from '../events/event.js';
import { EVENT_TYPES } from '../events/event.js';
import { InputError } from '../sinch/errors.js';
import { SEGMENT_RULES } from '../sinch/paths.js';
import type { CallState } from '../state/calls.js';
import { type WaitContext, defineTool, shortId } from './define.js';
import { conferenceId, unlistedMax } from './fields.js';

const eventView = z.object({
  seq: z.number(),
  type: z.enum(EVENT_TYPES),
  callId: z.string().optional(),
  conferenceId: z.string().optional(),
  label: z.string().optional(),
  receivedAt: z.string(),
  summary: z.string(),
  raw: z.record(z.string(), z.unknown()),
});

export const waitForCallEvent = defineTool({
  name: 'wait_for_call_event',
  title: 'Wait for call events',
  toolset: 'calls',
  kind: 'read',
  description:
    'Wait up to 60 s for call events (ace: answered/joined, dice: ended, ice: incoming, pie: keys). Free. Returns matching events not yet returned here. Example: "tell me when Anna and Bob join" = callIds ["Anna","Bob"], events ["ace"], all: true.',
  input: z.object({
    callIds: unlistedMax(z.array(unlistedMax(z.string().trim(), 128, 'a callId or label is at most 128 characters')), 50, 'callIds takes at most 50').optional().describe('CallIds or labels.'),
    conferenceId: conferenceId.optional(),
    events: unlistedMax(z.array(z.enum(EVENT_TYPES)), 5, 'events takes at most 5 types').optional().describe('Default: all types.'),
    all: z.boolean().optional().describe('Until each of callIds has one.'),
    timeoutSeconds: z.number().int().min(1).max(60).default(30),
    afterSeq: z.number().int().min(0).meta({ maximum: undefined }).optional().describe('Only events after this seq.'),
  }),
  result: z.object({ events: z.array(eventView), nextAfterSeq: z.number(), timedOut: z.boolean(), missing: z.array(z.string()).optional() }),
  async local(args, ctx) {
    const { events: buffer, waiting } = ctx;
    if (!buffer || !waiting) throw new Error('Call events are not available in this session.');
    if (args.all && !args.callIds?.length) throw new InputError('all: true needs callIds (the calls to wait for, by callId or label).');
    const types: EventType[] = args.events?.length ? args.events : [...EVENT_TYPES];
    const targets = await resolveCalls(args.callIds ?? [], args.conferenceId, waiting, (callId) => buffer.list({ callId }, 1).length > 0);
    const callIds = targets.map((target) => target.callId);
    const matches = (event: CallEvent) =>
      types.includes(event.type) &&
      (callIds.length ? event.callId !== undefined && callIds.includes(event.callId) : args.conferenceId === undefined || event.conferenceId === args.conferenceId) &&
      (args.afterSeq === undefined || event.seq > args.afterSeq);
    const fresh = () => buffer.list({}, buffer.capacity).filter((event) => matches(event) && !waiting.returned.has(event.seq));
    const missing = () => (args.all ? targets.filter((target) => !buffer.list({ callId: target.callId }, buffer.capacity).some(matches)) : []);
    const done = () => (args.all ? missing().length === 0 : fresh().length > 0);

    if (!done() && waiting.mode === 'receiver') {
      // What would come only through the receiver: if it cannot, say why now rather than time out.
      const why = await waiting.cannotArrive(callIds, types);
      if (why) throw new Error(why);
    }
    // A call placed into a room is watched in its room too: joining it is how its answer shows.
    const rooms = new Set([...(args.conferenceId ? [args.conferenceId] : []), ...targets.flatMap((target) => (target.conferenceId ? [target.conferenceId] : []))]);
    const releases = [...callIds.map((callId) => waiting.watch({ callId })), ...[...rooms].map((conferenceId) => waiting.watch({ conferenceId }))];
    try {
      const deadline = Date.now() + args.timeoutSeconds * 1000;
      // Woken by each event of the types asked for, until the wait is satisfied, the time is up or it is cancelled.
      while (!done() && Date.now() < deadline && !ctx.signal?.aborted) await buffer.waitFor({ types }, deadline - Date.now(), ctx.signal);
    } finally {
      for (const release of releases) release();
    }
    const timedOut = !done();
    const given = fresh();
    for (const event of given) waiting.returned.add(event.seq);
    forgetBefore(waiting.returned, buffer.list({}, buffer.capacity)[0]?.seq ?? 0);
    const stillMissing = missing().map((target) => target.name);
    const result = { events: given, nextAfterSeq: buffer.lastSeq(), timedOut, ...(stillMissing.length ? { missing: stillMissing } : {}) };
    const about = targets.length ? ` for ${targets.map((target) => target.name).join(', ')}` : args.conferenceId ? ` in ${args.conferenceId}` : '';
    return { result, summary: describe(given, timedOut, stillMissing, about, args.timeoutSeconds) };
  },
});

interface WaitTarget {
  callId: string;
  name: string;
  conferenceId?: string;
}

/** Each entry as a call: a callId or label this server knows, a call it has events of, else a call Sinch knows. */
async function resolveCalls(entries: string[], room: string | undefined, waiting: WaitContext, hasEvents: (callId: string) => boolean): Promise<WaitTarget[]> {
  const { calls } = waiting;
  const resolved: WaitTarget[] = [];
  for (const entry of entries) {
    const known = await calls.get(entry);
    const labelled = known ? undefined : await calls.withLabel(entry, room);
    const call = known ?? labelled;
    // Named as the model can pass them again: the label, else the whole callId.
    if (call) resolved.push({ callId: call.callId, name: call.label ?? call.callId, conferenceId: call.conferenceId });
    else if (SEGMENT_RULES.callId.pattern.test(entry) && (hasEvents(entry) || (await waiting.knownToSinch(entry)))) resolved.push({ callId: entry, name: entry });
    else throw new InputError(`callIds: "${entry.slice(0, 40)}" is neither a label this server gave nor a call Sinch knows. ${await knownLabels(calls)}`);
  }
  return resolved;
}

/** "Labels given: "Anna", "Bob"." (the newest ten), for a refusal the model can correct. */
async function knownLabels(calls: CallState): Promise<string> {
  const labels = (await calls.labelled()).slice(-10).map((call) => `"${call.label}"`);
  return labels.length ? `Labels given: ${labels.join(', ')}.` : 'No labels given yet (callouts take a label).';
}

/** The cursor keeps only what the buffer still holds. */
function forgetBefore(returned: Set<number>, oldest: number): void {
  for (const seq of returned) if (seq < oldest) returned.delete(seq);
}

/** One line per event (its summary last: it ends with the quoted caller data, if any), then what is still missing. */
function describe(events: CallEvent[], timedOut: boolean, missing: string[], about: string, timeoutSeconds: number): string {
  const lines = events.map((event) => `${event.type.toUpperCase()}${event.callId ? ` for ${event.label ?? `call ${shortId(event.callId)}`}` : ''} (seq ${event.seq}): ${event.summary}`);
  if (missing.length) lines.push(`Still missing after ${timeoutSeconds} s: ${missing.join(', ')}.`);
  else if (timedOut && !events.length) lines.push(`No matching event${about} within ${timeoutSeconds} s`);
  return lines.join('\n');
}
