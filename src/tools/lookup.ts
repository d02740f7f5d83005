import { z } from 'zod';
import { toE164 } from '../sinch/phone.js';
import { endpoints } from '../sinch/endpoints.js';
import { defineTool } from './define.js';
import { defaultCountry, money, phone } from './fields.js';
import { definedOnly, money as readMoney, record, text } from '../sinch/read.js';

export const lookupNumber = defineTool({
  name: 'lookup_number',
  title: 'Look up a number',
  toolset: 'lookup',
  kind: 'read',
  description:
    'Look up a number in any format: country, type (mobile/fixed), E.164 form, whether calls are restricted, per-minute rate. Free. Example: "what would it cost to call 070-123 45 67 in Sweden?"',
  input: z.object({ number: phone('number').describe('Phone number, any common format.'), defaultCountry }),
  result: z.object({
    number: z.string(),
    country: z.string().optional(),
    numberType: z.string().optional(),
    restricted: z.boolean().optional(),
    ratePerMinute: money.optional(),
  }),
  async plan(args, ctx) {
    const number = await toE164(args.number, 'number', args.defaultCountry ?? ctx.defaultCountry);
    return {
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
        return { result, summary: `${result.number}: ${result.numberType ?? 'unknown type'} in ${result.country ?? 'unknown country'}${rate}` };
      },
    };
  },
});
