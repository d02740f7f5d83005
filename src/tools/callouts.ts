import { z } from 'zod';
import { forPeople } from '../sinch/phone.js';
import { InputError } from '../sinch/errors.js';
import { endpoints } from '../sinch/endpoints.js';
import { type CallRecord, roomRegion } from '../state/calls.js';
import { onRegion } from '../sinch/client.js';
import { containsMarker, withJoinMarker } from '../sinch/custom.js';
import { type Plan, type PlanContext, defineTool } from './define.js';
import { refuseTakenLabel } from './labels.js';
import { DEFAULT_LOCALE, conferenceId, custom, defaultCountry, destination, destinationType, dtmfOnAnswer, enablePie, label, locale, mohClass, phone, spokenText } from './fields.js';
import { type Callee, type DestinationType, callerIdFor, calleeFor } from './callee.js';
import { definedOnly, record, text } from '../sinch/read.js';

const common = {
  destination,
  destinationType,
  cli: phone('cli').optional().describe('Caller id. Default SINCH_CLI.'),
  locale,
  custom,
  enableAce: z.boolean().optional(),
  enableDice: z.boolean().optional(),
  defaultCountry,
  label,
};

const calloutResult = z.object({ callId: z.string(), destination: z.string(), conferenceId: z.string().optional(), label: z.string().optional() });

interface Party extends Callee {
  cli?: string;
  /** How the callee is named in previews. */
  who: string;
  fromWho: string;
}

