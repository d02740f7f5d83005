// The schemas a tool is registered with, and the results it returns, built the same way for every tool.
import { z } from 'zod';
import { showInvisible } from '../support/text.js';
import { VERSION } from '../support/version.js';
import { type ToolDefinition, isGuarded } from './define.js';

export const STATUSES = ['done', 'confirmation_required', 'declined', 'cancelled'] as const;
export type Status = (typeof STATUSES)[number];

const confirmationToken = z
  .string()
  .max(200)
  .optional()
  .describe('Token from a confirmation_required answer; pass it only after the user agreed.');

/** How a session lists its tools: whether the model relays confirmation tokens, whether the client shows views. */
export interface ListingForm {
  tokens: boolean;
  views: boolean;
}

const inputCache = { plain: new WeakMap<ToolDefinition, z.ZodObject>(), withTokens: new WeakMap<ToolDefinition, z.ZodObject>() };
const outputCache = new Map<string, WeakMap<ToolDefinition, z.ZodObject>>();
const envelopeCache = new WeakMap<ToolDefinition, z.ZodObject>();

function cached<T>(cache: WeakMap<ToolDefinition, T>, tool: ToolDefinition, make: () => T): T {
  let value = cache.get(tool);
  if (value === undefined) cache.set(tool, (value = make()));
  return value;
}

/**
 * The tool's own input plus, for guarded tools where the model carries confirmation tokens (`tokens`, see
 * modelCarriesTokens), the confirmationToken field. Where a person answers directly the field is not offered:
 * a token sent anyway is dropped by the input parse, and the person is still asked.
 */
export function inputSchemaFor(tool: ToolDefinition, tokens: boolean): z.ZodObject {
  return cached(tokens ? inputCache.withTokens : inputCache.plain, tool, () =>
    withoutDialect(tokens && isGuarded(tool) ? tool.input.extend({ confirmationToken }) : tool.input),
  );
}

/** The exact envelope: every result is parsed with it before it leaves the server. */
function envelopeFor(tool: ToolDefinition): z.ZodObject {
  let schema = envelopeCache.get(tool);
  if (!schema) {
    schema = z.object({
      status: z.enum(STATUSES),
      sandbox: z.boolean(),
      result: tool.result.optional(),
      preview: z.string().optional(),
      confirmationToken: z.string().optional(),
      expiresAt: z.string().optional(),
      // Done, but something after Sinch accepted it failed (e.g. recording the call): said, never hidden.
      warning: z.string().optional(),
    });
    envelopeCache.set(tool, schema);
  }
  return schema;
}

/**
 * The outputSchema clients are told about: the envelope and the result's fields with their types at every
 * level, without the strictness that only matters inside the server (required result fields, closed
 * objects). A client compiles each tool's outputSchema into a validator when it lists the tools, and
 * that work grows with every keyword, so the listed schema says what a result holds and no more; the
 * parse with envelopeFor() above keeps the results exact. Tools that never ask for confirmation list
 * only `done` and no confirmation fields. The $id lets a client that caches validators by $id (the
 * official SDK does) compile each schema once per session instead of on every tools/list; it names the
 * version, so a newer server's schemas never reuse an older one's validators.
 */
export function outputSchemaFor(tool: ToolDefinition, form: ListingForm): z.ZodObject {
  const key = formSuffix(form);
  let cache = outputCache.get(key);
  if (!cache) outputCache.set(key, (cache = new WeakMap()));
  return cached(cache, tool, () => {
    // `sandbox` is left out: every answer's text says so already, and listed schemas are open to fields they do not name.
    const envelope = open({ result: loose(tool.result).optional(), ...confirmationFields(tool, form) });
    return withoutDialect(envelope).meta({ $id: outputSchemaId(tool, form) });
  });
}

/**
 * The status a tool can answer, with the fields that come with it: a guarded tool may be declined; it may answer
 * confirmation_required where the model relays a token (with the token) or where an approval card decides later.
 */
function confirmationFields(tool: ToolDefinition, form: ListingForm): Record<string, z.ZodType> {
  // An unguarded tool only ever answers done: a listed const would say nothing.
  if (!isGuarded(tool)) return {};
  if (form.tokens) return { status: untyped(z.enum(STATUSES)), preview: z.string().optional(), confirmationToken: z.string().optional(), expiresAt: z.string().optional() };
  if (form.views) return { status: untyped(z.enum(STATUSES)), preview: z.string().optional(), expiresAt: z.string().optional() };
  // Where a person answers at once, the preview of a declined action is in the answer's text: no field to name.
  return { status: untyped(z.enum(STATUSES.filter((status) => status !== 'confirmation_required'))) };
}

/** Marks the $id of a guarded tool's schema in the forms that carry tokens, or that wait for an approval card. */
export const TOKENS_ID_SUFFIX = ':tokens';
export const VIEWS_ID_SUFFIX = ':views';

function formSuffix(form: ListingForm): string {
  return form.tokens ? TOKENS_ID_SUFFIX : form.views ? VIEWS_ID_SUFFIX : '';
}

/** Unique per tool, version and form: a client's validator cached under it always belongs to this very schema. */
export function outputSchemaId(tool: Pick<ToolDefinition, 'name' | 'kind' | 'needsConfirmation'>, form: ListingForm): string {
  return `urn:sinch-mcp:${VERSION}:${tool.name}${isGuarded(tool) ? formSuffix(form) : ''}`;
}

// Listed schemas drop two keys that say nothing: zod's `$schema` (the keywords used here mean the same in
// draft-07 and in MCP's default 2020-12) and an open object's `additionalProperties: {}` (open is the
// default). zod merges a schema's metadata into its JSON Schema, and an undefined value removes the key.
const withoutDialect = <T extends z.ZodType>(schema: T): T => schema.meta({ $schema: undefined });
// A const or an enum of strings already says the type.
const untyped = (schema: z.ZodType) => schema.meta({ type: undefined }).optional();
const open = (shape: Record<string, z.ZodType>) => z.looseObject(shape).meta({ additionalProperties: undefined });

/** The same shape with every object field optional and every object open: what a result may hold, by type. */
function loose(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault) return loose(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodObject) {
    const fields = Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => [name, loose(field).optional()]);
    return open(Object.fromEntries(fields));
  }
  if (schema instanceof z.ZodArray) return z.array(loose(schema.element as z.ZodType));
  if (schema instanceof z.ZodRecord) return open({});
  return schema;
}

export interface ToolResult {
  [key: string]: unknown;
  content: Array<{ type: 'text'; text: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/** A success: the parsed envelope as structuredContent, and a readable line plus the JSON as text. */
export function success(tool: ToolDefinition, sandbox: boolean, headline: string, fields: Record<string, unknown>): ToolResult {
  const structured = envelopeFor(tool).parse({ sandbox, ...fields }) as Record<string, unknown>;
  const prefix = sandbox ? '[sandbox: simulated, nothing real was dialled] ' : '';
  // The JSON copy shows invisible and line-breaking characters as escapes: caller-set text cannot hide in it.
  return { content: [{ type: 'text', text: `${prefix}${headline}\n${showInvisible(JSON.stringify(structured))}` }], structuredContent: structured };
}

export function failure(message: string, sandbox: boolean): ToolResult {
  return { content: [{ type: 'text', text: `${sandbox ? '[sandbox] ' : ''}${message}` }], isError: true };
}
