import { z } from 'zod';
import type { SinchRequest } from '../sinch/client.js';
import type { ParticipantCommand } from '../sinch/endpoints.js';
import { InputError, SinchApiError } from '../sinch/errors.js';
import { sameLabel } from '../state/calls.js';
import { type PlanContext, defineTool, shortId } from './define.js';
import { callId, conferenceId, labelRef, mohClass, unlistedMax } from './fields.js';
import { type Target, holderIn, liveHolderIn, notPresent } from './labels.js';
import { candidates, describeParticipant, participant, readParticipants } from './participants.js';
import { type Room, roomOf } from './regions.js';

const participantCallId = callId.optional();
const participantLabel = labelRef.optional().describe('Or their label.');

/** One participant, by callId or label (exactly one of them); a label must name someone in the room now. */
async function targetOf(args: { callId?: string; label?: string }, room: Room, ctx: PlanContext): Promise<Target> {
  if ((args.callId === undefined) === (args.label === undefined)) throw new InputError('Give the participant’s callId or label (exactly one).');
  if (args.callId !== undefined) {
    const label = (await ctx.calls.get(args.callId))?.label;
    return label ? { callId: args.callId, label } : { callId: args.callId };
  }
  return liveHolderIn(room, args.label!, ctx);
}

/** "Anna (4398599d…)" for summaries; previews a person approves pass full=true and see the whole call id. */
function named(target: Target, full = false): string {
  const id = full ? target.callId : shortId(target.callId);
  return target.label ? `${target.label} (${id})` : `call ${id}`;
}

export const getConference = defineTool({
  name: 'get_conference',
  title: 'Conference participants',
  toolset: 'conferences',
  kind: 'read',
  description:
    'Who is in a room, first joined first: label, number, join time, muted, on hold. Free. Example: "who joined last?"',
  input: z.object({ conferenceId }),
  result: z.object({ conferenceId: z.string(), participants: z.array(participant) }),
  async plan(args, ctx) {
    const room = await roomOf(args.conferenceId, ctx);
    return {
      request: room.get(),
      preview: `List participants of ${args.conferenceId}`,
      read(response) {
        const participants = readParticipants(response, room.known);
        const muted = participants.filter((p) => p.muted).length;
        const list = participants.map(describeParticipant).join(', ');
        return {
          result: { conferenceId: args.conferenceId, participants },
          summary: `${args.conferenceId}: ${participants.length} participant(s), ${muted} muted${list ? `, first joined first: ${list}` : ''}`,
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
async function commandEach(send: (request: SinchRequest) => Promise<unknown>, room: Room, targets: Target[], command: ParticipantCommand): Promise<Outcome[]> {
  // An outcome names the call by id and label only (a target may also carry its region).
  const nameOf = (t: Target) => (t.label ? { callId: t.callId, label: t.label } : { callId: t.callId });
  if (targets.length === 1) {
    await send(room.command(targets[0]!.callId, command));
    return [{ ...nameOf(targets[0]!), ok: true }];
  }
  const outcomes: Outcome[] = [];
  const queue = [...targets];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const base = nameOf(next);
      try {
        await send(room.command(next.callId, command));
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
      const room = await roomOf(args.conferenceId, ctx);
      const labelOf = new Map(room.known.filter((c) => c.label).map((c) => [c.callId, c.label!]));
      const withLabel = (id: string): Target => (labelOf.has(id) ? { callId: id, label: labelOf.get(id)! } : { callId: id });
      // Unknown and ambiguous labels are refused now; whether their calls are still in the room, when sending.
      const byLabel = (args.labels ?? []).map((label) => holderIn(room, label));
      const chosen = [...(args.callIds ?? []).map(withLabel), ...byLabel];
      // An except entry that is a label names its call; any other entry must be a participant's callId.
      const spared = (args.except ?? []).map((entry) => ({ entry, target: room.known.some((c) => sameLabel(c.label, entry)) ? holderIn(room, entry) : undefined }));
      const who = args.all ? `everyone in ${args.conferenceId}${args.except?.length ? ` except ${args.except.join(', ')}` : ''}` : chosen.map((target) => named(target)).join(', ');
      return {
        request: { ...room.get(), method: 'PATCH', body: { command, all: args.all, callIds: chosen.map((c) => c.callId), except: args.except } },
        preview: `${command === 'mute' ? 'Mute' : 'Unmute'} ${who} in ${args.conferenceId}`,
        async run(send) {
          if (!args.all && !byLabel.length) return commandEach(send, room, chosen, command);
          // One read of the room: everyone for all, and every label and except entry must name someone in it now.
          const present = readParticipants(await send(room.get()), room.known);
          const here = (id: string) => present.some((p) => p.callId === id);
          const missing = [
            ...byLabel.filter((t) => !here(t.callId)).map((t) => notPresent('labels', t, room)),
            ...spared.flatMap(({ target }) => (target && !here(target.callId) ? [notPresent('except', target, room)] : [])),
          ];
          const strangers = spared.filter(({ entry, target }) => !target && !here(entry)).map(({ entry }) => `"${entry}"`);
          if (strangers.length) missing.push(`except: ${strangers.join(', ')} is neither a label nor a participant’s callId in ${args.conferenceId}`);
          if (missing.length) throw new InputError(`${missing.join('; ')}; nobody was ${verb.toLowerCase()}. In the room now: ${candidates(present)}.`);
          const sparedIds = new Set(spared.map(({ entry, target }) => target?.callId ?? entry));
          const everyone = present.filter((p) => !sparedIds.has(p.callId)).map((p) => withLabel(p.callId));
          return commandEach(send, room, args.all ? everyone : chosen, command);
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
    'Mute participants (they still hear the room); one outcome each. Undo: unmute_participants. Example: "mute everyone but the host" = all: true, except: ["host"].',
});

export const unmuteParticipants = bulkMute('unmute', {
  name: 'unmute_participants',
  title: 'Unmute participants',
  description:
    'Unmute participants so the room hears them. Example: "let Anna speak" = labels: ["Anna"].',
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
      const room = await roomOf(args.conferenceId, ctx);
      const target = await targetOf(args, room, ctx);
      const verb = withMoh ? 'Put on hold' : 'Resumed';
      return {
        request: room.command(target.callId, command, withMoh ? args.moh : undefined),
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
  title: 'Hold a participant',
  description:
    'Put one participant on hold (out of the room, optional music). Undo: resume_participant. Example: "put Anna on hold".',
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
    const room = await roomOf(args.conferenceId, ctx);
    const target = await targetOf(args, room, ctx);
    return {
      request: room.kick(target.callId),
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
  description: 'Remove everyone from a conference; their calls end. Needs confirmation. Example: "close the sales-weekly room".',
  input: z.object({ conferenceId }),
  result: z.object({ conferenceId: z.string(), kickedAll: z.boolean() }),
  async plan(args, ctx) {
    return {
      request: (await roomOf(args.conferenceId, ctx)).kickAll(),
      preview: `Remove everyone from conference ${args.conferenceId}; all their calls end.`,
      read: () => ({ result: { conferenceId: args.conferenceId, kickedAll: true }, summary: `Removed everyone from conference ${args.conferenceId}` }),
    };
  },
});
