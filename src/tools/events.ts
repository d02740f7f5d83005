import { z } from 'zod';
import { EVENT_TYPES } from '../events/event.js';
import { defineTool, shortId } from './define.js';
import { callId, conferenceId } from './fields.js';

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
  title: 'Wait for a call event',
  toolset: 'calls',
  kind: 'read',
  needsCallbacks: true,
  description:
    'Wait for the next call event Sinch sends (ace: answered, dice: ended, ice: incoming, pie: menu input) for a call or conference, up to 60 s. Free. Example: "tell me when Anna joins" = wait for ace on her callId.',
  input: z.object({
    callId: callId.optional(),
    conferenceId: conferenceId.optional(),
    events: z.array(z.enum(EVENT_TYPES)).max(5).optional().describe('Event types to wait for (default all).'),
    timeoutSeconds: z.number().int().min(1).max(60).default(30).describe('How long to wait (1–60 s).'),
    afterSeq: z.number().int().min(0).optional().describe('Also return buffered events after this seq (0: all buffered).'),
  }),
  result: z.object({ event: eventView.optional(), timedOut: z.boolean() }),
  async local(args, ctx) {
    if (!ctx.events) throw new Error('The callback receiver is off: set SINCH_CALLBACK_PORT and SINCH_CALLBACK_PUBLIC_URL to receive call events.');
    const filter = { callId: args.callId, conferenceId: args.conferenceId, types: args.events, afterSeq: args.afterSeq };
    const event = await ctx.events.waitFor(filter, args.timeoutSeconds * 1000, ctx.signal);
    const about = args.callId ? ` for call ${shortId(args.callId)}` : args.conferenceId ? ` in ${args.conferenceId}` : '';
    if (!event) return { result: { timedOut: true }, summary: `No matching event${about} within ${args.timeoutSeconds} s` };
    return {
      result: { event, timedOut: false },
      // The event's summary last: it ends with the quoted caller data, if any.
      summary: `${event.type.toUpperCase()}${event.callId ? ` for call ${shortId(event.callId)}` : ''} (seq ${event.seq}): ${event.summary}`,
    };
  },
});
