// The validator the server gives the MCP SDK for form elicitation answers (instead of ajv): the MCP form
// subset of JSON Schema, checked the way ajv (the SDK's default) checks it, and nothing outside that subset.
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv-provider.js';
import type { JsonSchemaType } from '@modelcontextprotocol/sdk/validation/types.js';
import { describe, expect, it } from 'vitest';
import { FormSchemaValidator } from '../../src/mcp/form-schema-validator.js';

const validator = new FormSchemaValidator();
const form = (properties: Record<string, unknown>, required?: string[]) => ({ type: 'object', properties, ...(required ? { required } : {}) }) as JsonSchemaType;
const check = (schema: JsonSchemaType, answer: unknown) => validator.getValidator(schema)(answer);

describe('form schema validator', () => {
  it('checks the server\'s own confirmation form: a ticked box passes, anything else says what is wrong', () => {
    const confirmForm = form({ confirm: { type: 'boolean', title: 'Go ahead?', description: 'Tick to confirm this action.' } }, ['confirm']);
    expect(check(confirmForm, { confirm: true })).toEqual({ valid: true, data: { confirm: true }, errorMessage: undefined });
    expect(check(confirmForm, { confirm: false }).valid).toBe(true);
    expect(check(confirmForm, { confirm: 'yes' })).toEqual({ valid: false, data: undefined, errorMessage: 'confirm must be true or false' });
    expect(check(confirmForm, {}).errorMessage).toBe('confirm is required');
    expect(check(confirmForm, 'yes').errorMessage).toBe('the form answer must be an object');
    // A field named like an Object method is answered only by the answer itself.
    expect(check(form({ constructor: { type: 'string' } }, ['constructor']), {}).errorMessage).toBe('constructor is required');
  });

  it('checks string lengths in characters, enums and titled choices', () => {
    const schema = form({ name: { type: 'string', minLength: 2, maxLength: 3 }, size: { type: 'string', enum: ['S', 'M'], enumNames: ['Small', 'Medium'] }, tone: { type: 'string', oneOf: [{ const: 'calm', title: 'Calm' }] } });
    expect(check(schema, { name: '😀😀😀', size: 'M', tone: 'calm' }).valid).toBe(true);
    expect(check(schema, { name: 'a' }).errorMessage).toBe('name must have at least 2 characters');
    expect(check(schema, { name: 'abcd' }).errorMessage).toBe('name must have at most 3 characters');
    expect(check(schema, { name: 7 }).errorMessage).toBe('name must be string');
    expect(check(schema, { size: 'L', tone: 'loud' }).errorMessage).toBe('size must be one of "S", "M"; tone must be one of "calm"');
  });

  it('checks numbers, integers and their bounds', () => {
    const schema = form({ rate: { type: 'number', minimum: 0.5, maximum: 2 }, count: { type: 'integer', minimum: 1 } }, ['count']);
    expect(check(schema, { rate: 1.5, count: 3 }).valid).toBe(true);
    expect(check(schema, { rate: 0.25, count: 0 }).errorMessage).toBe('rate must be at least 0.5; count must be at least 1');
    expect(check(schema, { rate: 3, count: 1.5 }).errorMessage).toBe('rate must be at most 2; count must be an integer');
    expect(check(schema, { rate: '1', count: 1 }).errorMessage).toBe('rate must be a number');
  });

  it('checks multi-select fields, untitled and titled', () => {
    const schema = form({ days: { type: 'array', minItems: 1, maxItems: 2, items: { type: 'string', enum: ['mon', 'tue', 'wed'] } }, teams: { type: 'array', items: { anyOf: [{ const: 'a', title: 'A' }] } } });
    expect(check(schema, { days: ['mon', 'wed'], teams: ['a'] }).valid).toBe(true);
    expect(check(schema, { days: [] }).errorMessage).toBe('days must have at least 1 choices');
    expect(check(schema, { days: ['mon', 'tue', 'wed'] }).errorMessage).toBe('days must have at most 2 choices');
    expect(check(schema, { days: ['sun'], teams: 'a' }).errorMessage).toBe('days may only contain "mon", "tue", "wed"; teams must be a list of choices');
  });

  it('checks the four formats a form may ask for', () => {
    const schema = form({ email: { type: 'string', format: 'email' }, site: { type: 'string', format: 'uri' }, day: { type: 'string', format: 'date' }, at: { type: 'string', format: 'date-time' } });
    expect(check(schema, { email: 'anna.berg+calls@example.co.uk', site: 'https://example.com/a?b=c', day: '2024-02-29', at: '2026-11-29T12:05:03.120+01:00' }).valid).toBe(true);
    expect(check(schema, { email: 'anna@', site: 'example.com', day: '2023-02-29', at: '2026-11-29T12:05:03' }).errorMessage).toBe(
      'email must be an email address; site must be an absolute URI (such as https://example.com); day must be a date as YYYY-MM-DD; ' +
        'at must be a date and time as YYYY-MM-DDThh:mm:ssZ (or with an offset such as +02:00)',
    );
  });

  it('refuses, naming the keyword, a schema outside what MCP forms allow', () => {
    const refused = (schema: unknown) => () => validator.getValidator(schema as JsonSchemaType);
    expect(refused(form({ code: { type: 'string', pattern: '^\\d+$' } }))).toThrow('Unsupported form schema: form field "code" uses "pattern", which MCP form elicitation does not allow here');
    expect(refused(form({ address: { type: 'object', properties: {} } }))).toThrow('form field "address" has type "object"; a form field is a string, number, integer, boolean or array');
    expect(refused(form({ ip: { type: 'string', format: 'ipv4' } }))).toThrow('form field "ip" has format "ipv4"; allowed formats are email, uri, date, date-time');
    expect(refused(form({ a: { type: 'string' } }, ['b']))).toThrow(`the form schema's "required" must list names of its properties (a)`);
    expect(refused({ type: 'array', items: { type: 'string' } })).toThrow('the form schema uses "items"');
    expect(refused({ type: 'string' })).toThrow('the form schema must have type "object", not "string"');
    expect(refused(form({ n: { type: 'number', minimum: '1' } }))).toThrow('form field "n": "minimum" must be a number');
    expect(refused(form({ c: { type: 'string', enum: [] } }))).toThrow('form field "c": "enum" must be a non-empty list of strings');
  });

  it('agrees with ajv, the SDK\'s default validator, on valid and invalid answers', () => {
    const ajv = new AjvJsonSchemaValidator();
    const schema = form(
      {
        name: { type: 'string', minLength: 1, maxLength: 5 },
        kind: { type: 'string', enum: ['a', 'b'] },
        n: { type: 'integer', minimum: 0, maximum: 10 },
        x: { type: 'number', maximum: 1 },
        ok: { type: 'boolean' },
        email: { type: 'string', format: 'email' },
        site: { type: 'string', format: 'uri' },
        day: { type: 'string', format: 'date' },
        at: { type: 'string', format: 'date-time' },
        tags: { type: 'array', maxItems: 2, items: { type: 'string', enum: ['p', 'q', 'r'] } },
      },
      ['name'],
    );
    const answers: unknown[] = [
      { name: 'x' }, {}, { name: '' }, { name: 'toolong' }, { name: 'x', kind: 'c' }, { name: 'x', kind: 'b', n: 10 }, { name: 'x', n: 11 },
      { name: 'x', n: 2.5 }, { name: 'x', n: -1 }, { name: 'x', x: 1 }, { name: 'x', x: 1.01 }, { name: 'x', ok: 0 }, { name: 'x', ok: false },
      { name: 'x', email: 'a@b.se' }, { name: 'x', email: 'a b@c.se' }, { name: 'x', email: 'a@b' }, { name: 'x', email: '.a@b.se' },
      { name: 'x', site: 'mailto:a@b.se' }, { name: 'x', site: 'https://x.se/a b' }, { name: 'x', site: '/relative' },
      { name: 'x', day: '2024-12-31' }, { name: 'x', day: '2024-13-01' }, { name: 'x', day: '2024-04-31' }, { name: 'x', day: '24-01-01' },
      { name: 'x', at: '2024-01-01T00:00:00Z' }, { name: 'x', at: '2024-01-01T24:00:00Z' }, { name: 'x', at: '2024-01-01T10:00:00' }, { name: 'x', at: '2024-01-01T10:00:00-05:30' },
      { name: 'x', tags: ['p', 'q'] }, { name: 'x', tags: ['p', 'q', 'r'] }, { name: 'x', tags: ['s'] }, { name: 'x', tags: 'p' }, [], null,
    ];
    const ours = validator.getValidator(schema);
    const theirs = ajv.getValidator(schema);
    const disagreements = answers.filter((answer) => ours(answer).valid !== theirs(answer).valid);
    expect(disagreements).toEqual([]);
  });
});
