import { z } from 'zod';
import { forPeople, toE164 } from '../phone.js';
import { InputError } from '../sinch/errors.js';
import { endpoints } from '../sinch/endpoints.js';
import { type Plan, type PlanContext, defineTool } from './define.js';
import { conferenceId, custom, defaultCountry, destinationType, locale, phone, spokenText } from './fields.js';
import { definedOnly, record, text } from '../sinch/read.js';

const common = {
  destination: phone('destination').describe('Phone number in any format (a username if destinationType is "username").'),
  destinationType,
  cli: phone('cli').optional().describe('Caller id (one of your numbers). Default: SINCH_CLI.'),
  locale,
  custom,
  enableAce: z.boolean().optional().describe('Send ACE to your callback URL on answer.'),
  enableDice: z.boolean().optional().describe('Send DiCE to your callback URL when it ends.'),
  defaultCountry,
};

const calloutResult = z.object({ callId: z.string(), destination: z.string(), conferenceId: z.string().optional() });

interface Party {
  destination: { type: 'number' | 'username'; endpoint: string };
  cli?: string;
  /** How the callee is named in previews. */
  who: string;
  fromWho: string;
}

async function parties(args: { destination: string; destinationType: 'number' | 'username'; cli?: string; defaultCountry?: string }, ctx: PlanContext): Promise<Party> {
  const country = args.defaultCountry ?? ctx.defaultCountry;
  let endpoint: string;
  if (args.destinationType === 'username') {
    if (!/^[\x21-\x7e]{1,128}$/.test(args.destination)) throw new InputError('destination: a username is 1–128 visible ASCII characters without spaces.');
    endpoint = args.destination;
  } else {
    endpoint = await toE164(args.destination, 'destination', country);
  }
  const cli = args.cli ? await toE164(args.cli, 'cli', country) : ctx.cli;
  return {
    destination: { type: args.destinationType, endpoint },
    cli,
    who: args.destinationType === 'number' ? await forPeople(endpoint) : `user "${endpoint}"`,
    fromWho: cli ? `from ${await forPeople(cli)}` : 'with no caller id (set cli or SINCH_CLI; some networks reject such calls)',
  };
}

function readCallId(response: unknown): string {
  const callId = text(record(response).callId);
  if (!callId) throw new Error('Sinch accepted the callout but returned no callId; check get_conference or your call logs before retrying');
  return callId;
}

type CalloutResult = z.infer<typeof calloutResult>;

/** The plan both callouts share: one POST /callouts, previewed with who is called and what happens. */
function calloutPlan(method: 'ttsCallout' | 'conferenceCallout', body: Record<string, unknown>, party: Party, then: string, conferenceId?: string): Plan<CalloutResult> {
  return {
    request: endpoints.callout({ method, [method]: body }),
    preview: `Call ${party.who} ${party.fromWho} and ${then}.`,
    callout: party.destination,
    read(response) {
      const callId = readCallId(response);
      return {
        result: definedOnly({ callId, destination: party.destination.endpoint, conferenceId }),
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
    'Ring a phone and speak a text-to-speech message when answered. Rings a real person and is billed per minute. Needs confirmation. Give text, or prompts for advanced "#tts[...]"/file lists. Example: "call +46 70 123 45 67 and say the server is down".',
  input: z.object({
    ...common,
    text: spokenText('text').optional().describe('What to say (≤600 chars).'),
    prompts: spokenText('prompts').optional().describe('Instead of text: ";"-separated prompts such as "#tts[Hello];#href[https://…/file.mp3]".'),
  }),
  result: calloutResult,
  async plan(args, ctx) {
    if (!args.text === !args.prompts) throw new InputError('Give exactly one of text or prompts.');
    const party = await parties(args, ctx);
    const body = definedOnly({
      cli: party.cli,
      destination: party.destination,
      locale: args.locale ?? 'en-US',
      text: args.text,
      prompts: args.prompts,
      custom: args.custom,
      enableAce: args.enableAce,
      enableDice: args.enableDice,
    });
    return calloutPlan('ttsCallout', body, party, `say: "${args.text ?? args.prompts}"`);
  },
});

export const conferenceCallout = defineTool({
  name: 'conference_callout',
  title: 'Call someone into a conference',
  toolset: 'callouts',
  kind: 'costly',
  description:
    'Ring a phone and, when answered, join it to a conference room (created on first join). Call once per person. Rings a real person and is billed. Needs confirmation. Example: "bring Anna (+46 70 816 87 31) into sales-weekly".',
  input: z.object({
    ...common,
    conferenceId,
    greeting: spokenText('greeting').optional().describe('Spoken to the callee before joining.'),
    mohClass: z.enum(['ring', 'music1', 'music2', 'music3']).optional().describe('Hold sound while alone in the room.'),
    maxDuration: z.number().int().min(1).max(14_400).optional().describe('Hang up after this many seconds.'),
    enablePie: z.boolean().optional().describe('Send PIE events for menu input.'),
  }),
  result: calloutResult,
  async plan(args, ctx) {
    const party = await parties(args, ctx);
    const body = definedOnly({
      cli: party.cli,
      destination: party.destination,
      conferenceId: args.conferenceId,
      locale: args.locale,
      greeting: args.greeting,
      mohClass: args.mohClass,
      maxDuration: args.maxDuration,
      custom: args.custom,
      enableAce: args.enableAce,
      enableDice: args.enableDice,
      enablePie: args.enablePie,
    });
    return calloutPlan('conferenceCallout', body, party, `join them to conference ${args.conferenceId}`, args.conferenceId);
  },
});
