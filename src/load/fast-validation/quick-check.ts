import { requireFromSpectralFunctions } from './parser-deps.js';
import { isObject, type JsonObject } from './types.js';

/**
 * Decides, without compiling anything, that a value is valid against a JSON Schema exactly where ajv
 * (as Spectral's `schema` function configures it) would accept it. Compiling a schema with ajv costs
 * milliseconds and an example is checked once, so the fast path asks this first and compiles only
 * when it cannot say "valid" (a failing example, or a schema it does not cover). It must never accept
 * what ajv refuses: every keyword ajv implements is either evaluated here with ajv's semantics, or
 * makes the schema not `plain` (then ajv decides); where it differs it is stricter (non-finite numbers).
 * test/load/quick-check.test.ts compares it with ajv on generated schemas and values.
 */

/** Keywords evaluated here. */
const EVALUATED = new Set([
  'type',
  'nullable',
  'const',
  'enum',
  'multipleOf',
  'maximum',
  'minimum',
  'exclusiveMaximum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'format',
  'maxItems',
  'minItems',
  'uniqueItems',
  'items',
  'additionalItems',
  'contains',
  'maxProperties',
  'minProperties',
  'required',
  'properties',
  'patternProperties',
  'additionalProperties',
  'propertyNames',
  'dependencies',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
]);

/** Keywords ajv knows but never validates with (annotations), and subschema containers it only compiles when referenced. */
const ANNOTATIONS = new Set([
  '$comment',
  '$vocabulary',
  'title',
  'description',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  'examples',
  'contentMediaType',
  'contentEncoding',
  'contentSchema',
  'definitions',
  '$defs',
]);

/**
 * Keywords ajv (with ajv-formats and ajv-errors) implements that this does not: a schema using any of
 * them anywhere is left to ajv. Every other key is one ajv ignores (`strict: false`).
 */
export const LEFT_TO_AJV = new Set([
  '$ref',
  '$id',
  '$schema',
  '$async',
  'id',
  'errorMessage',
  'formatMaximum',
  'formatMinimum',
  'formatExclusiveMaximum',
  'formatExclusiveMinimum',
]);
export const KNOWN_KEYWORDS = new Set([...EVALUATED, ...ANNOTATIONS, ...LEFT_TO_AJV]);

