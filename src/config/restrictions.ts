// The four restrictions (read-only, toolsets, destination allow-list, callout rate cap). When the environment
// and a flag both give one, the stricter wins, so a flag can tighten what the operator set but never loosen it.
// Saying "no restriction" takes an explicit value (false, all, *); empty or a placeholder is an error.
import { ConfigError } from './error.js';
import type { ConfigSources, Spoken } from './sources.js';
import { wholeNumber, yesNo } from './values.js';

import { TOOLSETS, type Toolset } from '../kinds/tools.js';
import { type SipPattern, readSipPattern, sipCovers, sipPatternText } from '../support/sip.js';

export interface Restrictions {
  readOnly: boolean;
  toolsets: Toolset[];
  /**
   * E.164 prefixes and "sip:" patterns; [] means any number or in-app user and no SIP address. "*" is listed
   * only beside SIP patterns (any number or user, and those SIP addresses).
   */
  allowedDestinations: string[];
  maxCalloutsPerMinute: number;
}

const ANY = '*';
/** Numbers: E.164 prefixes, or any number or in-app user. SIP addresses are never "any" unless a pattern says so. */
interface Destinations {
  numbers: string[] | typeof ANY;
  sip: SipPattern[];
}
const ANY_NUMBER: Destinations = { numbers: ANY, sip: [] };
const DESTINATIONS_HINT = 'give a comma list of E.164 prefixes such as +46,+1415555 and sip:*@host entries, or * for any destination';

export function readRestrictions(sources: ConfigSources): Restrictions {
  const destinations = strictest(sources.restriction('SINCH_ALLOWED_DESTINATIONS', DESTINATIONS_HINT), parseDestinations, commonDestinations, ANY_NUMBER);
  return {
    readOnly: strictest(sources.restriction('SINCH_READ_ONLY', 'use true or false'), (s) => yesNo(s.label, s.value), (a, b) => a || b, false),
    toolsets: strictest(sources.restriction('SINCH_TOOLSETS', `use a comma list of: ${TOOLSETS.join(', ')}, or all`), parseToolsets, commonToolsets, [...TOOLSETS]),
    allowedDestinations: listed(destinations),
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
  if (value === ANY) return ANY_NUMBER;
  const entries = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0) {
    throw new ConfigError(`${label}=${JSON.stringify(value)} lists no prefix; give a comma list such as +46,+1415555, or * for any destination.`);
  }
  const sip = entries.filter((entry) => /^sip:/i.test(entry)).map((entry) => sipEntry(label, entry));
  const prefixes = entries.filter((entry) => !/^sip:/i.test(entry)).map((entry) => entry.replace(/[\s-]/g, ''));
  // "*" beside SIP entries: any number or user, and those SIP addresses.
  if (prefixes.length === 1 && prefixes[0] === ANY && sip.length > 0) return { numbers: ANY, sip };
  for (const prefix of prefixes) {
    if (!/^\+[0-9]{1,15}$/.test(prefix)) {
      const hint = prefix === ANY ? '* (any destination) stands alone, or beside sip: entries' : 'use a comma list such as +46,+1415555,sip:*@pbx.example.com';
      throw new ConfigError(`${label}: ${JSON.stringify(prefix)} is not an E.164 prefix; ${hint}.`);
    }
  }
  return { numbers: prefixes, sip };
}

function sipEntry(label: string, entry: string): SipPattern {
  const pattern = readSipPattern(entry);
  if (typeof pattern === 'string') throw new ConfigError(`${label}: ${JSON.stringify(entry)} is not a SIP entry (${pattern}); use sip:*@pbx.example.com, sip:alice@pbx.example.com or sip:*.`);
  return pattern;
}

/** What both lists allow; an error when that is nothing at all. */
function commonDestinations(a: Destinations, b: Destinations, both: string): Destinations {
  const numbers = a.numbers === ANY ? b.numbers : b.numbers === ANY ? a.numbers : commonPrefixes(a.numbers, b.numbers);
  const sip = narrowest(a.sip.flatMap((x) => b.sip.flatMap((y) => (sipCovers(y, x) ? [x] : sipCovers(x, y) ? [y] : []))), sipCovers, sipPatternText);
  if (numbers !== ANY && numbers.length === 0 && sip.length === 0) throw new ConfigError(`${both} allow no destination in common; make them overlap.`);
  return { numbers, sip };
}

/** Numbers both lists allow: where one prefix extends the other the longer one stays; disjoint ones go. */
function commonPrefixes(a: string[], b: string[]): string[] {
  const common = a.flatMap((x) => b.flatMap((y) => (x.startsWith(y) ? [x] : y.startsWith(x) ? [y] : [])));
  return narrowest(common, (wide, narrow) => narrow.startsWith(wide), (p) => p);
}

/** Without repeats, and without an entry another one already admits. */
function narrowest<T>(entries: T[], covers: (wide: T, narrow: T) => boolean, key: (entry: T) => string): T[] {
  const unique = [...new Map(entries.map((entry) => [key(entry), entry])).values()];
  return unique.filter((entry) => !unique.some((other) => key(other) !== key(entry) && covers(other, entry)));
}

function listed({ numbers, sip }: Destinations): string[] {
  const patterns = sip.map(sipPatternText);
  if (numbers === ANY) return patterns.length ? [ANY, ...patterns] : [];
  return [...numbers, ...patterns];
}
