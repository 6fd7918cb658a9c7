import type { Ajv, Options, ValidateFunction } from 'ajv';
import { requireFromSpectralFunctions } from './parser-deps.js';
import { isObject, type JsonObject } from './types.js';

/** The fast path does not handle this schema: only the parser's own functions answer it exactly. */
export const UNUSUAL = Symbol('unusual');
/**
 * A valid schema that still holds a `$ref` the resolver could not replace (a circular or missing one):
 * ajv fails to compile it with a MissingRefError, which the parser's rules ignore, in any order.
 */
export const MISSING_REF = Symbol('missing-ref');

export type CompiledSchema = ValidateFunction | typeof UNUSUAL | typeof MISSING_REF;

const LEFTOVER_REF = Symbol('leftover-ref');

// Keywords whose values ajv's draft-07 class compiles as subschemas (maps, single schemas, lists).
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'dependencies', 'definitions', '$defs']);
const SCHEMA_VALUES = new Set([
  'additionalProperties',
  'additionalItems',
  'items',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
]);
const SCHEMA_LISTS = new Set(['items', 'allOf', 'anyOf', 'oneOf']);
const ID_BASE = 'https://aircall-gen.invalid/schemas/';

/**
 * Compiles the schemas that examples and defaults are checked against, when the quick check cannot
 * accept a value (it fails, or the schema is not plain), as Spectral's `schema` function would (same
 * ajv, options, formats and plugins) but faster. Spectral compiles every resolved payload on its own,
 * with every `$ref` inlined: the bundled spec's 69 payloads each re-inline the same Call, User, ...
 * schemas. The resolver shares one object per `$ref` target, so here each shared target becomes its
 * own ajv schema, compiled once and reached by `$ref`. A resolved schema has no `$ref` left (the
 * resolver replaced each one, siblings included), so validation and errors are unchanged; anything
 * that could make them differ (a `$id`, a `$schema`, a schema that fails the meta-schema or does not
 * compile) is UNUSUAL, and a `$ref` the resolver left is MISSING_REF.
 */
export class SchemaCompiler {
  readonly #shared: Map<object, string>;
  readonly #registered = new Map<string, { valid: boolean }>();
  readonly #registering = new Set<string>();
  readonly #failed = new Map<string, symbol>();
  readonly #compiled = new WeakMap<object, CompiledSchema>();
  #ajv: Ajv | undefined;

  constructor(unresolved: unknown, resolved: unknown) {
    this.#shared = sharedTargets(unresolved, resolved);
  }

  compile(schema: unknown): CompiledSchema {
    if (typeof schema === 'boolean') return this.#instance().compile(schema);
    if (!isObject(schema)) return UNUSUAL;
    let compiled = this.#compiled.get(schema);
    if (compiled === undefined) {
      compiled = this.#compileObject(schema);
      this.#compiled.set(schema, compiled);
    }
    return compiled;
  }

