// Human phone input -> E.164. libphonenumber's metadata is loaded on first use so start-up stays fast.
import { InputError } from './errors.js';
import { plainPhoneText, splitExtension, vanityDigits } from './phone-text.js';

type PhoneNumbers = typeof import('./phone-numbers.js');
let phoneNumbers: Promise<PhoneNumbers> | undefined;
/** The one lazy loader of libphonenumber and its metadata (the sandbox's number lookup uses it too). */
export const loadPhoneNumbers = (): Promise<PhoneNumbers> => (phoneNumbers ??= import('./phone-numbers.js'));

/** What a written phone number means: the number dialled, and what it carried besides. */
export interface PhoneReading {
  /** E.164: what is dialled. */
  e164: string;
  /** Digits written after an extension marker ("ext 12", "x12", ";ext=12", "#12"); never part of e164. */
  extension?: string;
  /** What was written, when its letters were read as keypad digits ("1-800-FLOWERS"). */
  vanity?: string;
}

/** A national number with no country to read it in: the countries it is valid in, for the model to ask about. */
export class NoCountryError extends InputError {
  constructor(
    message: string,
    readonly candidates: NumberCandidate[],
  ) {
    super(message);
  }
}

/**
 * Accepts "+46 (0)73-017 01 01", "0046 73 017 01 01", "073 017 01 01" with a default country, full-width and
 * Unicode-spaced forms, "1-800-FLOWERS" and an extension, and returns what is dialled and what came with it.
 * Refuses anything that is not a valid number, saying what would work; a national number without a country
 * is refused with the countries it could belong to (a NoCountryError), never with a guess.
 */
export async function readPhone(input: string, field: string, defaultCountry?: string): Promise<PhoneReading> {
  const { parsePhoneNumber } = await loadPhoneNumbers();
  const country = await countryCode(defaultCountry);
  const { number, extension } = splitExtension(plainPhoneText(input));
  const vanity = vanityDigits(number);
  const digits = vanity ?? number;
  const written = JSON.stringify(input.slice(0, 40));
  if (!country && !digits.startsWith('+')) {
    const candidates = await nationalCandidates(digits);
    if (candidates.length) {
      const listed = candidates.map((c) => `${c.country} ${c.type}`).join(', ');
      throw new NoCountryError(
        `${field}: ${written} has no country code, and it is a valid number in ${candidates.length === 1 ? '1 country' : `${candidates.length} countries`} (${listed}). Ask which country is meant, then give the number with its +country code or set defaultCountry.`,
        candidates,
      );
    }
  }
  const parsed = parsePhoneNumber(digits, country);
  if (!parsed?.isValid()) {
    const hint = digits.startsWith('+')
      ? 'Check the digits: it is not a valid number for that country code.'
      : country
        ? `It is not a valid ${country} number either; give it in international form (+ and the country code).`
        : 'Give it in international form (+ and the country code), or add defaultCountry for a national number.';
    throw new InputError(`${field}: ${written} is not a valid phone number. ${hint}`);
  }
  return { e164: parsed.number, extension: extension ?? parsed.ext, ...(vanity ? { vanity: input.trim() } : {}) };
}

/** readPhone for a number that is only a number (an owned number, a caller id): an extension there is refused. */
export async function toE164(input: string, field: string, defaultCountry?: string): Promise<string> {
  const { e164, extension } = await readPhone(input, field, defaultCountry);
  if (extension) throw new InputError(`${field}: ${JSON.stringify(input.slice(0, 40))} has an extension (${extension}), which this number cannot take; give the number alone.`);
  return e164;
}

/** "se" -> "SE"; an unknown code is refused by name, before any number is read with it. */
async function countryCode(code: string | undefined): Promise<string | undefined> {
  if (code === undefined) return undefined;
  const upper = code.toUpperCase();
  if (!(await supportsCountry(upper))) throw new InputError(`defaultCountry: "${code}" is an unknown country; give a two-letter ISO 3166-1 code, or the number with its +country code.`);
  return upper;
}

/** One country a national number is valid in. */
export interface NumberCandidate {
  e164: string;
  country: string;
  type: string;
  /** "+46 70 123 45 67, Sweden, mobile" */
  description: string;
}

/** The countries, by code, in which this national number is a valid one. */
async function nationalCandidates(national: string): Promise<NumberCandidate[]> {
  const { countries, parsePhoneNumber } = await loadPhoneNumbers();
  const found: NumberCandidate[] = [];
  for (const country of countries()) {
    const parsed = parsePhoneNumber(national, country);
    // A country that shares its calling code with another (AX and FI) reads the number as the other's: listed once.
    if (parsed?.isValid() && parsed.country === country) {
      found.push({ e164: parsed.number, country, type: TYPE_NAMES[parsed.getType() ?? ''] ?? 'unknown type', description: await describePhone(parsed.number) });
    }
  }
  return found;
}

/** "+46708168731" -> "+46 70 816 87 31", for previews people read. */
export async function forPeople(e164: string): Promise<string> {
  const { parsePhoneNumber } = await loadPhoneNumbers();
  return parsePhoneNumber(e164)?.formatInternational() ?? e164;
}

const TYPE_NAMES: Record<string, string> = {
  MOBILE: 'mobile',
  FIXED_LINE: 'fixed line',
  FIXED_LINE_OR_MOBILE: 'fixed line or mobile',
  TOLL_FREE: 'toll-free',
  PREMIUM_RATE: 'premium rate',
  SHARED_COST: 'shared cost',
  VOIP: 'VoIP',
  PERSONAL_NUMBER: 'personal number',
  PAGER: 'pager',
  UAN: 'company number',
  VOICEMAIL: 'voicemail',
};

/** "+46708168731" -> "+46 70 816 87 31, Sweden, mobile": what a person approving a call needs to see. */
export async function describePhone(e164: string): Promise<string> {
  const { parsePhoneNumber } = await loadPhoneNumbers();
  const parsed = parsePhoneNumber(e164);
  if (!parsed) return 'not a valid phone number';
  const country = parsed.country ? (new Intl.DisplayNames(['en'], { type: 'region' }).of(parsed.country) ?? parsed.country) : 'unknown country';
  const type = TYPE_NAMES[parsed.getType() ?? ''] ?? 'unknown type';
  return `${parsed.formatInternational()}, ${country}, ${type}`;
}

/** "+46708168731" -> "Sweden"; undefined when the number's country is not known. */
export async function countryOf(e164: string): Promise<string | undefined> {
  const { parsePhoneNumber } = await loadPhoneNumbers();
  const country = parsePhoneNumber(e164)?.country;
  return country ? (new Intl.DisplayNames(['en'], { type: 'region' }).of(country) ?? country) : undefined;
}

/** Whether libphonenumber can parse national numbers for this ISO country code (checked at start-up). */
export async function supportsCountry(code: string): Promise<boolean> {
  const { isSupportedCountry } = await loadPhoneNumbers();
  return isSupportedCountry(code);
}
