import { z } from 'zod';
import { toE164 } from '../sinch/phone.js';
import { endpoints } from '../sinch/endpoints.js';
import { defineTool } from './define.js';
import { applicationKey, capability, defaultCountry, phone, unlistedMax, unlistedNonEmpty } from './fields.js';
import { definedOnly, record, text } from '../sinch/read.js';
import { partly } from '../support/redact.js';

const numberRow = z.object({
  number: z.string(),
  capability: z.string().optional(),
  applicationKey: z.string().optional(),
  assignedToThisApp: z.boolean(),
});

export const listNumbers = defineTool({
  name: 'list_numbers',
  title: 'List numbers',
  toolset: 'numbers',
  kind: 'read',
  description:
    'The numbers the account owns, with capability (voice/sms) and assigned app; pick a caller id (cli) here. Free. Example: "which of our numbers can make calls?"',
  input: z.object({}),
  result: z.object({ numbers: z.array(numberRow) }),
  async plan(_args, ctx) {
    const key = await ctx.applicationKey();
    return {
      request: endpoints.listNumbers(),
      preview: 'List the account’s numbers',
      read(response) {
        const rows = Array.isArray(record(response).numbers) ? (record(response).numbers as unknown[]) : [];
        const numbers = rows.map((row) => {
          const r = record(row);
          const app = text(r.applicationkey) ?? text(r.applicationKey);
          return definedOnly({ number: text(r.number) ?? '?', capability: text(r.capability), applicationKey: app, assignedToThisApp: app === key });
        });
        const mine = numbers.filter((n) => n.assignedToThisApp).length;
        return { result: { numbers }, summary: `${numbers.length} number(s), ${mine} assigned to this app` };
      },
    };
  },
});

export const assignNumbers = defineTool({
  name: 'assign_numbers',
  title: 'Assign numbers to an app',
  toolset: 'numbers',
  kind: 'destructive',
  description:
    'Assign owned numbers to a Voice app so calls to them reach it (moves them from any other app). Needs confirmation. Example: "route +1 404 500 5000 to our voice app".',
  input: z.object({
    numbers: unlistedNonEmpty(unlistedMax(z.array(phone('numbers[]')), 100, 'numbers takes at most 100 numbers'), 'numbers needs at least one number').describe('Owned numbers, any format (1–100).'),
    applicationKey,
    capability,
    defaultCountry,
  }),
  result: z.object({ numbers: z.array(z.string()), applicationKey: z.string(), capability: z.string() }),
  async plan(args, ctx) {
    const country = args.defaultCountry ?? ctx.defaultCountry;
    const numberCapability = args.capability ?? 'voice';
    const numbers = await Promise.all(args.numbers.map((n, i) => toE164(n, `numbers[${i}]`, country)));
    const key = args.applicationKey ?? (await ctx.applicationKey());
    return {
      request: endpoints.assignNumbers(numbers, key, numberCapability),
      facts: [await whoseApp(key, ctx)],
      preview: `Assign ${numbers.join(', ')} (${numberCapability}) to app ${key}; they stop reaching any other app.`,
      read: () => ({
        result: { numbers, applicationKey: key, capability: numberCapability },
        summary: `Assigned ${numbers.join(', ')} to app ${key} (${numberCapability})`,
      }),
    };
  },
});

export const unassignNumber = defineTool({
  name: 'unassign_number',
  title: 'Unassign a number',
  toolset: 'numbers',
  kind: 'destructive',
  description:
    'Remove a number from a Voice app: calls to it stop reaching the app. Needs confirmation. Example: "detach +46 73 017 01 01 from the app".',
  input: z.object({ number: phone('number').describe('Owned number, any format.'), applicationKey, capability, defaultCountry }),
  result: z.object({ number: z.string(), applicationKey: z.string(), capability: z.string() }),
  async plan(args, ctx) {
    const number = await toE164(args.number, 'number', args.defaultCountry ?? ctx.defaultCountry);
    const numberCapability = args.capability ?? 'voice';
    const key = args.applicationKey ?? (await ctx.applicationKey());
    return {
      request: endpoints.unassignNumber(number, key, numberCapability),
      facts: [await whoseApp(key, ctx)],
      preview: `Unassign ${number} (${numberCapability}) from app ${key}; calls to it will no longer reach the app.`,
      read: () => ({
        result: { number, applicationKey: key, capability: numberCapability },
        summary: `Unassigned ${number} from app ${key}`,
      }),
    };
  },
});

/** The preview's fact on the key: a person should see at once when numbers move to or from another app. */
async function whoseApp(key: string, ctx: { applicationKey(): Promise<string> }): Promise<string> {
  return key === (await ctx.applicationKey()) ? `The application key is this server's own app (${partly(key)}).` : `The application key is another application: ${partly(key)} (not this server's app).`;
}
