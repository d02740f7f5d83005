// Checks what a person typed into an MCP form dialog against the form's requestedSchema. The MCP SDK does
// this with ajv by default; a form schema is a small fixed subset of JSON Schema (a flat object of string,
// number, integer, boolean and multi-select fields), so this validator covers exactly that subset and
// keeps ajv out of the bundle. A schema outside the subset is refused when the validator is made, naming
// the keyword, rather than half-checked.
import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';

type Schema = Record<string, unknown>;
/** One rule on a field's value: an error message ("x must ...") or undefined when the value passes. */
type Rule = (value: unknown, field: string) => string | undefined;

const ANNOTATIONS = ['title', 'description', 'default'];
/** The keywords each field type may use in MCP form elicitation (schema of elicitation/create). */
const KEYWORDS: Record<string, string[]> = {
  string: ['minLength', 'maxLength', 'format', 'enum', 'enumNames', 'oneOf'],
  number: ['minimum', 'maximum'],
  integer: ['minimum', 'maximum'],
  boolean: [],
  array: ['minItems', 'maxItems', 'items'],
};

export class FormSchemaValidator implements jsonSchemaValidator {
  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    const check = formCheck(schema as Schema);
    return (input) => {
      const errors = check(input);
      return errors.length === 0 ? { valid: true, data: input as T, errorMessage: undefined } : { valid: false, data: undefined, errorMessage: errors.join('; ') };
    };
  }
}

/** The whole form: an object whose listed properties each pass their field's rules. */
function formCheck(schema: Schema): (input: unknown) => string[] {
  onlyKeywords(schema, ['type', 'properties', 'required', '$schema', 'title', 'description'], 'the form schema');
  if (schema.type !== 'object') throw refusal(`the form schema must have type "object", not ${JSON.stringify(schema.type)}`);
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  if (!isPlainObject(properties)) throw refusal('the form schema\'s "properties" must be an object of fields');
  const required = schema.required ?? [];
  if (!Array.isArray(required) || !required.every((name) => typeof name === 'string' && Object.hasOwn(properties, name))) {
    throw refusal(`the form schema's "required" must list names of its properties (${Object.keys(properties).join(', ') || 'none'})`);
  }
  const fields = Object.entries(properties).map(([name, field]) => ({ name, rules: fieldRules(name, field) }));
  return (input) => {
    if (!isPlainObject(input)) return ['the form answer must be an object'];
    const answered = (name: string) => Object.hasOwn(input, name) && input[name] !== undefined;
    const errors = required.filter((name) => !answered(name)).map((name) => `${name} is required`);
    for (const { name, rules } of fields) {
      if (!answered(name)) continue;
      const error = firstError(rules, input[name], name);
      if (error) errors.push(error);
    }
    return errors;
  };
}

function fieldRules(name: string, field: Schema): Rule[] {
  const where = `form field "${name}"`;
  if (!isPlainObject(field)) throw refusal(`${where} must be a schema object`);
  const type = String(field.type);
  if (!Object.hasOwn(KEYWORDS, type)) throw refusal(`${where} has type ${JSON.stringify(field.type)}; a form field is a string, number, integer, boolean or array (multi-select)`);
  onlyKeywords(field, ['type', ...ANNOTATIONS, ...KEYWORDS[type]!], where);
  switch (type) {
    case 'string':
      return [ofType('string', (v) => typeof v === 'string'), ...lengthRules(field, where), ...choiceRules(field, where), ...formatRules(field, where)];
    case 'number':
      return [ofType('a number', (v) => typeof v === 'number' && Number.isFinite(v)), ...rangeRules(field, where)];
    case 'integer':
      return [ofType('an integer', (v) => Number.isInteger(v)), ...rangeRules(field, where)];
    case 'boolean':
      return [ofType('true or false', (v) => typeof v === 'boolean')];
    default:
      return multiSelectRules(field, where);
  }
}

const ofType =
  (what: string, test: (value: unknown) => boolean): Rule =>
  (value, field) =>
    test(value) ? undefined : `${field} must be ${what}`;

function lengthRules(field: Schema, where: string): Rule[] {
  // JSON Schema counts characters (code points), not UTF-16 units.
  const length = (value: unknown) => [...(value as string)].length;
  const rules: Rule[] = [];
  const min = bound(field, 'minLength', where);
  const max = bound(field, 'maxLength', where);
  if (min !== undefined) rules.push((v, f) => (length(v) >= min ? undefined : `${f} must have at least ${min} characters`));
  if (max !== undefined) rules.push((v, f) => (length(v) <= max ? undefined : `${f} must have at most ${max} characters`));
  return rules;
}

function rangeRules(field: Schema, where: string): Rule[] {
  const rules: Rule[] = [];
  const min = bound(field, 'minimum', where);
  const max = bound(field, 'maximum', where);
  if (min !== undefined) rules.push((v, f) => ((v as number) >= min ? undefined : `${f} must be at least ${min}`));
  if (max !== undefined) rules.push((v, f) => ((v as number) <= max ? undefined : `${f} must be at most ${max}`));
  return rules;
}

