import { z } from 'zod';
import type { SinchRequest } from '../sinch/client.js';
import { type ParticipantCommand, endpoints } from '../sinch/endpoints.js';
import { InputError, SinchApiError } from '../sinch/errors.js';
import { number, record, text } from '../sinch/read.js';
import type { CallRecord } from '../state/calls.js';
import { type PlanContext, defineTool, shortId } from './define.js';
import { callId, conferenceId, mohClass, unlistedMax } from './fields.js';

const labelRef = unlistedMax(z.string().trim(), 40, 'a label is at most 40 characters');
const participantCallId = callId.optional();
const participantLabel = labelRef.optional().describe('Or their label ("Anna").');

const participant = z.object({
  callId: z.string(),
  label: z.string().optional(),
  cli: z.string(),
  durationSeconds: z.number(),
  muted: z.boolean(),
  onHold: z.boolean(),
});

type Participant = z.infer<typeof participant>;

function readParticipants(response: unknown, known: CallRecord[]): Participant[] {
  const rows = Array.isArray(record(response).participants) ? (record(response).participants as unknown[]) : [];
  const labels = new Map(known.filter((c) => c.label).map((c) => [c.callId, c.label!]));
  return rows.map((row) => {
    const p = record(row);
    const id = text(p.id) ?? text(p.callId) ?? '?';
    const label = labels.get(id);
    return {
      callId: id,
      ...(label ? { label } : {}),
      cli: text(p.cli) ?? '',
      durationSeconds: number(p.duration) ?? 0,
      muted: p.muted === true,
      onHold: p.onhold === true || p.onHold === true,
    };
  });
}

/** "Anna +46708168731 (4398599d…, muted)": the label next to the number. */
function describeParticipant(p: Participant): string {
  const flags = [shortId(p.callId), p.muted ? 'muted' : '', p.onHold ? 'on hold' : ''].filter(Boolean).join(', ');
  return `${p.label ? `${p.label} ` : ''}${p.cli || '?'} (${flags})`;
}

/** The call a label names in a conference (case-insensitive); unknown or ambiguous labels are refused with the candidates. */
async function callForLabel(conference: string, label: string, ctx: PlanContext): Promise<{ callId: string; label: string }> {
  const known = await ctx.calls.inConference(conference);
  const matches = known.filter((c) => c.label?.toLowerCase() === label.toLowerCase());
  if (matches.length === 1) return { callId: matches[0]!.callId, label: matches[0]!.label! };
  if (matches.length > 1) {
    throw new InputError(`label "${label}" is ambiguous in ${conference}: ${matches.map((m) => `"${m.label}" (callId ${m.callId})`).join(', ')}; pass the callId instead.`);
  }
  const labels = known.filter((c) => c.label).map((c) => `"${c.label}"`);
  throw new InputError(`label "${label}": nobody in ${conference} has it. Known labels: ${labels.length ? labels.join(', ') : 'none (give one with conference_callout label)'}.`);
}

/** One participant, by callId or label (exactly one of them). */
async function targetOf(args: { conferenceId: string; callId?: string; label?: string }, ctx: PlanContext): Promise<{ callId: string; label?: string }> {
  if ((args.callId === undefined) === (args.label === undefined)) throw new InputError('Give the participant’s callId or label (exactly one).');
  if (args.callId !== undefined) {
    const label = (await ctx.calls.get(args.callId))?.label;
    return label ? { callId: args.callId, label } : { callId: args.callId };
  }
  return callForLabel(args.conferenceId, args.label!, ctx);
}

/** "Anna (4398599d…)" for summaries; previews a person approves pass full=true and see the whole call id. */
function named(target: { callId: string; label?: string }, full = false): string {
  const id = full ? target.callId : shortId(target.callId);
  return target.label ? `${target.label} (${id})` : `call ${id}`;
}

export const getConference = defineTool({
  name: 'get_conference',
  title: 'Get conference participants',
  toolset: 'conferences',
  kind: 'read',
  description:
    'List who is in a conference: callId, label, number, seconds connected, muted, on hold. Free. Example: "who is still on the line in sales-weekly?"',
  input: z.object({ conferenceId }),
  result: z.object({ conferenceId: z.string(), participants: z.array(participant) }),
  async plan(args, ctx) {
    const known = await ctx.calls.inConference(args.conferenceId);
    return {
      request: endpoints.getConference(args.conferenceId),
      preview: `List participants of ${args.conferenceId}`,
      read(response) {
        const participants = readParticipants(response, known);
        const muted = participants.filter((p) => p.muted).length;
        const list = participants.map(describeParticipant).join(', ');
        return {
          result: { conferenceId: args.conferenceId, participants },
          summary: `${args.conferenceId}: ${participants.length} participant(s), ${muted} muted${list ? `: ${list}` : ''}`,
        };
      },
    };
  },
});

