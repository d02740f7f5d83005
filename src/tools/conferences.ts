import { z } from 'zod';
import { type ParticipantCommand, endpoints } from '../sinch/endpoints.js';
import { type PlanContext, defineTool, shortId } from './define.js';
import { callId, conferenceId } from './fields.js';
import { number, record, text } from '../sinch/read.js';

const participant = z.object({
  callId: z.string(),
  cli: z.string(),
  durationSeconds: z.number(),
  muted: z.boolean(),
  onHold: z.boolean(),
});

export const getConference = defineTool({
  name: 'get_conference',
  title: 'Get conference participants',
  toolset: 'conferences',
  kind: 'read',
  description:
    'List who is in a conference right now: each participant’s callId, number (cli), seconds connected, muted and on-hold. Use before muting or kicking. Free. Example: "who is still on the line in sales-weekly?"',
  input: z.object({ conferenceId }),
  result: z.object({ conferenceId: z.string(), participants: z.array(participant) }),
  async plan(args) {
    return {
      request: endpoints.getConference(args.conferenceId),
      preview: `List participants of ${args.conferenceId}`,
      read(response) {
        const rows = Array.isArray(record(response).participants) ? (record(response).participants as unknown[]) : [];
        const participants = rows.map((row) => {
          const p = record(row);
          return {
            callId: text(p.id) ?? text(p.callId) ?? '?',
            cli: text(p.cli) ?? '',
            durationSeconds: number(p.duration) ?? 0,
            muted: p.muted === true,
            onHold: p.onhold === true || p.onHold === true,
          };
        });
        const muted = participants.filter((p) => p.muted).length;
        const list = participants.map((p) => `${p.cli || '?'} (${shortId(p.callId)}${p.muted ? ', muted' : ''})`).join(', ');
        return {
          result: { conferenceId: args.conferenceId, participants },
          summary: `${args.conferenceId}: ${participants.length} participant(s), ${muted} muted${list ? `: ${list}` : ''}`,
        };
      },
    };
  },
});

function participantCommand(name: 'mute_participant' | 'unmute_participant', command: ParticipantCommand, title: string, description: string) {
  return defineTool({
    name,
    title,
    toolset: 'conferences',
    kind: 'reversible',
    description,
    input: z.object({ conferenceId, callId: callId.describe('Participant’s callId (from get_conference).') }),
    result: z.object({ conferenceId: z.string(), callId: z.string(), muted: z.boolean() }),
    async plan(args: { conferenceId: string; callId: string }, _ctx: PlanContext) {
      const verb = command === 'mute' ? 'Muted' : 'Unmuted';
      return {
        request: endpoints.manageParticipant(args.conferenceId, args.callId, command),
        preview: `${command === 'mute' ? 'Mute' : 'Unmute'} call ${args.callId} in ${args.conferenceId}`,
        read: () => ({
          result: { conferenceId: args.conferenceId, callId: args.callId, muted: command === 'mute' },
          summary: `${verb} call ${shortId(args.callId)} in conference ${args.conferenceId}`,
        }),
      };
    },
  });
}

export const muteParticipant = participantCommand(
  'mute_participant',
  'mute',
  'Mute a participant',
  'Mute one conference participant (they still hear the room). Undo with unmute_participant. Example: "mute everyone but the host" = get_conference, then this for each other callId.',
);

export const unmuteParticipant = participantCommand(
  'unmute_participant',
  'unmute',
  'Unmute a participant',
  'Unmute one conference participant so the room hears them again. Example: "let +46 70 816 87 31 speak".',
);

export const kickParticipant = defineTool({
  name: 'kick_participant',
  title: 'Kick a participant',
  toolset: 'conferences',
  kind: 'destructive',
  description:
    'Remove one participant from a conference; their call ends. Cannot be undone (you would have to call them again). Needs confirmation. Example: "drop the caller on 0708 from the room".',
  input: z.object({ conferenceId, callId: callId.describe('Participant’s callId (from get_conference).') }),
  result: z.object({ conferenceId: z.string(), callId: z.string(), kicked: z.boolean() }),
  async plan(args) {
    return {
      request: endpoints.kickParticipant(args.conferenceId, args.callId),
      preview: `Remove call ${args.callId} from conference ${args.conferenceId}; their call ends.`,
      read: () => ({
        result: { conferenceId: args.conferenceId, callId: args.callId, kicked: true },
        summary: `Removed call ${shortId(args.callId)} from conference ${args.conferenceId}`,
      }),
    };
  },
});

export const kickAllParticipants = defineTool({
  name: 'kick_all_participants',
  title: 'End a conference',
  toolset: 'conferences',
  kind: 'destructive',
  description: 'Remove every participant from a conference, ending all their calls. Cannot be undone. Needs confirmation. Example: "close the sales-weekly room".',
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
