// lookup_number with Sinch project credentials (toolset lookup-plus): the free Calling API lookup and Number
// Lookup v2 side by side, in one tool call. It is a separate definition, chosen by enabledTools(), so the default
// listing stays exactly what it was. The paid add-on failing never loses the free facts: they answer with a note,
// except when the credentials are wrong, which the operator must fix (an error naming the variables, with the
// free facts in it).
import { z } from 'zod';
import { CredentialsError } from '../sinch/errors.js';
import { definedOnly, record, text } from '../sinch/read.js';
import { type Plan, defineTool } from './define.js';
import { type LookupResult, lookupNumber, lookupResult, planLookup } from './lookup.js';

// What a person asks about a line; Sinch's mobile country and network codes are left out (the listing has a byte budget).
const line = z.object({
  carrier: z.string().optional(),
  type: z.string().optional(),
  ported: z.boolean().optional(),
  portingDate: z.string().optional(),
  /** voIPDetection.probability: Low, Likely, High or Unknown. */
  voip: z.string().optional(),
  note: z.string().optional(),
});
type Line = z.infer<typeof line>;
// Not described in the listing: the tool's description says what it holds, and the listing has a byte budget.
const plusResult = lookupResult.extend({ line: line.optional() });
type PlusResult = z.infer<typeof plusResult>;

export const lookupNumberPlus = defineTool({
  ...lookupNumber,
  description:
    'Look up a number in any format: country, type, E.164, restrictions, rate (free); line: carrier, type, porting, VoIP (Number Lookup, billed). Example: "carrier of 0701234567?"',
  result: plusResult,
  async plan(args, ctx): Promise<Plan<PlusResult>> {
    const { plan, e164 } = await planLookup(args, ctx);
    const lookup = ctx.lookupPlus;
    if (e164 === undefined || !lookup) return plan;
    return {
      ...plan,
      preview: `${plan.preview} (with Number Lookup)`,
      async run(send) {
        const [free, paid] = await Promise.allSettled([send(plan.request), lookup(e164)]);
        if (free.status === 'rejected') throw free.reason;
        if (paid.status === 'rejected' && paid.reason instanceof CredentialsError) {
          throw new CredentialsError(`${paid.reason.message} The free lookup answered: ${plan.read(free.value).summary}`);
        }
        return { free: free.value, paid };
      },
      read(response) {
        const { free, paid } = response as { free: unknown; paid: PromiseSettledResult<Record<string, unknown>> };
        const basic = plan.read(free);
        const facts = paid.status === 'fulfilled' ? lineFrom(paid.value) : { note: `${errorText(paid.reason)}; the other facts are from the free lookup.` };
        return { result: { ...basic.result, line: facts } as LookupResult & { line: Line }, summary: `${basic.summary}; ${describe(facts)}` };
      },
    };
  },
});

/** Sinch's answer read tolerantly (line, voIPDetection, and their per-feature errors) into the line facts. */
function lineFrom(answer: Record<string, unknown>): Line {
  const found = record(answer.line);
  const voip = record(answer.voIPDetection);
  const ported = found.ported;
  const missing = [featureError('line type', found.error), featureError('VoIP detection', voip.error)].filter(Boolean);
  return definedOnly({
    carrier: text(found.carrier),
    type: text(found.type),
    ported: typeof ported === 'boolean' ? ported : undefined,
    portingDate: text(found.portingDate),
    voip: text(voip.probability),
    note: missing.length ? missing.join('; ') : undefined,
  });
}

function featureError(feature: string, error: unknown): string | undefined {
  if (error === undefined) return undefined;
  const e = record(error);
  return `no ${feature}: ${text(e.detail) ?? text(e.title) ?? 'Sinch gave no reason'}`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function describe(facts: Line): string {
  const parts = [
    facts.carrier && `carrier ${facts.carrier}`,
    facts.type && `line ${facts.type}`,
    facts.ported === undefined ? undefined : facts.ported ? `ported${facts.portingDate ? ` ${facts.portingDate}` : ''}` : 'not ported',
    facts.voip && `VoIP probability ${facts.voip}`,
    facts.note && `note: ${facts.note}`,
  ].filter(Boolean);
  return `Number Lookup: ${parts.length ? parts.join(', ') : 'no facts'}`;
}