async function parties(
  args: { destination: string; destinationType: DestinationType; cli?: string; defaultCountry?: string; label?: string; custom?: string; dtmf?: string },
  ctx: PlanContext,
): Promise<Party> {
  if (args.custom !== undefined && containsMarker(args.custom)) throw new InputError('custom: must not contain "~sinch-mcp:" (this server’s marker).');
  const country = args.defaultCountry ?? ctx.defaultCountry;
  const callee = await calleeFor(args, country);
  const callerId = args.cli ? await callerIdFor(args.cli, country) : { cli: ctx.cli, written: {} };
  const cli = callerId.cli;
  return {
    ...callee,
    written: { ...callee.written, ...callerId.written },
    cli,
    who: `${args.label ? `${args.label} (` : ''}${callee.named}${args.label ? ')' : ''}`,
    fromWho: cli ? `from ${await forPeople(cli)}` : 'with no caller id (set cli or SINCH_CLI; some networks reject such calls)',
  };
}

/**
 * Which call events a callout asks Sinch for: what the call says, else both when the callback receiver is on
 * (wait_for_call_event and the ACE answer need them), else none (Sinch's default).
 */
function eventsAskedFor(args: { enableAce?: boolean; enableDice?: boolean }, ctx: PlanContext): { enableAce?: boolean; enableDice?: boolean } {
  const byDefault = ctx.eventsByDefault ? true : undefined;
  return { enableAce: args.enableAce ?? byDefault, enableDice: args.enableDice ?? byDefault };
}

function readCallId(response: unknown): string {
  const callId = text(record(response).callId);
  if (!callId) throw new Error('Sinch accepted the callout but returned no callId; check get_conference or your call logs before retrying');
  return callId;
}

type CalloutResult = z.infer<typeof calloutResult>;

/** The plan both callouts share: one POST /callouts, previewed with who is called and what happens; the call state remembers the rest. */
function calloutPlan(
  method: 'ttsCallout' | 'conferenceCallout',
  body: Record<string, unknown>,
  party: Party,
  then: string,
  known: Omit<CallRecord, 'callId'>,
): Plan<CalloutResult> {
  const conferenceId = known.conferenceId;
  return {
    // A conference callout goes to the room's region (a dial-in room lives there), and the callee lives there too.
    request: onRegion(endpoints.callout({ method, [method]: body }), known.regionBase),
    preview: `Call ${party.who} ${party.fromWho}${party.extension ? `, key in extension ${party.extension} 1 s after answer,` : ''} and ${then}.`,
    callout: party.destination,
    written: Object.fromEntries(Object.entries(party.written).map(([path, text]) => [`${method}.${path}`, text])),
    remember: (result) => ({ callId: result.callId, ...known }),
    read(response) {
      const callId = readCallId(response);
      return {
        result: definedOnly({ callId, destination: party.destination.endpoint, conferenceId, label: known.label }),
        summary: `Calling ${party.who}${conferenceId ? ` into ${conferenceId}` : ''} (call ${callId}); check get_call_result for the outcome`,
      };
    },
  };
}

export const ttsCallout = defineTool({
  name: 'tts_callout',
  title: 'Call and speak a message',
  toolset: 'callouts',
  kind: 'costly',
  description:
    'Ring a phone and speak a message when answered. Billed; needs confirmation. Example: "call +46 70 123 45 67 and say the server is down".',
  input: z.object({
    ...common,
    text: spokenText('text').optional().describe('What to say.'),
    prompts: spokenText('prompts').optional().describe('Instead of text: "#tts[Hi];#href[url]".'),
    dtmf: dtmfOnAnswer,
    enablePie,
  }),
  result: calloutResult,
  async plan(args, ctx) {
    if (!args.text === !args.prompts) throw new InputError('Give exactly one of text or prompts.');
    const party = await parties(args, ctx);
    const events = eventsAskedFor(args, ctx);
    const body = definedOnly({
      cli: party.cli,
      destination: party.destination,
      locale: args.locale ?? DEFAULT_LOCALE,
      text: args.text,
      prompts: args.prompts,
      dtmf: party.dtmf,
      custom: args.custom,
      ...events,
      enablePie: args.enablePie,
    });
    return calloutPlan('ttsCallout', body, party, `say: "${args.text ?? args.prompts}"`, { kind: 'tts', label: args.label, events: { ace: events.enableAce === true, dice: events.enableDice === true } });
  },
});

export const conferenceCallout = defineTool({
  name: 'conference_callout',
  title: 'Call into a conference',
  toolset: 'callouts',
  kind: 'costly',
  description:
    'Ring a phone and join the callee to a room (created on first join). Billed; needs confirmation. Example: "bring Anna (+46 70 816 87 31) into sales-weekly".',
  input: z.object({
    ...common,
    conferenceId,
    greeting: spokenText('greeting').optional().describe('Said before joining.'),
    mohClass: mohClass.describe('Sound while alone.'),
    maxDuration: z.number().int().min(1).max(14_400).optional().describe('Max seconds.'),
    enablePie,
    dtmf: dtmfOnAnswer,
    conferenceDtmfOptions: z
      .object({
        mode: z.enum(['ignore', 'forward', 'detect']).describe('detect sends PIE.'),
        maxDigits: z.number().int().min(1).max(32).optional().describe('Default 1.'),
        timeoutMills: z.number().int().min(100).max(60_000).optional().describe('Default 3000.'),
      })
      .optional()
      .describe('Keypresses in the room.'),
  }),
  result: calloutResult,
  async plan(args, ctx) {
    const party = await parties(args, ctx);
    await refuseTakenLabel(args.conferenceId, args.label, ctx);
    const events = eventsAskedFor(args, ctx);
    const join = definedOnly({ conferenceId: args.conferenceId, moh: args.mohClass, conferenceDtmfOptions: args.conferenceDtmfOptions });
    const body = definedOnly({
      cli: party.cli,
      destination: party.destination,
      conferenceId: args.conferenceId,
      locale: args.locale,
      greeting: args.greeting,
      mohClass: args.mohClass,
      dtmf: party.dtmf,
      conferenceDtmfOptions: args.conferenceDtmfOptions,
      maxDuration: args.maxDuration,
      // With ACE, the answer (connectConf) is derived from this marker, which Sinch echoes in the event.
      custom: events.enableAce ? withJoinMarker(args.custom, join) : args.custom,
      ...events,
      enablePie: args.enablePie,
    });
    const asked = { ace: events.enableAce === true, dice: events.enableDice === true };
    const regionBase = roomRegion(await ctx.calls.inConference(args.conferenceId));
    return calloutPlan('conferenceCallout', body, party, `join them to conference ${args.conferenceId}`, definedOnly({ kind: 'conference', label: args.label, events: asked, regionBase, ...join }));
  },
});