const SCHEMA_VALUES = [
  'additionalProperties',
  'additionalItems',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'];
const SCHEMA_MAPS = ['properties', 'patternProperties', 'definitions', '$defs'];

type Format = { type: 'string' | 'number'; test: (value: never) => boolean };

interface Runtime {
  equal: (a: unknown, b: unknown) => boolean;
  ucs2length: (value: string) => number;
  formats: Record<string, unknown>;
}

let runtime: Runtime | undefined;
function loadRuntime(): Runtime {
  runtime ??= {
    equal: requireFromSpectralFunctions<{ default: Runtime['equal'] }>('ajv/dist/runtime/equal').default,
    ucs2length: requireFromSpectralFunctions<{ default: Runtime['ucs2length'] }>('ajv/dist/runtime/ucs2length').default,
    formats: requireFromSpectralFunctions<{ fullFormats: Record<string, unknown> }>('ajv-formats/dist/formats')
      .fullFormats,
  };
  return runtime;
}

/** ajv's getFormat: the data type a format applies to, and its test. Undefined for unknown formats. */
function formatOf(name: string): Format | undefined {
  const definition = Object.hasOwn(loadRuntime().formats, name) ? loadRuntime().formats[name] : undefined;
  if (definition instanceof RegExp) return { type: 'string', test: (value: string) => definition.test(value) };
  if (typeof definition === 'function') return { type: 'string', test: definition as (value: never) => boolean };
  if (isObject(definition) && !definition['async']) {
    const validate = definition['validate'];
    const type =
      definition['type'] === 'number'
        ? 'number'
        : definition['type'] === undefined || definition['type'] === 'string'
          ? 'string'
          : undefined;
    if (type === undefined) return undefined;
    if (validate instanceof RegExp) return { type, test: (value: string) => validate.test(value) };
    if (typeof validate === 'function') return { type, test: validate as (value: never) => boolean };
  }
  return undefined;
}

const plainCache = new WeakMap<object, boolean>();

/**
 * Whether a schema, and every subschema ajv would compile with it, uses only keywords evaluated here
 * (or ignored by ajv), known formats, and `nullable` as ajv accepts it. Remembered per object.
 */
export function isPlain(schema: unknown): boolean {
  if (typeof schema === 'boolean') return true;
  if (!isObject(schema)) return false;
  const known = plainCache.get(schema);
  if (known !== undefined) return known;
  plainCache.set(schema, false); // a cycle is not plain
  const plain = computePlain(schema);
  plainCache.set(schema, plain);
  return plain;
}

function computePlain(schema: JsonObject): boolean {
  for (const key of Object.keys(schema)) if (LEFT_TO_AJV.has(key)) return false;
  const types = typesOf(schema);
  if (types === undefined) return false;
  // ajv throws on these at compile time.
  if (types.length === 0 && schema['nullable'] !== undefined) return false;
  if (types.includes('null') && schema['nullable'] === false) return false;
  if (typeof schema['format'] === 'string' && formatOf(schema['format']) === undefined) return false;
  // Where ajv validates without allErrors (under `not` and `if`), its code skips the keywords after a
  // tuple `items` when the array is shorter than the tuple, and those after `propertyNames` when the
  // object has no keys (a `valid` flag left unset, or set by an earlier call). Leave those to ajv.
  if (Array.isArray(schema['items']) && ('contains' in schema || schema['uniqueItems'] === true)) return false;
  if (
    'propertyNames' in schema &&
    ['additionalProperties', 'dependencies', 'properties', 'patternProperties'].some((key) => key in schema)
  )
    return false;
  for (const key of SCHEMA_VALUES) if (key in schema && !isPlain(schema[key])) return false;
  for (const key of SCHEMA_LISTS)
    if (Array.isArray(schema[key]) && !(schema[key] as unknown[]).every(isPlain)) return false;
  for (const key of SCHEMA_MAPS)
    if (isObject(schema[key]) && !Object.values(schema[key] as JsonObject).every(isPlain)) return false;
  const items = schema['items'];
  if (items !== undefined && !(Array.isArray(items) ? items.every(isPlain) : isPlain(items))) return false;
  const dependencies = schema['dependencies'];
  if (isObject(dependencies) && !Object.values(dependencies).every((d) => Array.isArray(d) || isPlain(d))) return false;
  return true;
}

function typesOf(schema: JsonObject): string[] | undefined {
  const type = schema['type'];
  if (type === undefined) return [];
  if (typeof type === 'string') return [type];
  if (Array.isArray(type) && type.every((t) => typeof t === 'string')) return type as string[];
  return undefined;
}

function hasType(data: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return data === null;
    case 'boolean':
      return typeof data === 'boolean';
    case 'string':
      return typeof data === 'string';
    case 'number':
      return Number.isFinite(data); // ajv also accepts NaN and Infinity (strictNumbers is off): stricter here
    case 'integer':
      return Number.isInteger(data);
    case 'object':
      return isObject(data);
    case 'array':
      return Array.isArray(data);
    default:
      return false;
  }
}

/**
 * Whether `data` is valid against `schema`, which must be plain (isPlain) and valid against the
 * draft-07 meta-schema (so keyword values have the types the meta-schema demands).
 */
