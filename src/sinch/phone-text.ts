// What people write for a phone number, brought to the characters libphonenumber reads. Pure text work,
// so it loads without the phone metadata: compatibility characters, the "(0)" trunk prefix, extensions and
// vanity letters.

/** Invisible format characters (bidi marks, zero-width spaces, soft hyphens) that pasted numbers carry. */
const INVISIBLE = /\p{Cf}/gu;
/** Every space, including no-break, thin and narrow no-break spaces, and line breaks. */
const SPACES = /[\p{Z}\s]+/gu;
/** Every dash: hyphens, en and em dashes, minus signs (U+2212), wave dashes. */
const DASHES = /[\p{Pd}\u2212\u2043\u02D7]/gu;

/**
 * "＋４６ ７０–１２３ ４５ ６７" -> "+46 70-123 45 67": full-width digits and plus (NFKC), every space to one space,
 * every dash to "-", invisible characters gone, "(0)" dropped, a leading "00" or "tel:" read as "+" or nothing.
 */
export function plainPhoneText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(SPACES, ' ')
    .replace(DASHES, '-')
    .trim()
    .replace(/^tel:/i, '')
    // "(0)" is the trunk prefix people write inside international numbers; it is never dialled.
    .replace(/\(\s*0\s*\)/g, '')
    .replace(/^00(?=[1-9])/, '+');
}

/**
 * "+1 415 555 0100 ext 12" (or "x12", ";ext=12", "#12", ", extension 12") -> the number and "12".
 * "x" counts as a marker only where it cannot be a vanity letter (after a digit, a space or a bracket).
 */
const EXTENSION = /^(.*?)\s*,?\s*(?:(?<![A-Za-z])(?:;\s*)?ext(?:ension)?\.?\s*[:=]?|(?<![A-Za-z])x|#)\s*(\d{1,10})\s*#?$/i;

export function splitExtension(text: string): { number: string; extension?: string } {
  const match = EXTENSION.exec(text);
  return match && match[1] ? { number: match[1], extension: match[2] } : { number: text };
}

// ITU E.161 keypad letters.
const KEYPAD: Record<string, string> = Object.fromEntries(
  ['ABC', 'DEF', 'GHI', 'JKL', 'MNO', 'PQRS', 'TUV', 'WXYZ'].flatMap((letters, i) => [...letters].map((letter) => [letter, String(i + 2)])),
);

/**
 * "1-800-FLOWERS" -> "1-800-3569377". Only a number that starts with at least three digits and has at least
 * three letters is read as vanity (as libphonenumber's own rule), so "call mom" or a one-letter typo stays
 * what it is and is refused.
 */
export function vanityDigits(text: string): string | undefined {
  const firstLetter = text.search(/[A-Za-z]/);
  if (firstLetter < 0 || (text.match(/[A-Za-z]/g) ?? []).length < 3) return undefined;
  if ((text.slice(0, firstLetter).match(/\d/g) ?? []).length < 3 || !/^\+?[\d\s().\-/A-Za-z]+$/.test(text)) return undefined;
  return text.replace(/[A-Za-z]/g, (letter) => KEYPAD[letter.toUpperCase()]!);
}
