// Values that go into URL paths. Each is checked against what the API uses, so no input can
// reach another route: '/', '..', '?', '#', '%', whitespace, control and non-ASCII characters never pass.
import { InputError } from './errors.js';

interface SegmentRule {
  pattern: RegExp;
  allowed: string;
}

export const SEGMENT_RULES = {
  callId: { pattern: /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, allowed: '1–128 letters, digits, "-", "_", "." or ":" (as returned by a callout)' },
  conferenceId: { pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, allowed: '1–64 letters, digits, "-", "_" or "."' },
  applicationKey: { pattern: /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/, allowed: 'the application key from the Sinch dashboard (letters, digits and "-")' },
  number: { pattern: /^\+[1-9][0-9]{1,14}$/, allowed: 'an E.164 number such as +46701234567' },
  callLeg: { pattern: /^(caller|callee|both)$/, allowed: '"caller", "callee" or "both"' },
} satisfies Record<string, SegmentRule>;

export type SegmentKind = keyof typeof SEGMENT_RULES;

/** Returns the value unchanged when it is safe as one path segment of its kind; throws InputError otherwise. */
export function pathSegment(kind: SegmentKind, value: string, field: string = kind): string {
  const rule: SegmentRule = SEGMENT_RULES[kind];
  if (typeof value !== 'string' || !rule.pattern.test(value)) {
    throw new InputError(`${field}: ${describeValue(value)} is not allowed here; expected ${rule.allowed}.`);
  }
  return value;
}

function describeValue(value: unknown): string {
  if (typeof value !== 'string') return `a ${typeof value}`;
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return JSON.stringify(shown);
}
