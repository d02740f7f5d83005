// Call events across instances: a callback accepted by any instance is published on the shared state, and
// every other instance adds it to its own buffer, so wait_for_call_event and resource subscribers see it
// wherever they are connected, under the one number the shared sequence gave it.
import type { SharedState } from '../state/shared.js';
import type { EventBuffer } from './buffer.js';

const CHANNEL = 'events';

interface Relayed {
  from: string;
  /** Its number in the sequence all instances share. */
  seq: number;
  raw: Record<string, unknown>;
  conferenceId?: string;
  label?: string;
}

export async function shareEvents(buffer: EventBuffer, state: SharedState, instance: string): Promise<() => Promise<void>> {
  let relaying = false;
  const stopLocal = buffer.onEvent((event) => {
    if (relaying) return; // came from another instance: already published there
    const message: Relayed = { from: instance, seq: event.seq, raw: event.raw, conferenceId: event.conferenceId, label: event.label };
    void state.publish(CHANNEL, JSON.stringify(message)).catch(() => undefined);
  });
  const unsubscribe = await state.subscribe(CHANNEL, (text) => {
    const message = JSON.parse(text) as Relayed;
    if (message.from === instance) return;
    relaying = true;
    try {
      buffer.add(message.raw, { conferenceId: message.conferenceId, label: message.label }, message.seq);
    } finally {
      relaying = false;
    }
  });
  return async () => {
    stopLocal();
    await unsubscribe();
  };
}
