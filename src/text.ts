// Text a person or a model reads: characters that would hide, reorder or break lines of it on screen.

// C1 controls, soft hyphen, Arabic letter mark, zero-width marks, line/paragraph separators, bidi
// embeddings, overrides and isolates, and the byte-order mark. JSON.stringify leaves all of them as they are.
const INVISIBLE = /[\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** The text with each invisible or reordering character written as a visible \uXXXX escape. */
export function showInvisible(text: string): string {
  return text.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
