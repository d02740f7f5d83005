// Where a request about a call or a room goes. Sinch keeps each call, and each room, on one region; a request
// on another region is answered "not found". This server learns a region only from an incoming call's ICE
// (its callResourceUrl, remembered in the call state); everything else goes to the configured calling URL.
import type { SinchRequest } from '../sinch/client.js';
import { type ParticipantCommand, endpoints } from '../sinch/endpoints.js';
import type { CallRecord } from '../state/calls.js';
import type { PlanContext } from './define.js';

/** A request about one call, sent to the region the call lives on when its ICE said so. */
export async function onCallRegion(request: SinchRequest, id: string, ctx: PlanContext): Promise<SinchRequest> {
  return onRegion(request, (await ctx.calls.get(id))?.regionBase);
}

/**
 * The region a room lives on: that of the newest call this server knows in the room that came with a region
 * (a dial-in whose ICE carried a regional callResourceUrl and was answered with connectConf to this room).
 * None: the configured calling URL, where this server's own callouts create and join rooms.
 */
export function roomRegion(known: CallRecord[]): string | undefined {
  const regional = known.filter((c) => c.regionBase).sort((a, b) => (b.seenAt ?? 0) - (a.seenAt ?? 0));
  return regional[0]?.regionBase;
}

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

function onRegion(request: SinchRequest, regionBase: string | undefined): SinchRequest {
  return regionBase ? { ...request, baseUrl: regionBase } : request;
}
