// The prompts, each listed only when the tools it walks the agent through are registered.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { removalClause } from '../confirm/texts.js';

export function registerPrompts(server: McpServer, enabled: ReadonlySet<string>, modelCarriesTokens: boolean): void {
  const usable = (...names: string[]) => names.every((name) => enabled.has(name));
  if (usable('get_conference', 'mute_participants', 'kick_participant')) server.registerPrompt(
    'moderate_conference',
    { title: 'Moderate a conference', description: 'Check who is in a conference, mute or unmute people, and remove someone only after the user confirms.', argsSchema: { conferenceId: z.string().describe('The conference room id') } },
    ({ conferenceId }) =>
      userPrompt(
        `Help me moderate the phone conference "${conferenceId}". First call get_conference and show me who is on the line ` +
          '(label or number, how long, muted, on hold) as a short table, and refer to people by their label when they have one. ' +
          'Then ask what I want: mute or unmute people (mute_participants / unmute_participants take callIds or labels, or ' +
          'all: true with an except list, in one call; report every participant the result says failed), put someone on hold ' +
          'or bring them back (hold_participant / resume_participant); these act at once. Or remove someone (kick_participant, ' +
          'by callId or label) or everyone (kick_all_participants). Removing ' +
          'ends their call and cannot be undone: state exactly who will be removed and wait for my explicit yes before calling ' +
          removalClause(modelCarriesTokens) +
          'After each change, list the participants again.',
      ),
  );
  if (usable('lookup_number')) server.registerPrompt(
    'lookup_numbers',
    { title: 'Look up phone numbers', description: 'Find every phone number in a text and look each one up: country, type and rate.', argsSchema: { text: z.string().describe('Free text containing phone numbers in any format') } },
    ({ text }) =>
      userPrompt(
        'Find every phone number in the text below, in whatever format it is written. For each, call lookup_number (pass ' +
          'defaultCountry when a number has no country code and the country is clear from context; otherwise ask me). Then ' +
          'answer with one table: the number as written, E.164, country, mobile or fixed, and the rate per minute. Mention ' +
          `any number that could not be read and why.\n\nText:\n${text}`,
      ),
  );
}

function userPrompt(text: string) {
  return { messages: [{ role: 'user' as const, content: { type: 'text' as const, text } }] };
}