  #compileObject(schema: JsonObject): CompiledSchema {
    try {
      const reached = new Set<string>();
      const converted = this.#convert(schema, true, reached);
      // An invalid schema is UNUSUAL too: Spectral's ajv reports it differently on the first compile
      // ("schema is invalid: ...") and on later ones (whatever code generation then throws), and that
      // ajv instance is shared by all these rules, so only the parser's own functions can say the same.
      if (!this.#valid(converted, reached)) return UNUSUAL;
      return this.#instance().compile(converted);
    } catch (error) {
      if (error === LEFTOVER_REF && !hasKey(schema, ['$id', '$schema']) && this.#instance().validateSchema(schema))
        return MISSING_REF;
      return UNUSUAL;
    }
  }

  #valid(piece: JsonObject, reached: Set<string>): boolean {
    if (!this.#instance().validateSchema(piece)) return false;
    for (const id of reached) if (!this.#registered.get(id)?.valid) return false;
    return true;
  }

  /** A copy of `node` with every shared target replaced by a `$ref` to its own (registered) schema. */
  #convert(node: JsonObject, root: boolean, reached: Set<string>): JsonObject {
    const id = root ? undefined : this.#shared.get(node);
    if (id !== undefined) {
      this.#register(node, id);
      reached.add(id);
      return { $ref: id };
    }
    if ('$id' in node || '$schema' in node) throw UNUSUAL;
    if ('$ref' in node) throw LEFTOVER_REF;
    const convert = (value: unknown) => (isObject(value) ? this.#convert(value, false, reached) : value);
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
      if (SCHEMA_VALUES.has(key) && isObject(value)) out[key] = convert(value);
      else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) out[key] = value.map(convert);
      else if (SCHEMA_MAPS.has(key) && isObject(value))
        out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v)]));
      else out[key] = value;
    }
    return out;
  }

  #register(node: JsonObject, id: string): void {
    const failure = this.#failed.get(id);
    if (failure !== undefined) throw failure;
    if (this.#registered.has(id)) return;
    if (this.#registering.has(id)) throw UNUSUAL; // a cycle of shared objects: not something the resolver makes
    this.#registering.add(id);
    const reached = new Set<string>();
    let converted: JsonObject;
    try {
      converted = this.#convert(node, true, reached);
    } catch (error) {
      this.#failed.set(id, error === LEFTOVER_REF ? LEFTOVER_REF : UNUSUAL);
      throw error;
    } finally {
      this.#registering.delete(id);
    }
    this.#registered.set(id, { valid: this.#valid(converted, reached) });
    this.#instance().addSchema(converted, id, undefined, false);
  }

  #instance(): Ajv {
    if (this.#ajv) return this.#ajv;
    // @stoplight/spectral-functions/dist/schema/ajv.js createAjvInstance(Ajv, allErrors = true), plus two
    // code-generation options that only change how fast ajv compiles, not what it reports.
    const Ajv = requireFromSpectralFunctions<{ default: new (options: Options) => Ajv }>('ajv').default;
    const addFormats = requireFromSpectralFunctions<(ajv: Ajv) => void>('ajv-formats');
    const addErrors = requireFromSpectralFunctions<(ajv: Ajv) => void>('ajv-errors');
    this.#ajv = new Ajv({
      allErrors: true,
      meta: true,
      messages: true,
      strict: false,
      allowUnionTypes: true,
      unicodeRegExp: false,
      logger: false,
      validateSchema: false, // checked explicitly, once per shared schema (see #valid)
      inlineRefs: false,
      code: { optimize: false },
    });
    addFormats(this.#ajv);
    addErrors(this.#ajv);
    return this.#ajv;
  }
}

/** Whether any object under `value` has one of `keys` (a conservative scan: every position, not only schemas). */
function hasKey(value: unknown, keys: string[], seen = new Set<object>()): boolean {
  if (typeof value !== 'object' || value === null || seen.has(value)) return false;
  seen.add(value);
  if (!Array.isArray(value) && keys.some((key) => key in value)) return true;
  return Object.values(value).some((child) => hasKey(child, keys, seen));
}

/** The objects of the resolved document that `$ref`s point at (the resolver shares one object per target). */
function sharedTargets(unresolved: unknown, resolved: unknown): Map<object, string> {
  const pointers = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
    } else if (isObject(value)) {
      for (const [key, child] of Object.entries(value)) {
        if (key === '$ref' && typeof child === 'string' && child.startsWith('#/')) pointers.add(child);
        else walk(child);
      }
    }
  };
  walk(unresolved);
  const shared = new Map<object, string>();
  for (const pointer of pointers) {
    const target = resolvePointer(resolved, pointer);
    if (isObject(target) && !shared.has(target)) shared.set(target, `${ID_BASE}${shared.size}`);
  }
  return shared;
}

function resolvePointer(document: unknown, pointer: string): unknown {
  let node = document;
  for (const raw of pointer.slice(2).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch {
      return undefined;
    }
    if (Array.isArray(node)) node = /^\d+$/.test(segment) ? node[Number(segment)] : undefined;
    else if (isObject(node) && Object.hasOwn(node, segment)) node = node[segment];
    else return undefined;
  }
  return node;
}