/** A single choice: "enum" (untitled or legacy enumNames) or "oneOf" of {const, title}. */
function choiceRules(field: Schema, where: string): Rule[] {
  const choices = field.enum !== undefined ? stringList(field.enum, `${where}: "enum"`) : field.oneOf !== undefined ? titledConsts(field.oneOf, `${where}: "oneOf"`) : undefined;
  return choices ? [(v, f) => (choices.includes(v as string) ? undefined : `${f} must be one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`)] : [];
}

function multiSelectRules(field: Schema, where: string): Rule[] {
  const items = field.items as Schema | undefined;
  if (!isPlainObject(items)) throw refusal(`${where}: an array field needs "items" with the choices ({type: "string", enum} or {anyOf: [{const, title}]})`);
  let choices: string[];
  if (items.anyOf !== undefined) {
    onlyKeywords(items, ['anyOf'], `${where}: "items"`);
    choices = titledConsts(items.anyOf, `${where}: "items.anyOf"`);
  } else {
    onlyKeywords(items, ['type', 'enum'], `${where}: "items"`);
    if (items.type !== 'string') throw refusal(`${where}: "items" must have type "string"`);
    choices = stringList(items.enum, `${where}: "items.enum"`);
  }
  const rules: Rule[] = [
    (v, f) => (Array.isArray(v) ? undefined : `${f} must be a list of choices`),
    (v, f) => ((v as unknown[]).every((item) => choices.includes(item as string)) ? undefined : `${f} may only contain ${choices.map((c) => JSON.stringify(c)).join(', ')}`),
  ];
  const min = bound(field, 'minItems', where);
  const max = bound(field, 'maxItems', where);
  if (min !== undefined) rules.push((v, f) => ((v as unknown[]).length >= min ? undefined : `${f} must have at least ${min} choices`));
  if (max !== undefined) rules.push((v, f) => ((v as unknown[]).length <= max ? undefined : `${f} must have at most ${max} choices`));
  return rules;
}

/** The four string formats MCP form elicitation allows. */
const FORMATS: Record<string, { what: string; test: (value: string) => boolean }> = {
  email: { what: 'an email address', test: isEmail },
  uri: { what: 'an absolute URI (such as https://example.com)', test: isUri },
  date: { what: 'a date as YYYY-MM-DD', test: isDate },
  'date-time': { what: 'a date and time as YYYY-MM-DDThh:mm:ssZ (or with an offset such as +02:00)', test: isDateTime },
};

function formatRules(field: Schema, where: string): Rule[] {
  if (field.format === undefined) return [];
  const name = String(field.format);
  if (!Object.hasOwn(FORMATS, name)) throw refusal(`${where} has format ${JSON.stringify(field.format)}; allowed formats are ${Object.keys(FORMATS).join(', ')}`);
  const format = FORMATS[name]!;
  return [(v, f) => (format.test(v as string) ? undefined : `${f} must be ${format.what}`)];
}

// A dot-separated local part of the characters RFC 5322 allows unquoted, then a host name with a dot.
const EMAIL = /^[\w!#$%&'*+/=?^`{|}~-]+(\.[\w!#$%&'*+/=?^`{|}~-]+)*@([a-z\d]([a-z\d-]{0,61}[a-z\d])?\.)+[a-z\d]([a-z\d-]{0,61}[a-z\d])?$/i;
function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

// RFC 3986: an absolute URI starts with a scheme; URL checks the rest (and has no spaces to accept).
function isUri(value: string): boolean {
  return /^[a-z][a-z\d+.-]*:[^\s]*$/i.test(value) && URL.canParse(value);
}

function isDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return match !== null && isCalendarDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

// RFC 3339 date-time: a second may be 60 (leap second), and an offset or Z is required.
function isDateTime(value: string): boolean {
  const match = /^(\d{4}-\d{2}-\d{2})[tT ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([zZ]|[+-](\d{2}):(\d{2}))$/.exec(value);
  if (!match || !isDate(match[1]!)) return false;
  const [hour, minute, second] = [Number(match[2]), Number(match[3]), Number(match[4])];
  const offsetOk = match[7] === undefined || (Number(match[7]) <= 23 && Number(match[8]) <= 59);
  return hour <= 23 && minute <= 59 && second <= 60 && offsetOk;
}

function isCalendarDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one (leap years included).
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function firstError(rules: Rule[], value: unknown, field: string): string | undefined {
  for (const rule of rules) {
    const error = rule(value, field);
    if (error) return error;
  }
  return undefined;
}

function onlyKeywords(schema: Schema, allowed: string[], where: string): void {
  const other = Object.keys(schema).filter((key) => !allowed.includes(key));
  if (other.length > 0) {
    throw refusal(`${where} uses ${other.map((k) => JSON.stringify(k)).join(', ')}, which MCP form elicitation does not allow here (allowed: ${allowed.join(', ')})`);
  }
}

function bound(schema: Schema, keyword: string, where: string): number | undefined {
  const value = schema[keyword];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw refusal(`${where}: "${keyword}" must be a number`);
  return value;
}

function stringList(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((item) => typeof item === 'string')) throw refusal(`${where} must be a non-empty list of strings`);
  return value;
}

function titledConsts(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((item) => isPlainObject(item) && typeof item.const === 'string')) {
    throw refusal(`${where} must be a non-empty list of {const, title} choices`);
  }
  return value.map((item) => (item as { const: string }).const);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function refusal(reason: string): Error {
  return new Error(`Unsupported form schema: ${reason}.`);
}
