// The outputSchema each tool lists: lean enough for a client to compile quickly, still naming every field.
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isGuarded } from '../../src/tools/define.js';
import { outputSchemaFor } from '../../src/tools/envelope.js';
import { ALL_TOOLS } from '../../src/tools/index.js';
import { VERSION } from '../../src/support/version.js';

const listed = (tool: (typeof ALL_TOOLS)[number], tokens = true) => z.toJSONSchema(outputSchemaFor(tool, { tokens, views: false }), { target: 'draft-7', io: 'output' }) as Record<string, any>;

/** Every property path in a JSON Schema, e.g. "result.ratePerMinute.amount" or "result.numbers[].capability". */
function paths(schema: any, prefix = ''): string[] {
  if (schema?.type === 'array') return paths(schema.items, `${prefix}[]`);
  return Object.entries<any>(schema?.properties ?? {}).flatMap(([name, field]) => {
    const path = prefix ? `${prefix}.${name}` : name;
    return [path, ...paths(field, path)];
  });
}

describe('listed output schemas', () => {
  it('name every field of the exact result, at every depth, with its type', () => {
    for (const tool of ALL_TOOLS) {
      const exact = z.toJSONSchema(tool.result, { target: 'draft-7', io: 'output' });
      const lean = listed(tool).properties.result;
      expect(paths(lean), tool.name).toEqual(paths(exact));
      expect(JSON.stringify(lean), tool.name).not.toMatch(/"required"|"additionalProperties"|"description"/);
    }
  });

  it('validate the envelopes a tool can return, and reject wrong types and statuses', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    const ajvWithoutTokens = new Ajv({ strict: false, allErrors: true });
    for (const tool of ALL_TOOLS) {
      const validate = ajv.compile(listed(tool));
      expect(validate({ status: 'done', sandbox: true, result: {} }), tool.name).toBe(true);
      expect(validate({ status: 'done', result: 'yes' }), tool.name).toBe(false);
      expect(validate({ status: 'confirmation_required', preview: 'p', confirmationToken: 't', expiresAt: 'e' }), tool.name).toBe(true);
      // A tool that is never guarded only answers done, so its schema names no status at all.
      expect(validate({ status: 'finished' }), tool.name).toBe(!isGuarded(tool));
      const withoutTokens = ajvWithoutTokens.compile(listed(tool, false));
      expect(withoutTokens({ status: 'declined', preview: 'p' }), tool.name).toBe(true);
      expect(withoutTokens({ status: 'confirmation_required' }), tool.name).toBe(!isGuarded(tool));
    }
    const hangup = ajv.getSchema(`urn:sinch-mcp:${VERSION}:hangup_call:tokens`)!;
    expect(hangup({ status: 'done', sandbox: true, result: { callId: 'abc', hungUp: true } })).toBe(true);
    expect(hangup({ status: 'done', sandbox: true, result: { callId: 42, hungUp: true } })).toBe(false);
  });

  it('carry a $id unique to the tool, this version and the form (with or without tokens), so clients can cache the compiled validator', () => {
    const schemas = ALL_TOOLS.flatMap((tool) => [listed(tool, true), listed(tool, false)]);
    const byId = new Map(schemas.map((schema) => [schema.$id, JSON.stringify(schema)]));
    expect(byId.size).toBe(new Set(schemas.map((schema) => JSON.stringify(schema))).size);
    for (const id of byId.keys()) expect(id).toMatch(new RegExp(`^urn:sinch-mcp:${VERSION.replaceAll('.', '\\.')}:[a-z_]+(:tokens)?$`));
    expect(listed(ALL_TOOLS[0]!).$schema).toBeUndefined();
  });
});
