// Human-written phone numbers (issue 19): compatibility characters, extensions, vanity letters, country codes
// in any case, and a national number without a country answered with its candidates instead of a guess.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/sinch/errors.js';
import { NoCountryError, readPhone, toE164 } from '../../src/sinch/phone.js';
import { plainPhoneText, splitExtension, vanityDigits } from '../../src/sinch/phone-text.js';

describe('plainPhoneText: compatibility characters become the ones libphonenumber reads', () => {
  it.each([
    ['no-break space U+00A0', '+46\u00A070\u00A0123\u00A045\u00A067'],
    ['thin space U+2009', '+46\u200970\u2009123\u200945\u200967'],
    ['narrow no-break space U+202F', '+46\u202F70\u202F123\u202F45\u202F67'],
    ['ideographic space U+3000', '+46\u300070\u3000123\u300045\u300067'],
    ['figure space U+2007 and a tab', '+46\u200770\t123 45 67'],
  ])('every Unicode space: %s', (_name, written) => {
    expect(plainPhoneText(written)).toBe('+46 70 123 45 67');
  });

  it.each([
    ['hyphen U+2010', '\u2010'],
    ['non-breaking hyphen U+2011', '\u2011'],
    ['figure dash U+2012', '\u2012'],
    ['en dash U+2013', '\u2013'],
    ['em dash U+2014', '\u2014'],
    ['minus sign U+2212', '\u2212'],
    ['full-width hyphen-minus U+FF0D', '\uFF0D'],
    ['small hyphen-minus U+FE63', '\uFE63'],
  ])('every dash: %s', (_name, dash) => {
    expect(plainPhoneText(`070${dash}123${dash}45${dash}67`)).toBe('070-123-45-67');
  });

  it('full-width digits and plus (NFKC)', () => {
    expect(plainPhoneText('＋４６ ７０ １２３ ４５ ６７')).toBe('+46 70 123 45 67');
    expect(plainPhoneText('（０７０）１２３')).toBe('(070)123');
  });

  it('invisible marks pasted with a number are dropped', () => {
    expect(plainPhoneText('\u200E+46 70\u200B 123 45 67\u202C')).toBe('+46 70 123 45 67');
  });

  it('the "(0)" trunk prefix, a leading 00 and tel: as today', () => {
    expect(plainPhoneText('+46 (0)73-017 01 01')).toBe('+46 73-017 01 01');
    expect(plainPhoneText('+46 ( 0 ) 73')).toBe('+46  73');
    expect(plainPhoneText('0046 73 017 01 01')).toBe('+46 73 017 01 01');
    expect(plainPhoneText('tel:+1-415-555-0100')).toBe('+1-415-555-0100');
  });
});

describe('splitExtension', () => {
  it.each([
    ['+1 415 555 0100 ext 12'],
    ['+1 415 555 0100 ext. 12'],
    ['+1 415 555 0100, extension 12'],
    ['+1 415 555 0100 EXT: 12'],
    ['+1 415 555 0100 x12'],
    ['+1 415 555 0100 x 12'],
    ['+1 415 555 0100;ext=12'],
    ['+1 415 555 0100#12'],
    ['+1 415 555 0100 # 12#'],
  ])('%s', (written) => {
    expect(splitExtension(written)).toEqual({ number: '+1 415 555 0100', extension: '12' });
  });

  it('leaves a number without one alone, and an x that belongs to a vanity word', () => {
    expect(splitExtension('+46 70 123 45 67')).toEqual({ number: '+46 70 123 45 67' });
    expect(splitExtension('1-800-FEDEX12')).toEqual({ number: '1-800-FEDEX12' });
    expect(splitExtension('1-800-NEXT 12')).toEqual({ number: '1-800-NEXT 12' });
    expect(splitExtension('1-800-FLOWERS ext 7')).toEqual({ number: '1-800-FLOWERS', extension: '7' });
  });
});

