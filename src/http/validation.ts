import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';
import type { FieldIssue } from '../domain/errors.js';

/**
 * Request validation. Bodies are checked as sent: a JSON `true` or `"01"` is
 * not the number 1, and a field the schema does not list is refused, not
 * dropped (Fastify's defaults coerce and remove). Query strings, path
 * parameters and headers are text by nature, so their numbers are coerced.
 * No text anywhere in a request may hold a NUL character: no field means
 * one, and PostgreSQL cannot store or even compare it (a server error).
 */
const COMMON = { allErrors: true, useDefaults: true, removeAdditional: false, verbose: true, strict: false } as const;

function withFormats(ajv: Ajv): Ajv {
  (addFormats as unknown as (ajv: Ajv) => Ajv)(ajv);
  // OpenAPI's file parts: documentation only, the multipart reader checks them.
  ajv.addFormat('binary', true);
  return ajv;
}

const bodies = withFormats(new Ajv({ ...COMMON, coerceTypes: false }));
const textual = withFormats(new Ajv({ ...COMMON, coerceTypes: 'array' }));

export const validatorCompiler: FastifySchemaCompiler<FastifySchema> = ({ schema, httpPart }): ValidateFunction =>
  refusingNul((httpPart === 'body' ? bodies : textual).compile(schema as object));

/** The schema's validation plus the NUL rule, its issues beside the schema's so every refusal comes at once. */
function refusingNul(validate: ValidateFunction): ValidateFunction {
  const checked = ((data: unknown) => {
    const valid = validate(data);
    const nul = nulErrors(data, '');
    checked.errors = valid && nul.length === 0 ? null : [...(validate.errors ?? []), ...nul];
    return valid && nul.length === 0;
  }) as ValidateFunction;
  return checked;
}

/** Where the data holds a string (a value or a property name) with a NUL character, as Ajv reports a broken rule. */
function nulErrors(data: unknown, path: string, found: ErrorObject[] = []): ErrorObject[] {
  const error = (instancePath: string): ErrorObject => ({ keyword: 'nul', instancePath, schemaPath: '#/nul', params: {}, message: 'must not contain NUL characters' });
  if (typeof data === 'string') {
    if (data.includes('\0')) found.push(error(path));
  } else if (Array.isArray(data)) {
    data.forEach((item, i) => nulErrors(item, `${path}/${i}`, found));
  } else if (data !== null && typeof data === 'object') {
    for (const [key, value] of Object.entries(data)) {
      const child = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (key.includes('\0')) found.push(error(child));
      else nulErrors(value, child, found);
    }
  }
  return found;
}

/** `/od/other_findings/2` as the client names it: `od.other_findings[2]`. */
function fieldOf(instancePath: string, child?: string): string {
  const steps = instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) steps.push(child);
  return steps.reduce((path, step) => (/^\d+$/.test(step) ? `${path}[${step}]` : path === '' ? step : `${path}.${step}`), '');
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object with named fields',
  null: 'empty',
};

const FORMAT_WORDS: Readonly<Record<string, string>> = {
  'date-time': 'a date and time as ISO 8601 (2026-11-30T09:00:00Z)',
  date: 'a date as YYYY-MM-DD',
  uri: 'an absolute URL',
  email: 'an e-mail address',
};

function describe(error: ErrorObject): { rule: string; message: string } {
  const params = error.params as Record<string, unknown>;
  const own = (error.parentSchema as Record<string, unknown> | undefined)?.['x-error'];
  switch (error.keyword) {
    case 'required':
      return { rule: 'required', message: 'is required' };
    case 'additionalProperties':
      return { rule: 'unknown_field', message: 'is not a field of this request' };
    case 'enum':
      return { rule: 'enum', message: `must be one of ${(params.allowedValues as unknown[]).filter((v) => v !== null).map(String).join(', ')}` };
    case 'const':
      return { rule: 'enum', message: `must be ${String(params.allowedValue)}` };
    case 'type': {
      const types = String(params.type).split(',').filter((t) => t !== 'null' || String(params.type) === 'null');
      return { rule: 'type', message: `must be ${types.map((t) => TYPE_WORDS[t] ?? t).join(' or ')}` };
    }
    case 'minimum':
      return { rule: 'range', message: `must be at least ${String(params.limit)}` };
    case 'maximum':
      return { rule: 'range', message: `must be at most ${String(params.limit)}` };
    case 'exclusiveMinimum':
      return { rule: 'range', message: `must be more than ${String(params.limit)}` };
    case 'exclusiveMaximum':
      return { rule: 'range', message: `must be less than ${String(params.limit)}` };
    case 'minLength':
      return { rule: 'min_length', message: Number(params.limit) === 1 ? 'must not be empty' : `must be at least ${String(params.limit)} characters` };
    case 'maxLength':
      return { rule: 'max_length', message: `must be at most ${String(params.limit)} characters` };
    case 'maxItems':
      return { rule: 'max_items', message: `may list at most ${String(params.limit)}` };
    case 'minItems':
      return { rule: 'min_items', message: `must list at least ${String(params.limit)}` };
    case 'uniqueItems':
      return { rule: 'unique', message: 'must not list a value twice' };
    case 'format':
      return { rule: 'format', message: `must be ${FORMAT_WORDS[String(params.format)] ?? `in ${String(params.format)} format`}` };
    case 'nul':
      return { rule: 'control_characters', message: 'must not contain NUL characters' };
    case 'pattern':
      return { rule: 'format', message: typeof own === 'string' ? own : 'is not in the expected format' };
    case 'anyOf':
    case 'oneOf':
      return { rule: 'type', message: typeof own === 'string' ? own : 'is not one of the accepted forms' };
    default:
      return { rule: error.keyword, message: 'is not valid' };
  }
}

/**
 * Ajv's errors as field issues, one per field (the first rule broken): a
 * union's branch errors give way to the union's own message.
 */
export function issuesOfValidation(errors: readonly ErrorObject[], location: string): FieldIssue[] {
  const issues = new Map<string, FieldIssue>();
  const unions = new Set(errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.schemaPath));
  for (const error of errors) {
    // "must match the then schema": the errors of the `then` itself say which field.
    if (error.keyword === 'if') continue;
    // A branch of a failed union: the union's own error speaks for it.
    if ([...unions].some((u) => error.schemaPath !== u && error.schemaPath.startsWith(u.replace(/\/(anyOf|oneOf)$/, '/$1/')))) continue;
    const params = error.params as Record<string, unknown>;
    const child =
      error.keyword === 'required' ? String(params.missingProperty) : error.keyword === 'additionalProperties' ? String(params.additionalProperty) : undefined;
    const field = fieldOf(error.instancePath, child) || (location === 'body' ? 'body' : location);
    if (issues.has(field)) continue;
    issues.set(field, { field, ...describe(error) });
  }
  return [...issues.values()];
}
