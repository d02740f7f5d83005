// The schemas a tool is registered with, and the results it returns, built the same way for every tool.
import { z } from 'zod';
import { type ToolDefinition, isGuarded } from './define.js';

export const STATUSES = ['done', 'confirmation_required', 'declined', 'cancelled'] as const;
export type Status = (typeof STATUSES)[number];

const confirmationToken = z
  .string()
  .max(200)
  .optional()
  .describe('Token from a confirmation_required answer; pass it only after the user agreed.');

const inputCache = new WeakMap<ToolDefinition, z.ZodObject>();
const outputCache = new WeakMap<ToolDefinition, z.ZodObject>();

/** The tool's own input plus, for guarded tools, the confirmationToken field. */
export function inputSchemaFor(tool: ToolDefinition): z.ZodObject {
  let schema = inputCache.get(tool);
  if (!schema) {
    schema = isGuarded(tool) ? tool.input.extend({ confirmationToken }) : tool.input;
    inputCache.set(tool, schema);
  }
  return schema;
}

export function outputSchemaFor(tool: ToolDefinition): z.ZodObject {
  let schema = outputCache.get(tool);
  if (!schema) {
    schema = z.object({
      status: z.enum(STATUSES),
      sandbox: z.boolean(),
      result: tool.result.optional(),
      preview: z.string().optional(),
      confirmationToken: z.string().optional(),
      expiresAt: z.string().optional(),
    });
    outputCache.set(tool, schema);
  }
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
  const structured = outputSchemaFor(tool).parse({ sandbox, ...fields }) as Record<string, unknown>;
  const prefix = sandbox ? '[sandbox: simulated, nothing real was dialled] ' : '';
  return { content: [{ type: 'text', text: `${prefix}${headline}\n${JSON.stringify(structured)}` }], structuredContent: structured };
}

export function failure(message: string, sandbox: boolean): ToolResult {
  return { content: [{ type: 'text', text: `${sandbox ? '[sandbox] ' : ''}${message}` }], isError: true };
}