export function isValid(schema: unknown, data: unknown): boolean {
  if (typeof schema === 'boolean') return schema;
  const s = schema as JsonObject;
  const { equal, ucs2length } = loadRuntime();

  const types = typesOf(s) ?? [];
  if (types.length > 0) {
    const allowed = s['nullable'] === true && !types.includes('null') ? [...types, 'null'] : types;
    if (!allowed.some((type) => hasType(data, type))) return false;
  }
  if ('const' in s && !equal(data, s['const'])) return false;
  if (Array.isArray(s['enum']) && !s['enum'].some((value) => equal(data, value))) return false;

  if (typeof data === 'number') {
    if (typeof s['maximum'] === 'number' && !(data <= s['maximum'])) return false;
    if (typeof s['minimum'] === 'number' && !(data >= s['minimum'])) return false;
    if (typeof s['exclusiveMaximum'] === 'number' && !(data < s['exclusiveMaximum'])) return false;
    if (typeof s['exclusiveMinimum'] === 'number' && !(data > s['exclusiveMinimum'])) return false;
    if (typeof s['multipleOf'] === 'number') {
      const ratio = data / s['multipleOf'];
      if (s['multipleOf'] === 0 || ratio !== parseInt(String(ratio), 10)) return false;
    }
  }
  if (typeof data === 'string') {
    if (typeof s['maxLength'] === 'number' && ucs2length(data) > s['maxLength']) return false;
    if (typeof s['minLength'] === 'number' && ucs2length(data) < s['minLength']) return false;
    if (typeof s['pattern'] === 'string' && !new RegExp(s['pattern']).test(data)) return false;
  }
  if (typeof s['format'] === 'string') {
    const format = formatOf(s['format'])!;
    if (typeof data === format.type && !format.test(data as never)) return false;
  }

  if (Array.isArray(data)) {
    if (typeof s['maxItems'] === 'number' && data.length > s['maxItems']) return false;
    if (typeof s['minItems'] === 'number' && data.length < s['minItems']) return false;
    if (s['uniqueItems'] === true) {
      for (let i = 1; i < data.length; i++) for (let j = 0; j < i; j++) if (equal(data[i], data[j])) return false;
    }
    const items = s['items'];
    if (Array.isArray(items)) {
      for (let i = 0; i < items.length && i < data.length; i++) if (!isValid(items[i], data[i])) return false;
      const additional = s['additionalItems'];
      if (additional !== undefined && data.length > items.length) {
        for (let i = items.length; i < data.length; i++) if (!isValid(additional, data[i])) return false;
      }
    } else if (items !== undefined) {
      for (const item of data) if (!isValid(items, item)) return false;
    }
    if (s['contains'] !== undefined && !data.some((item) => isValid(s['contains'], item))) return false;
  }

  if (isObject(data)) {
    const keys = Object.keys(data);
    if (typeof s['maxProperties'] === 'number' && keys.length > s['maxProperties']) return false;
    if (typeof s['minProperties'] === 'number' && keys.length < s['minProperties']) return false;
    if (Array.isArray(s['required']) && s['required'].some((name) => data[name as string] === undefined)) return false;
    const properties = isObject(s['properties']) ? s['properties'] : {};
    for (const [name, subschema] of Object.entries(properties)) {
      if (data[name] !== undefined && !isValid(subschema, data[name])) return false;
    }
    const patterns = isObject(s['patternProperties'])
      ? Object.entries(s['patternProperties']).map(([p, sub]) => [new RegExp(p), sub] as const)
      : [];
    const additional = s['additionalProperties'];
    for (const key in data) {
      let matched = Object.hasOwn(properties, key);
      for (const [regex, subschema] of patterns) {
        if (regex.test(key)) {
          matched = true;
          if (!isValid(subschema, data[key])) return false;
        }
      }
      if (!matched && additional !== undefined && !isValid(additional, data[key])) return false;
      if (s['propertyNames'] !== undefined && !isValid(s['propertyNames'], key)) return false;
    }
    if (isObject(s['dependencies'])) {
      for (const [name, dependency] of Object.entries(s['dependencies'])) {
        if (data[name] === undefined) continue;
        if (
          Array.isArray(dependency)
            ? dependency.some((other) => data[other as string] === undefined)
            : !isValid(dependency, data)
        )
          return false;
      }
    }
  }

  if (Array.isArray(s['allOf']) && !s['allOf'].every((sub) => isValid(sub, data))) return false;
  if (Array.isArray(s['anyOf']) && !s['anyOf'].some((sub) => isValid(sub, data))) return false;
  if (Array.isArray(s['oneOf']) && s['oneOf'].filter((sub) => isValid(sub, data)).length !== 1) return false;
  if ('not' in s && isValid(s['not'], data)) return false;
  if ('if' in s && ('then' in s || 'else' in s)) {
    const branch = isValid(s['if'], data) ? s['then'] : s['else'];
    if (branch !== undefined && !isValid(branch, data)) return false;
  }
  return true;
}
