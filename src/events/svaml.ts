// What the receiver answers Sinch for each event (sinch-api-facts.md §5.3).
import type { CallEvent } from './event.js';
import type { PlacedCalls } from './placed-calls.js';

export type SvamlAnswer = { instructions: Array<Record<string, unknown>>; action: Record<string, unknown> };

export const DEFAULT_ICE_ANSWER: SvamlAnswer = {
  instructions: [{ name: 'say', text: 'This number does not take calls right now. Goodbye.', locale: 'en-US' }],
  action: { name: 'hangup' },
};

/** The SVAML to answer with, or undefined for an empty 200 (DiCE, notify). */
export function answerFor(event: CallEvent, placed: PlacedCalls, iceAnswer: SvamlAnswer = DEFAULT_ICE_ANSWER): SvamlAnswer | undefined {
  switch (event.type) {
    case 'ace': {
      const call = event.callId ? placed.get(event.callId) : undefined;
      if (call?.kind === 'conference' && call.conferenceId) {
        return { instructions: [], action: { name: 'connectConf', conferenceId: call.conferenceId } };
      }
      return { instructions: [], action: { name: 'continue' } };
    }
    case 'ice':
      return iceAnswer;
    case 'pie':
      return { instructions: [], action: { name: 'continue' } };
    case 'dice':
    case 'notify':
      return undefined;
  }
}
