// Where a request about a call or a room goes. Sinch keeps each call, and each room, on one region; a request
// on another region is answered "not found". This server learns a region only from an incoming call's ICE
// (its callResourceUrl, remembered in the call state); everything else goes to the configured calling URL.
import { type SinchRequest, onRegion } from '../sinch/client.js';
import { type ParticipantCommand, endpoints } from '../sinch/endpoints.js';
import { type CallRecord, roomRegion } from '../state/calls.js';
import type { PlanContext } from './define.js';

/** The requests about one room, each bound to the room's region. */
export interface Room {
  id: string;
  /** The room's regional base URL; undefined for the configured calling URL. */
  regionBase?: string;
  /** The calls this server knows in the room (labelled or not), as the call state has them. */
  known: CallRecord[];
  get(): SinchRequest;
  command(callId: string, command: ParticipantCommand, moh?: string): SinchRequest;
  kick(callId: string): SinchRequest;
  kickAll(): SinchRequest;
}

export async function roomOf(conferenceId: string, ctx: PlanContext): Promise<Room> {
  const known = await ctx.calls.inConference(conferenceId);
  const regionBase = roomRegion(known);
  return {
    id: conferenceId,
    regionBase,
    known,
    get: () => onRegion(endpoints.getConference(conferenceId), regionBase),
    command: (callId, command, moh) => onRegion(endpoints.manageParticipant(conferenceId, callId, command, moh), regionBase),
    kick: (callId) => onRegion(endpoints.kickParticipant(conferenceId, callId), regionBase),
    kickAll: () => onRegion(endpoints.kickAll(conferenceId), regionBase),
  };
}
