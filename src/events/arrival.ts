// Receiver mode: whether the events a wait asks for can reach this server at all, so a wait that cannot succeed
// says why at once instead of timing out. Two reasons: Sinch sends this application's events to another URL
// (or to none), or the calls were placed without asking for those events.
import type { SinchClient } from '../sinch/client.js';
import { endpoints } from '../sinch/endpoints.js';
import { SinchApiError } from '../sinch/errors.js';
import { record, text } from '../sinch/read.js';
import type { CallState } from '../state/calls.js';
import type { EventType } from './event.js';

/** Whether Sinch knows the call (on its region): false only on Sinch's 404; any other failure does not say it is unknown. */
export function callLookup(client: SinchClient, calls: CallState) {
  return async (callId: string): Promise<boolean> => {
    try {
      await client.send(await calls.onRegion(endpoints.getCall(callId), callId));
      return true;
    } catch (error) {
      return !(error instanceof SinchApiError && error.details.status === 404);
    }
  };
}

export function arrivalCheck(client: SinchClient, calls: CallState, publicUrl: string) {
  return async (callIds: string[], types: readonly EventType[]): Promise<string | undefined> => {
    const asked = types.filter((type): type is 'ace' | 'dice' => type === 'ace' || type === 'dice');
    if (asked.length === types.length) {
      for (const callId of callIds) {
        const enabled = (await calls.get(callId))?.events;
        if (enabled && asked.every((type) => !enabled[type])) {
          return `Call ${callId} was placed without ${asked.join(' or ').toUpperCase()} events (enableAce / enableDice false), so Sinch will not send them; read its state with get_call_result instead.`;
        }
      }
    }
    // Read at every wait: one small request, and right even just after update_callback_urls.
    const registered = text(record(record(await client.send(endpoints.getCallbackUrls(await client.applicationKey()))).url).primary);
    if (!registered || !URL.canParse(registered) || new URL(registered).toString() !== publicUrl) {
      return `Sinch sends this application's call events to ${registered ?? 'no URL at all'}, not to this server (${publicUrl}), so none can arrive. Register it with update_callback_urls (primary: ${publicUrl}), then wait again.`;
    }
    return undefined;
  };
}
