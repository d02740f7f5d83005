// What the receiver answers Sinch for each event (sinch-api-facts.md §5.3).
import { definedOnly } from '../sinch/read.js';
import type { SvamlAnswer } from '../sinch/svaml.js';
import type { CallRecord } from '../state/calls.js';
import type { ConferenceJoin } from '../sinch/custom.js';
import type { CallEvent } from './event.js';

export type { SvamlAnswer } from '../sinch/svaml.js';

export const DEFAULT_ICE_ANSWER: SvamlAnswer = {
  instructions: [{ name: 'say', text: 'This number does not take calls right now. Goodbye.', locale: 'en-US' }],
  action: { name: 'hangup' },
};

/** What is known about the event's call: the join marker echoed in its custom field, and the call state. */
export interface AnswerContext {
  join?: ConferenceJoin;
  known?: CallRecord;
}

/** The SVAML to answer with, or undefined for an empty 200 (DiCE, notify). */
export function answerFor(event: CallEvent, context: AnswerContext, iceAnswer: SvamlAnswer = DEFAULT_ICE_ANSWER): SvamlAnswer | undefined {
  switch (event.type) {
    case 'ace': {
      const join = conferenceJoin(context);
      if (join) return { instructions: [], action: definedOnly({ name: 'connectConf', ...join }) };
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

/** The room to join: the event's own marker first; the call state fills in what the marker lacks (or all of it for older calls). */
function conferenceJoin({ join, known }: AnswerContext): ConferenceJoin | undefined {
  const remembered = known?.kind === 'conference' && known.conferenceId ? known : undefined;
  const conferenceId = join?.conferenceId ?? remembered?.conferenceId;
  if (!conferenceId) return undefined;
  const sameRoom = remembered?.conferenceId === conferenceId ? remembered : undefined;
  return definedOnly({
    conferenceId,
    moh: join?.moh ?? sameRoom?.moh,
    conferenceDtmfOptions: join?.conferenceDtmfOptions ?? sameRoom?.conferenceDtmfOptions,
  });
}
