// What an approval record keeps of its preview: at most STORED_PREVIEW_BYTES, so every pending approval costs a
// known amount of memory or Redis (a maximal manage_call preview is ~120 KB). Long values are cut and what is
// left out is marked, on the page and in a fact shown first; the approval still releases exactly the request
// it was made for (it is bound to the request, not to this text).
import type { Preview, PreviewRow } from './preview.js';

export const STORED_PREVIEW_BYTES = 32 * 1024;
/** No single value may take more than this many characters of the page. */
const VALUE_CHARS = 2_048;
export const SHORTENED_FACT = 'This preview is shortened for storage: values marked "[… cut]" and any fields listed as not shown are sent in full.';

export function boundPreview(preview: Preview, maxBytes = STORED_PREVIEW_BYTES): Preview {
  let cut = false;
  const clip = (text: string) => {
    if (text.length <= VALUE_CHARS) return text;
    cut = true;
    return `${text.slice(0, VALUE_CHARS)}[… cut: ${text.length - VALUE_CHARS} more characters]`;
  };
  const summary = clip(preview.summary);
  let budget = maxBytes - size({ ...preview, summary, rows: [] }) - size(SHORTENED_FACT) - 256;
  const rows: PreviewRow[] = [];
  for (const [index, row] of preview.rows.entries()) {
    const kept: PreviewRow = { label: clip(row.label), value: clip(row.value), ...(row.note === undefined ? {} : { note: clip(row.note) }) };
    budget -= size(kept);
    if (budget < 0) {
      rows.push({ label: '…', value: `${preview.rows.length - index} more fields not shown (stored previews are limited to ${Math.round(maxBytes / 1024)} KiB)` });
      cut = true;
      break;
    }
    rows.push(kept);
  }
  return cut ? { ...preview, facts: [...preview.facts, SHORTENED_FACT], summary, rows } : preview;
}

function size(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}
