// Human phone input -> E.164. libphonenumber's metadata is loaded on first use so start-up stays fast.
import { InputError } from './errors.js';

type PhoneNumbers = typeof import('./phone-numbers.js');
let phoneNumbers: Promise<PhoneNumbers> | undefined;
/** The one lazy loader of libphonenumber and its metadata (the sandbox's number lookup uses it too). */
export const loadPhoneNumbers = (): Promise<PhoneNumbers> => (phoneNumbers ??= import('./phone-numbers.js'));

/**
 * Accepts "+46 (0)73-017 01 01", "0046 73 017 01 01", or "073 017 01 01" with a default country,
 * and returns "+46730170101". Refuses anything that is not a valid number, saying what would work.
 */
export async function toE164(input: string, field: string, defaultCountry?: string): Promise<string> {
  const { parsePhoneNumber } = await loadPhoneNumbers();
  // "(0)" is the trunk prefix people write inside international numbers; it is never dialled.
  const cleaned = input.trim().replace(/\(0\)/g, '').replace(/^00(?=[1-9])/, '+');
  const parsed = parsePhoneNumber(cleaned, defaultCountry);
  if (parsed?.isValid()) return parsed.number;
  const hint = cleaned.startsWith('+')
    ? 'Check the digits: it is not a valid number for that country code.'
    : defaultCountry
      ? `It is not a valid ${defaultCountry} number either; give it in international form such as +46701234567.`
      : 'Give it in international form such as +46701234567, or add defaultCountry (e.g. "SE") for a national number.';
  throw new InputError(`${field}: ${JSON.stringify(input.slice(0, 40))} is not a valid phone number. ${hint}`);
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
