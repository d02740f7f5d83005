// What the sandbox answers for a number query: country, type and E.164 from libphonenumber's
// metadata, and a per-minute rate from a small illustrative table (not Sinch's price list).
import { loadPhoneNumbers } from '../sinch/phone.js';

export interface NumberInfo {
  countryId: string;
  numberType: 'Unknown' | 'Fixed' | 'Mobile' | 'Other';
  normalizedNumber: string;
  restricted: boolean;
  rate: { currencyId: string; amount: number };
}

const RATES_USD: Record<string, { Fixed: number; Mobile: number }> = {
  SE: { Fixed: 0.0105, Mobile: 0.0368 },
  US: { Fixed: 0.0085, Mobile: 0.0085 },
  CA: { Fixed: 0.0085, Mobile: 0.0085 },
  GB: { Fixed: 0.0121, Mobile: 0.0353 },
  DE: { Fixed: 0.0125, Mobile: 0.0592 },
  FR: { Fixed: 0.0112, Mobile: 0.0418 },
  NO: { Fixed: 0.0132, Mobile: 0.0405 },
  DK: { Fixed: 0.0118, Mobile: 0.0301 },
  FI: { Fixed: 0.0298, Mobile: 0.0612 },
};
const DEFAULT_RATE = { Fixed: 0.05, Mobile: 0.08 };

export function ratePerMinute(country: string | undefined, type: NumberInfo['numberType']): number {
  const row = (country && RATES_USD[country]) || DEFAULT_RATE;
  return type === 'Mobile' ? row.Mobile : row.Fixed;
}

/** Returns undefined for a number that is not a valid phone number. */
export async function describeNumber(input: string): Promise<NumberInfo | undefined> {
  const { parsePhoneNumber } = await loadPhoneNumbers();
  const parsed = parsePhoneNumber(input.replace(/\s+/g, ''));
  if (!parsed || !parsed.isValid()) return undefined;
  const type = parsed.getType();
  const numberType: NumberInfo['numberType'] =
    type === 'MOBILE' ? 'Mobile' : type === 'FIXED_LINE' || type === 'FIXED_LINE_OR_MOBILE' ? 'Fixed' : type ? 'Other' : 'Unknown';
  const countryId = parsed.country ?? 'ZZ';
  return {
    countryId,
    numberType,
    normalizedNumber: parsed.number,
    restricted: type === 'PREMIUM_RATE' || type === 'SHARED_COST',
    rate: { currencyId: 'USD', amount: ratePerMinute(countryId, numberType) },
  };
}
