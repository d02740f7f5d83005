// libphonenumber with its full ("max") metadata, which tells number types apart (mobile, fixed line,
// premium rate…). Loaded only through loadPhoneNumbers() in phone.ts, so start-up does not pay for it.
// The bundle serves the metadata from a compressed asset (scripts/compressed-assets.mjs).
import { type CountryCode, getCountries, isSupportedCountry as isSupported, parsePhoneNumberFromString } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/metadata.max';

/** A phone number from text; a national number needs defaultCountry. Undefined when it cannot be read. */
export function parsePhoneNumber(text: string, defaultCountry?: string) {
  return parsePhoneNumberFromString(text, { defaultCountry: defaultCountry as CountryCode | undefined }, metadata);
}

export function isSupportedCountry(code: string): boolean {
  return isSupported(code as CountryCode, metadata);
}

/** Every ISO country code the metadata can read national numbers for. */
export function countries(): string[] {
  return getCountries(metadata);
}