const outcome = z.object({ callId: z.string(), label: z.string().optional(), ok: z.boolean(), error: z.string().optional() });
type Outcome = z.infer<typeof outcome>;

/**
 * Sends one command to each participant, a few at a time, and names every outcome (failures included).
 * A single target that fails fails the tool call with Sinch's own error, as a single command would.
 */
async function commandEach(send: (request: SinchRequest) => Promise<unknown>, conference: string, targets: Array<{ callId: string; label?: string }>, command: ParticipantCommand): Promise<Outcome[]> {
  if (targets.length === 1) {
    await send(endpoints.manageParticipant(conference, targets[0]!.callId, command));
    return [{ ...targets[0]!, ok: true }];
  }
  const outcomes: Outcome[] = [];
  const queue = [...targets];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const base = next.label ? { callId: next.callId, label: next.label } : { callId: next.callId };
      try {
        await send(endpoints.manageParticipant(conference, next.callId, command));
        outcomes.push({ ...base, ok: true });
      } catch (error) {
        const details = error instanceof SinchApiError ? error.details : undefined;
        outcomes.push({ ...base, ok: false, error: details ? `${details.status ?? details.kind}: ${details.message}` : (error as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, targets.length) }, worker));
  const order = new Map(targets.map((t, i) => [t.callId, i]));
  return outcomes.sort((a, b) => order.get(a.callId)! - order.get(b.callId)!);
}

interface Naming {
  name: string;
  title: string;
  description: string;
}

/** The shared parts of the reversible participant tools (mute, unmute, hold, resume). */
function reversible(naming: Naming) {
  return { ...naming, toolset: 'conferences' as const, kind: 'reversible' as const };
}

function bulkMute(command: 'mute' | 'unmute', naming: Naming) {
  const verb = command === 'mute' ? 'Muted' : 'Unmuted';
  return defineTool({
    ...reversible(naming),
    input: z.object({
      conferenceId,
      callIds: unlistedMax(z.array(callId), 500, 'callIds takes at most 500 ids').optional().describe('By callId.'),
      labels: unlistedMax(z.array(labelRef), 500, 'labels takes at most 500 labels').optional().describe('By label.'),
      all: z.boolean().optional().describe('Everyone in the room.'),
      except: unlistedMax(z.array(unlistedMax(z.string().trim(), 128, 'an except entry is at most 128 characters')), 500, 'except takes at most 500 entries').optional().describe('With all: callIds or labels to skip.'),
    }),
    result: z.object({ conferenceId: z.string(), muted: z.boolean(), succeeded: z.number(), failed: z.number(), outcomes: z.array(outcome) }),
    async plan(args, ctx) {
      const listed = (args.callIds?.length ?? 0) + (args.labels?.length ?? 0) > 0;
      if (args.all ? listed : !listed) throw new InputError('Give callIds and/or labels, or all: true (optionally with except).');
      if (args.except?.length && !args.all) throw new InputError('except only applies with all: true.');
      const known = await ctx.calls.inConference(args.conferenceId);
      const labelOf = new Map(known.filter((c) => c.label).map((c) => [c.callId, c.label!]));
      const withLabel = (id: string) => (labelOf.has(id) ? { callId: id, label: labelOf.get(id)! } : { callId: id });
      const chosen: Array<{ callId: string; label?: string }> = [...(args.callIds ?? []).map(withLabel)];
      for (const label of args.labels ?? []) chosen.push(await callForLabel(args.conferenceId, label, ctx));
      // except entries that are labels are resolved now; the rest must be callIds of people in the room.
      const knownLabels = new Set(known.flatMap((c) => (c.label ? [c.label.toLowerCase()] : [])));
      const spared = new Set<string>();
      const sparedIds: string[] = [];
      for (const entry of args.except ?? []) {
        if (knownLabels.has(entry.toLowerCase())) spared.add((await callForLabel(args.conferenceId, entry, ctx)).callId);
        else sparedIds.push(entry);
      }
      const who = args.all ? `everyone in ${args.conferenceId}${args.except?.length ? ` except ${args.except.join(', ')}` : ''}` : chosen.map((target) => named(target)).join(', ');
      return {
        request: { base: 'calling', method: 'PATCH', path: endpoints.getConference(args.conferenceId).path, body: { command, all: args.all, callIds: chosen.map((c) => c.callId), except: args.except } },
        preview: `${command === 'mute' ? 'Mute' : 'Unmute'} ${who} in ${args.conferenceId}`,
        async run(send) {
          let targets = chosen;
          if (args.all) {
            const present = readParticipants(await send(endpoints.getConference(args.conferenceId)), known);
            const unknown = sparedIds.filter((id) => !present.some((p) => p.callId === id));
            if (unknown.length) {
              throw new InputError(`except: ${unknown.map((u) => `"${u}"`).join(', ')} is neither a label nor a participant’s callId in ${args.conferenceId}; nobody was ${verb.toLowerCase()}.`);
            }
            for (const id of sparedIds) spared.add(id);
            targets = present.filter((p) => !spared.has(p.callId)).map((p) => (p.label ? { callId: p.callId, label: p.label } : { callId: p.callId }));
          }
          return commandEach(send, args.conferenceId, targets, command);
        },
        read(response) {
          const outcomes = response as Outcome[];
          const failed = outcomes.filter((o) => !o.ok);
          const failures = failed.length ? `; FAILED for ${failed.length}: ${failed.map((o) => `${named(o)} (${o.error})`).join(', ')}` : '';
          return {
            result: { conferenceId: args.conferenceId, muted: command === 'mute', succeeded: outcomes.length - failed.length, failed: failed.length, outcomes },
            summary: `${verb} ${outcomes.length - failed.length} of ${outcomes.length} in ${args.conferenceId}${failures}`,
          };
        },
      };
    },
  });
}

