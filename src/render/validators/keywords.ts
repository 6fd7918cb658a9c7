/**
 * Which JSON Schema keywords the generated validators understand, and readers for their values
 * that turn a malformed or unsupported schema into a UserError saying where it is.
 */

import { UserError } from '../../errors.js';
import type { JsonType, Primitive } from './ir.js';

/** Keywords that change validation and are compiled. */
const SUPPORTED: readonly string[] = [
  'type',
  'nullable',
  'enum',
  'const',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
];

/**
 * Keywords that change validation (in draft-07 as ajv runs it, in later drafts, or through
 * ajv-formats) but that the generated validators do not implement. Every other keyword is an
 * annotation (title, description, examples, default, discriminator, x-*...) or unknown, and is
 * ignored exactly as ajv does with `strict: false`.
 */
export const UNSUPPORTED = new Set([
  'patternProperties',
  'dependencies',
  'dependentRequired',
  'dependentSchemas',
  'if',
  'contains',
  'minContains',
  'maxContains',
  'uniqueItems',
  'propertyNames',
  'prefixItems',
  'unevaluatedItems',
  'unevaluatedProperties',
  '$ref',
  '$recursiveRef',
  '$dynamicRef',
  'formatMinimum',
  'formatMaximum',
  'formatExclusiveMinimum',
  'formatExclusiveMaximum',
]);

const TYPES: ReadonlySet<string> = new Set(['null', 'boolean', 'integer', 'number', 'string', 'array', 'object']);

/** Where a keyword sits, for messages: the named schema (or event payload) and the JSON path inside it. */
export interface Where {
  /** `schema 'Call'` or `the payload of event 'call.created'`. */
  owner: string;
  /** JSON Pointer inside the owner, '' for its root. */
  pointer: string;
}

export function describe(where: Where, keyword?: string): string {
  const pointer = keyword === undefined ? where.pointer : `${where.pointer}/${keyword}`;
  return pointer === '' ? where.owner : `${where.owner} at ${pointer}`;
}

export function unsupported(keyword: string, where: Where, why = ''): UserError {
  return new UserError(
    `The keyword '${keyword}' in ${describe(where)}${why} is not supported by the generated validators; ` +
      `remove it or rewrite it with supported keywords, because the receiver cannot validate it.`,
    {
      location: describe(where, keyword),
      hint: `Supported: ${SUPPORTED.map((name) => (name === 'items' ? 'items (one schema)' : name)).join(', ')}.`,
    },
  );
}

export function malformed(keyword: string, where: Where, expected: string): UserError {
  return new UserError(`The keyword '${keyword}' in ${describe(where)} must be ${expected}.`, {
    location: describe(where, keyword),
    hint: 'Fix the schema in the AsyncAPI document.',
  });
}

/** Throws for the first unsupported keyword present (in code-unit order, so the report is stable). */
export function rejectUnsupported(schema: Record<string, unknown>, keys: readonly string[], where: Where): void {
  for (const key of keys) {
    if (!UNSUPPORTED.has(key)) continue;
    // `uniqueItems: false` asks for nothing.
    if (key === 'uniqueItems' && schema[key] === false) continue;
    throw unsupported(key, where);
  }
  if (Array.isArray(schema['items'])) {
    throw unsupported('items', where, ' (tuple form: an array of schemas)');
  }
}

export function readTypes(schema: Record<string, unknown>, where: Where): JsonType[] | undefined {
  const raw = schema['type'];
  if (raw === undefined) return undefined;
  const list = Array.isArray(raw) ? raw : [raw];
  const types: JsonType[] = [];
  for (const item of list) {
    if (typeof item !== 'string' || !TYPES.has(item)) {
      throw malformed(
        'type',
        where,
        'one of null, boolean, integer, number, string, array, object (or a list of them)',
      );
    }
    if (!types.includes(item as JsonType)) types.push(item as JsonType);
  }
  const nullable = schema['nullable'];
  if (nullable !== undefined && typeof nullable !== 'boolean') throw malformed('nullable', where, 'true or false');
  if (nullable === true && !types.includes('null')) types.push('null');
  return types.length === 0 ? undefined : types;
}

export function readPrimitive(value: unknown, keyword: string, where: Where): Primitive {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw unsupported(keyword, where, ' (only string, number, boolean and null values are supported)');
}

export function readNumber(schema: Record<string, unknown>, keyword: string, where: Where): number | undefined {
  const value = schema[keyword];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw malformed(keyword, where, 'a number');
  if (keyword === 'multipleOf' && value <= 0) throw malformed(keyword, where, 'a number greater than 0');
  return value;
}

export function readCount(schema: Record<string, unknown>, keyword: string, where: Where): number | undefined {
  const value = schema[keyword];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw malformed(keyword, where, 'a non-negative integer');
  }
  return value;
}

export function readSchemaList(schema: Record<string, unknown>, keyword: string, where: Where): unknown[] {
  const value = schema[keyword];
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length === 0) throw malformed(keyword, where, 'a non-empty list of schemas');
  return value;
}

export function readStringList(schema: Record<string, unknown>, keyword: string, where: Where): string[] {
  const value = schema[keyword];
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
    throw malformed(keyword, where, 'a list of strings');
  }
  return value;
}

export function readString(schema: Record<string, unknown>, keyword: string, where: Where): string | undefined {
  const value = schema[keyword];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw malformed(keyword, where, 'a string');
  return value;
}

/** The property map of `properties`: a plain object whose values are schemas. */
export function readProperties(schema: Record<string, unknown>, where: Where): Record<string, unknown> {
  const value = schema['properties'];
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed('properties', where, 'an object mapping property names to schemas');
  }
  return value as Record<string, unknown>;
}
