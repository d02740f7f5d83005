// The four restrictions (read-only, toolsets, destination allow-list, callout rate cap). When the environment
// and a flag both give one, the stricter wins, so a flag can tighten what the operator set but never loosen it.
// Saying "no restriction" takes an explicit value (false, all, *); empty or a placeholder is an error.
import { ConfigError } from './error.js';
import type { ConfigSources, Spoken } from './sources.js';
import { wholeNumber, yesNo } from './values.js';

import { TOOLSETS, type Toolset } from '../kinds/tools.js';

export interface Restrictions {
  readOnly: boolean;
  toolsets: Toolset[];
  /** E.164 prefixes; [] means any destination. */
  allowedDestinations: string[];
  maxCalloutsPerMinute: number;
}

const ANY = '*';
type Destinations = string[] | typeof ANY;

export function readRestrictions(sources: ConfigSources): Restrictions {
  const destinations = strictest(
    sources.restriction('SINCH_ALLOWED_DESTINATIONS', 'give a comma list of E.164 prefixes such as +46,+1415555, or * for any destination'),
    parseDestinations,
    (a, b, both) => (a === ANY ? b : b === ANY ? a : commonPrefixes(a, b, both)),
    ANY,
  );
  return {
    readOnly: strictest(sources.restriction('SINCH_READ_ONLY', 'use true or false'), (s) => yesNo(s.label, s.value), (a, b) => a || b, false),
    toolsets: strictest(sources.restriction('SINCH_TOOLSETS', `use a comma list of: ${TOOLSETS.join(', ')}, or all`), parseToolsets, commonToolsets, [...TOOLSETS]),
    allowedDestinations: destinations === ANY ? [] : destinations,
    maxCalloutsPerMinute: strictest(
      sources.restriction('SINCH_MAX_CALLOUTS_PER_MINUTE', 'use a whole number from 1 to 1000'),
      (s) => wholeNumber(s.label, s.value, 1, 1000),
      (a, b) => Math.min(a, b),
      10,
    ),
  };
}

/** The value of the one source that spoke, or the stricter of two; `both` names them for errors. */
function strictest<T>(spoken: Spoken[], parse: (s: Spoken) => T, stricter: (a: T, b: T, both: string) => T, fallback: T): T {
  const values = spoken.map(parse);
  if (values.length === 0) return fallback;
  if (values.length === 1) return values[0]!;
  return stricter(values[0]!, values[1]!, spoken.map((s) => `${s.label}=${JSON.stringify(s.value)}`).join(' and '));
}

function parseToolsets({ label, value }: Spoken): Toolset[] {
  if (value.toLowerCase() === 'all') return [...TOOLSETS];
  const names = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (names.length === 0) throw new ConfigError(`${label}=${JSON.stringify(value)} names no toolset; use a comma list of: ${TOOLSETS.join(', ')}, or all.`);
  for (const name of names) {
    if (!(TOOLSETS as readonly string[]).includes(name)) {
      throw new ConfigError(`${label}: ${JSON.stringify(name)} is not a toolset; use a comma list of: ${TOOLSETS.join(', ')} (or all).`);
    }
  }
  return TOOLSETS.filter((t) => names.includes(t));
}

function commonToolsets(a: Toolset[], b: Toolset[], both: string): Toolset[] {
  const common = a.filter((t) => b.includes(t));
  if (common.length === 0) throw new ConfigError(`${both} have no toolset in common, so no tool would be left; make them overlap.`);
  return common;
}

function parseDestinations({ label, value }: Spoken): Destinations {
  if (value === ANY) return ANY;
  const prefixes = value.split(',').map((s) => s.trim().replace(/[\s-]/g, '')).filter(Boolean);
  if (prefixes.length === 0) {
    throw new ConfigError(`${label}=${JSON.stringify(value)} lists no prefix; give a comma list such as +46,+1415555, or * for any destination.`);
  }
  for (const prefix of prefixes) {
    if (!/^\+[0-9]{1,15}$/.test(prefix)) {
      const hint = prefix === ANY ? '* (any destination) stands alone' : 'use a comma list such as +46,+1415555';
      throw new ConfigError(`${label}: ${JSON.stringify(prefix)} is not an E.164 prefix; ${hint}.`);
    }
  }
  return prefixes;
}

/** Numbers both lists allow: where one prefix extends the other the longer one stays; disjoint ones go. */
function commonPrefixes(a: string[], b: string[], both: string): string[] {
  const common = a.flatMap((x) => b.flatMap((y) => (x.startsWith(y) ? [x] : y.startsWith(x) ? [y] : [])));
  const unique = [...new Set(common)];
  const minimal = unique.filter((p) => !unique.some((q) => q !== p && p.startsWith(q)));
  if (minimal.length === 0) throw new ConfigError(`${both} allow no destination in common; make them overlap.`);
  return minimal;
}