describe('vanityDigits', () => {
  it('reads letters as keypad digits (ITU E.161)', () => {
    expect(vanityDigits('1-800-FLOWERS')).toBe('1-800-3569377');
    expect(vanityDigits('+1 800 flowers')).toBe('+1 800 3569377');
    expect(vanityDigits('1-800-ABCDEFGHIJKLMNOPQRSTUVWXYZ')).toBe('1-800-22233344455566677778889999');
  });

  it('only for three or more letters after at least three digits: words and typos stay what they are', () => {
    expect(vanityDigits('call mom')).toBeUndefined();
    expect(vanityDigits('+46 70 123 45 6O')).toBeUndefined();
    expect(vanityDigits('+1 FLOWERS')).toBeUndefined();
    expect(vanityDigits('+46 70 123 45 67')).toBeUndefined();
  });
});

describe('readPhone', () => {
  it('vanity: 1-800-FLOWERS with US, or with +1, is +18003569377, and what was written is kept', async () => {
    expect(await readPhone('1-800-FLOWERS', 'destination', 'US')).toEqual({ e164: '+18003569377', vanity: '1-800-FLOWERS' });
    expect(await readPhone('+1 800 FLOWERS', 'destination')).toEqual({ e164: '+18003569377', vanity: '+1 800 FLOWERS' });
  });

  it('an extension is returned beside the number, never inside it', async () => {
    expect(await readPhone('+1 415 555 0100 ext 12', 'destination')).toEqual({ e164: '+14155550100', extension: '12' });
    expect(await readPhone('+1\u202F415\u202F555\u20130100 x12', 'destination')).toEqual({ e164: '+14155550100', extension: '12' });
  });

  it('compatibility characters parse', async () => {
    expect((await readPhone('＋４６ ７０ １２３ ４５ ６７', 'n')).e164).toBe('+46701234567');
    expect((await readPhone('+46\u202F70\u2009123\u00A045–67', 'n')).e164).toBe('+46701234567');
  });

  it('country codes are case-insensitive; an unknown one says so', async () => {
    expect((await readPhone('070-123 45 67', 'n', 'se')).e164).toBe('+46701234567');
    expect((await readPhone('070-123 45 67', 'n', 'nl')).e164).toBe('+31701234567');
    await expect(readPhone('070-123 45 67', 'n', 'XZ')).rejects.toThrow(/defaultCountry: "XZ" is an unknown country/);
    await expect(readPhone('070-123 45 67', 'n', 'xz')).rejects.toThrow(/unknown country/);
  });

  it('a national number without a country: the candidate countries and types, sorted by code, and no single suggestion', async () => {
    const refused = await readPhone('070-123 45 67', 'destination').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(NoCountryError);
    const { candidates, message } = refused as NoCountryError;
    expect(candidates).toEqual(expect.arrayContaining([
      expect.objectContaining({ e164: '+46701234567', country: 'SE', type: 'mobile', description: '+46 70 123 45 67, Sweden, mobile' }),
      expect.objectContaining({ e164: '+31701234567', country: 'NL', type: 'fixed line' }),
    ]));
    expect(candidates.map((c) => c.country)).toEqual([...candidates.map((c) => c.country)].sort());
    expect(new Set(candidates.map((c) => c.e164)).size).toBe(candidates.length);
    expect(message).toMatch(/^destination: "070-123 45 67" has no country code, and it is a valid number in \d+ countries \(.*NL fixed line.*SE mobile.*\)\. Ask which country is meant/);
    expect(message).not.toMatch(/such as|e\.g\.|for example/);
  });

  it('what is no number in any country is refused without naming a country', async () => {
    const refused = await readPhone('call mom', 'destination').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InputError);
    expect(refused).not.toBeInstanceOf(NoCountryError);
    expect((refused as Error).message).toBe(
      'destination: "call mom" is not a valid phone number. Give it in international form (+ and the country code), or add defaultCountry for a national number.',
    );
  });

  it('toE164 refuses an extension where a number cannot take one', async () => {
    expect(await toE164('+46 73 017 01 01', 'number')).toBe('+46730170101');
    await expect(toE164('+46 73 017 01 01 ext 5', 'number')).rejects.toThrow(/^number: "\+46 73 017 01 01 ext 5" has an extension \(5\), which this number cannot take/);
  });
});
