// The one preview builder: what a person confirms, built from every field of the request that will be sent.
// The form dialog, the approval page and the token flow all show this same content (text or HTML).
import { describePhone } from '../sinch/phone.js';
import { HIDDEN, isSensitiveKey } from '../support/redact.js';
import { showInvisible } from '../support/text.js';
import type { SinchRequest } from '../sinch/client.js';
import type { ToolKind } from '../kinds/tools.js';

export interface PreviewRow {
  /** Where the value sits in the request, e.g. "destination.endpoint". */
  label: string;
  /** The value as sent; strings are quoted and escaped, so agent text stays visibly data. */
  value: string;
  /** Server-derived context, e.g. the country and type of a phone number. */
  note?: string;
}

export interface Preview {
  title: string;
  /** Fixed facts written by the server, shown first: no agent text can appear in them. */
  facts: string[];
  /** The tool's one-sentence description of the action (may quote agent text). */
  summary: string;
  /** "POST /callouts" */
  request: string;
  rows: PreviewRow[];
}

export interface PreviewInput {
  title: string;
  kind: ToolKind;
  summary: string;
  request: SinchRequest;
  /** What the agent wrote for values the server rewrote, keyed by their path in the body ("ttsCallout.dtmf"). */
  written?: Record<string, string>;
  /** Facts the tool established (e.g. whose app a key is): server text, shown after the builder's own. */
  facts?: string[];
  sandbox: boolean;
  /** A matching recent write that may have happened: a fact the person must weigh. */
  repeated?: string;
}

const E164 = /^\+[1-9]\d{6,14}$/;

export async function buildPreview(input: PreviewInput): Promise<Preview> {
  const rows: PreviewRow[] = [];
  await flatten(input.request.body, '', rows, bodyPrefix(input.request.body), input.written ?? {});
  return {
    title: input.title,
    facts: factsFor(input),
    summary: showInvisible(input.summary),
    request: `${input.request.method} ${input.request.path}`,
    rows,
  };
}

function factsFor(input: PreviewInput): string[] {
  const facts = [
    input.sandbox
      ? 'Sandbox: nothing real happens (simulated; nothing is dialled or billed).'
      : input.kind === 'costly'
        ? 'This rings a real phone and is billed.'
        : 'This acts on your live Sinch account and cannot be undone from here.',
  ];
  if (input.repeated) facts.push(`Possible repeat: ${input.repeated}`);
  if (JSON.stringify(input.request.body ?? null).includes('"startRecording"')) {
    facts.push('This records a live call: every party must be told, and the law where they are must allow it.');
  }
  return [...facts, ...(input.facts ?? [])];
}

/** A callout body is {method, <method>: {...}}: its fields read better without the method prefix. */
function bodyPrefix(body: unknown): string {
  const method = (body as { method?: unknown } | undefined)?.method;
  return typeof method === 'string' && typeof (body as Record<string, unknown>)[method] === 'object' ? method : '';
}

async function flatten(value: unknown, path: string, rows: PreviewRow[], prefix: string, written: Record<string, string>): Promise<void> {
  if (value === undefined) return;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) await flatten(item, `${path}[${index}]`, rows, prefix, written);
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const child = path ? `${path}.${key}` : key;
      if (isSensitiveKey(key)) rows.push({ label: labelFor(child, prefix), value: HIDDEN });
      else await flatten(item, child, rows, prefix, written);
    }
    return;
  }
  const row: PreviewRow = { label: labelFor(path, prefix), value: typeof value === 'string' ? quote(value) : String(value) };
  // What the agent wrote is quoted like any agent text, after the server's own facts.
  const notes = [typeof value === 'string' && E164.test(value) ? await describePhone(value) : undefined, Object.hasOwn(written, path) ? `as written: ${quote(written[path]!)}` : undefined];
  if (notes.some(Boolean)) row.note = notes.filter(Boolean).join('; ');
  rows.push(row);
}

function labelFor(path: string, prefix: string): string {
  if (prefix && path.startsWith(`${prefix}.`)) return path.slice(prefix.length + 1);
  return path || 'body';
}

/** A string as JSON (quotes, newlines and control characters escaped), with invisible characters shown too. */
export function quote(text: string): string {
  return showInvisible(JSON.stringify(text));
}

/** The preview as plain text, for the form dialog and the token flow. */
export function previewText(preview: Preview): string {
  const rows = preview.rows.map((row) => `  ${row.label}: ${row.value}${row.note ? ` (${row.note})` : ''}`);
  return [...preview.facts, preview.summary, `Will send ${preview.request}${rows.length ? ' with:' : ''}`, ...rows].join('\n');
}