export const muteParticipants = bulkMute('mute', {
  name: 'mute_participants',
  title: 'Mute participants',
  description:
    'Mute participants (they still hear the room) by callIds or labels, or all with except; one outcome each. Undo: unmute_participants. Example: "mute everyone but the host" = all: true, except: ["host"].',
});

export const unmuteParticipants = bulkMute('unmute', {
  name: 'unmute_participants',
  title: 'Unmute participants',
  description:
    'Unmute participants so the room hears them (targets as in mute_participants). Example: "let Anna speak" = labels: ["Anna"].',
});

function holdCommand(command: 'onhold' | 'resume', naming: Naming) {
  const withMoh = command === 'onhold';
  return defineTool({
    ...reversible(naming),
    input: z.object({
      conferenceId,
      callId: participantCallId,
      label: participantLabel,
      ...(withMoh ? { moh: mohClass.describe('Hold music.') } : {}),
    }),
    result: z.object({ conferenceId: z.string(), callId: z.string(), label: z.string().optional(), onHold: z.boolean() }),
    async plan(args: { conferenceId: string; callId?: string; label?: string; moh?: string }, ctx: PlanContext) {
      const target = await targetOf(args, ctx);
      const verb = withMoh ? 'Put on hold' : 'Resumed';
      return {
        request: endpoints.manageParticipant(args.conferenceId, target.callId, command, withMoh ? args.moh : undefined),
        preview: `${withMoh ? `Put ${named(target, true)} on hold${args.moh ? ` (${args.moh})` : ''}` : `Return ${named(target, true)} to the room`} in ${args.conferenceId}`,
        read: () => ({
          result: { conferenceId: args.conferenceId, ...target, onHold: withMoh },
          summary: `${verb} ${named(target)} in conference ${args.conferenceId}`,
        }),
      };
    },
  });
}

export const holdParticipant = holdCommand('onhold', {
  name: 'hold_participant',
  title: 'Put a participant on hold',
  description:
    'Put one participant on hold (out of the room, optional music). Undo with resume_participant. Example: "put Anna on hold".',
});

export const resumeParticipant = holdCommand('resume', {
  name: 'resume_participant',
  title: 'Resume a participant',
  description:
    'Bring a held participant back into the room; undo with hold_participant. Example: "bring Anna back".',
});

export const kickParticipant = defineTool({
  name: 'kick_participant',
  title: 'Kick a participant',
  toolset: 'conferences',
  kind: 'destructive',
  description:
    'Remove one participant from a conference; their call ends. Needs confirmation. Example: "drop Anna from the room".',
  input: z.object({ conferenceId, callId: participantCallId, label: participantLabel }),
  result: z.object({ conferenceId: z.string(), callId: z.string(), label: z.string().optional(), kicked: z.boolean() }),
  async plan(args, ctx) {
    const target = await targetOf(args, ctx);
    return {
      request: endpoints.kickParticipant(args.conferenceId, target.callId),
      preview: `Remove ${named(target, true)} from conference ${args.conferenceId}; their call ends.`,
      read: () => ({
        result: { conferenceId: args.conferenceId, ...target, kicked: true },
        summary: `Removed ${named(target)} from conference ${args.conferenceId}`,
      }),
    };
  },
});

export const kickAllParticipants = defineTool({
  name: 'kick_all_participants',
  title: 'End a conference',
  toolset: 'conferences',
  kind: 'destructive',
  description: 'Remove everyone from a conference, ending all their calls. Needs confirmation. Example: "close the sales-weekly room".',
  input: z.object({ conferenceId }),
  result: z.object({ conferenceId: z.string(), kickedAll: z.boolean() }),
  async plan(args) {
    return {
      request: endpoints.kickAll(args.conferenceId),
      preview: `Remove everyone from conference ${args.conferenceId}; all their calls end.`,
      read: () => ({ result: { conferenceId: args.conferenceId, kickedAll: true }, summary: `Removed everyone from conference ${args.conferenceId}` }),
    };
  },
});
