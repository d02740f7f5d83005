// Text a person or a model reads: characters that would hide, reorder or break lines of it on screen.

// Control characters (a newline in agent text could forge a line of a preview), soft hyphen, Arabic letter
// mark, Mongolian vowel separator, zero-width marks, line/paragraph separators, bidi embeddings, overrides
// and isolates, deprecated format characters, the byte-order mark and tag characters. JSON.stringify escapes
// the C0 controls itself but leaves all the others as they are.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\u{e0000}-\u{e007f}]/gu;

/** The text with each invisible, reordering or line-breaking character written as a visible escape. */
export function showInvisible(text: string): string {
  return text.replace(INVISIBLE, (c) => {
    const code = c.codePointAt(0)!;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
