import { z } from 'zod';
import { NoCountryError, type NumberCandidate, readPhone } from '../sinch/phone.js';
import { endpoints } from '../sinch/endpoints.js';
import { type Plan, type PlanContext, defineTool } from './define.js';
import { defaultCountry, money, phone } from './fields.js';
import { definedOnly, money as readMoney, record, text } from '../sinch/read.js';

export const lookupResult = z.object({
  number: z.string().optional(),
  country: z.string().optional(),
  numberType: z.string().optional(),
  restricted: z.boolean().optional(),
  ratePerMinute: money.optional(),
  candidates: z.array(z.string()).optional(),
});
export type LookupResult = z.infer<typeof lookupResult>;

export const lookupNumber = defineTool({
  name: 'lookup_number',
  title: 'Look up a number',
  toolset: 'lookup',
  kind: 'read',
  description:
    'Look up a number in any format: country, type (mobile/fixed), E.164 form, call restrictions, per-minute rate. Free. Example: "what would it cost to call 070-123 45 67?"',
  input: z.object({ number: phone('number').describe('Phone number, any format.'), defaultCountry }),
  result: lookupResult,
  plan: async (args, ctx) => (await planLookup(args, ctx)).plan,
});

/** The free lookup's plan, and the E.164 number it asks about (none when the number has no country yet). */
export async function planLookup(args: { number: string; defaultCountry?: string }, ctx: PlanContext): Promise<{ plan: Plan<LookupResult>; e164?: string }> {
  let number: string;
  let extension: string | undefined;
  try {
    ({ e164: number, extension } = await readPhone(args.number, 'number', args.defaultCountry ?? ctx.defaultCountry));
  } catch (error) {
    if (error instanceof NoCountryError) return { plan: candidatesAnswer(args.number, error.candidates) };
    throw error;
  }
  // An extension reaches a person behind the number; it changes nothing about the number itself.
  const ignored = extension ? ` (extension ${extension} ignored)` : '';
  const plan: Plan<LookupResult> = {
    request: endpoints.queryNumber(number),
    preview: `Look up ${number}`,
    read(response) {
      // Today's schema answers under "number"; the seed and the OpenAPI example under "numberItem".
      const item = record(record(response).number ?? record(response).numberItem);
      const restricted = item.restricted;
      const result = definedOnly({
        number: text(item.normalizedNumber) ?? number,
        country: text(item.countryId),
        numberType: text(item.numberType),
        restricted: typeof restricted === 'boolean' ? restricted : undefined,
        ratePerMinute: readMoney(item.rate),
      });
      const rate = result.ratePerMinute ? `, ${result.ratePerMinute.amount} ${result.ratePerMinute.currency}/min` : '';
      return { result, summary: `${result.number}: ${result.numberType ?? 'unknown type'} in ${result.country ?? 'unknown country'}${rate}${ignored}` };
    },
  };
  return { plan, e164: number };
}

/**
 * A national number with no country: the answer is the countries it is valid in, and nothing is asked of Sinch
 * until the country is known. `request` names the lookup of the first candidate, which is not sent (a read
 * tool is neither previewed nor audited).
 */
function candidatesAnswer(written: string, candidates: NumberCandidate[]): Plan<LookupResult> {
  const described = candidates.map((c) => c.description);
  return {
    request: endpoints.queryNumber(candidates[0]!.e164),
    preview: `Candidates for ${JSON.stringify(written)}`,
    run: async () => undefined,
    read: () => ({
      result: { candidates: described },
      summary: `${JSON.stringify(written)} has no country code; it is a valid number in ${candidates.length} ${candidates.length === 1 ? 'country' : 'countries'}: ${described.join('; ')}. Ask which country is meant, then look it up with defaultCountry or the +code.`,
    }),
  };
}
