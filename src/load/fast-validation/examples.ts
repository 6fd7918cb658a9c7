import type { ValidateFunction } from 'ajv';
import { Bail } from './bail.js';
import type { SchemaParserRegistry } from './payload-schemas.js';
import { isPlain, isValid } from './quick-check.js';
import { MISSING_REF, SchemaCompiler, UNUSUAL } from './schema-compiler.js';
import { schemaResults } from './spectral-results.js';
import {
  isObject,
  type JsonObject,
  type JsonPath,
  type RuleContext,
  type RuleFunction,
  type RuleResult,
} from './types.js';

/**
 * `asyncapi2-message-examples`, `asyncapi2-message-examples-custom-format`, `asyncapi2-schema-examples`
 * and `asyncapi2-schema-default`. Each mirrors its function in @asyncapi/parser/cjs/ruleset/v2/functions/,
 * which compiles every schema with ajv (Spectral's `schema` function); here a value is first checked
 * without compiling (./quick-check.ts), and only a value that fails, or a schema that check does not
 * cover, is compiled, by the SchemaCompiler, once per shared `$ref` target.
 * A target the parser's function refuses before validating (wrong input shape) goes to that function,
 * which is pure then; so does one whose schemas only hold `$ref`s the resolver left (ajv refuses them
 * the same way whatever happened before). Anything else unusual bails out to the full parser.
 */

const compilers = new WeakMap<object, SchemaCompiler>();

function compilerFor(context: RuleContext): SchemaCompiler {
  const inventory = context.documentInventory;
  let compiler = compilers.get(inventory);
  if (compiler === undefined) {
    compiler = new SchemaCompiler(inventory.document.data, inventory.resolved);
    compilers.set(inventory, compiler);
  }
  return compiler;
}

/** A target to hand to the parser's function as a whole (it answers it the same in any order). */
class ToOriginal extends Error {}

/** Checks a schema against the draft-07 meta-schema for the document of `context` (see ./precompiled.ts). */
export type MetaValidatorFor = (context: RuleContext) => ValidateFunction;

/**
 * Whether ajv would compile `schema` and accept `value`, decided without compiling: a plain schema
 * (see ./quick-check.ts) that passes the meta-schema compiles, and then isValid is ajv's answer.
 */
function acceptedWithoutCompiling(
  metaValidatorFor: MetaValidatorFor,
  context: RuleContext,
  schema: unknown,
  value: unknown,
): boolean {
  if (typeof schema === 'boolean') return schema;
  return isObject(schema) && isPlain(schema) && metaValidatorFor(context)(schema) && isValid(schema, value);
}

/** Spectral's `schema(value, { schema, allErrors: true }, { ...context, path })`. */
function checkValue(
  metaValidatorFor: MetaValidatorFor,
  context: RuleContext,
  value: unknown,
  schema: unknown,
  path: JsonPath,
  missingRefs: { found: boolean },
): RuleResult[] {
  if (value === undefined) return [{ path, message: '#{{print("property")}}must exist' }];
  if (acceptedWithoutCompiling(metaValidatorFor, context, schema, value)) return [];
  const validate = compilerFor(context).compile(schema);
  if (validate === MISSING_REF) {
    missingRefs.found = true;
    return [];
  }
  if (validate === UNUSUAL) throw new Bail('a schema the fast path does not compile');
  if (validate(value) !== false || !Array.isArray(validate.errors)) return [];
  return schemaResults(validate.errors, path, value);
}

type TargetCheck = (
  target: JsonObject,
  options: unknown,
  context: RuleContext,
  missingRefs: { found: boolean },
) => RuleResult[] | undefined;

function withOriginal(original: RuleFunction, check: TargetCheck): RuleFunction {
  return (target, options, context) => {
    if (!isObject(target)) return original(target, options, context);
    const missingRefs = { found: false };
    try {
      const results = check(target, options, context, missingRefs);
      return missingRefs.found ? original(target, options, context) : results;
    } catch (error) {
      if (error instanceof ToOriginal) return original(target, options, context);
      throw error;
    }
  };
}

/** The input check of messageExamples: `name` and `summary`, when present, are strings. */
function isMessage(target: JsonObject): boolean {
  return ['name', 'summary'].every((key) => target[key] === undefined || typeof target[key] === 'string');
}

/** messageExamples.js serializeSchema: what an absent or boolean payload/headers schema means. */
function serializeSchema(schema: unknown, type: 'payload' | 'headers'): unknown {
  if (!schema && typeof schema !== 'boolean') return type === 'headers' ? { type: 'object' } : {};
  if (typeof schema === 'boolean') return schema ? {} : { not: {} };
  return schema;
}

/** messageExamples.js getMessageExamples; an example the parser's function would throw on bails out. */
function messageExamples(target: JsonObject): { path: JsonPath; value: Record<string, unknown> }[] {
  const examples = target['examples'];
  if (!Array.isArray(examples)) return [];
  return examples.map((value: unknown, index) => {
    if (value === null || value === undefined) throw new Bail('a message example that is null');
    return { path: ['examples', index], value: Object(value) as Record<string, unknown> };
  });
}

export function fastMessageExamples(meta: MetaValidatorFor, original: RuleFunction): RuleFunction {
  return withOriginal(original, (target, _options, context, missingRefs) => {
    if (!isMessage(target)) throw new ToOriginal();
    if (!target['examples']) return;
    const results: RuleResult[] = [];
    const payloadSchema = serializeSchema(target['payload'], 'payload');
    const headersSchema = serializeSchema(target['headers'], 'headers');
    for (const { path, value } of messageExamples(target)) {
      if (value['payload'] !== undefined) {
        results.push(
          ...checkValue(
            meta,
            context,
            value['payload'],
            payloadSchema,
            [...context.path, ...path, 'payload'],
            missingRefs,
          ),
        );
      }
      if (value['headers'] !== undefined) {
        results.push(
          ...checkValue(
            meta,
            context,
            value['headers'],
            headersSchema,
            [...context.path, ...path, 'headers'],
            missingRefs,
          ),
        );
      }
    }
    return results;
  });
}

/** messageExamples-spectral-rule-v2.js, for payloads the AsyncAPI schema parser handles (it returns them unchanged). */
export function fastCustomFormatMessageExamples(
  meta: MetaValidatorFor,
  parser: SchemaParserRegistry,
  original: RuleFunction,
): RuleFunction {
  return withOriginal(original, (target, _options, context, missingRefs) => {
    if (!isMessage(target)) throw new ToOriginal();
    if (!target['examples'] || !target['payload']) return;
    const asyncapi = String((context.document.data as { asyncapi?: unknown }).asyncapi);
    const defaultFormat = `application/vnd.aai.asyncapi;version=${asyncapi}`;
    const format = typeof target['schemaFormat'] === 'string' ? target['schemaFormat'] : defaultFormat;
    const schemaParser = parser.parserRegistry.get(format);
    if (schemaParser !== undefined && schemaParser !== parser.parserRegistry.get(defaultFormat))
      throw new Bail(`schema format ${format}`);
    const results: RuleResult[] = [];
    for (const { path, value } of messageExamples(target)) {
      if (value['payload'] !== undefined) {
        results.push(
          ...checkValue(
            meta,
            context,
            value['payload'],
            target['payload'],
            [...context.path, ...path, 'payload'],
            missingRefs,
          ),
        );
      }
    }
    return results;
  });
}

/** schemaValidation.js: a schema's `default`, or each of its `examples`, must be valid against the schema. */
export function fastSchemaValidation(meta: MetaValidatorFor, original: RuleFunction): RuleFunction {
  return withOriginal(original, (target, options, context, missingRefs) => {
    const type = (options as { type?: unknown } | null)?.type;
    // The input check (which reports an error) and the option check stay the parser's.
    if (
      (type !== 'default' && type !== 'examples') ||
      (target['examples'] !== undefined && !Array.isArray(target['examples']))
    ) {
      throw new ToOriginal();
    }
    const items: { path: JsonPath; value: unknown }[] =
      type === 'default'
        ? [{ path: ['default'], value: target['default'] }]
        : Array.isArray(target['examples'])
          ? target['examples'].map((value: unknown, index) => ({ path: ['examples', index], value }))
          : [];
    const results: RuleResult[] = [];
    for (const item of items) {
      const itemResults = checkValue(meta, context, item.value, target, [...context.path, ...item.path], missingRefs);
      if (typeof item.value !== 'string') results.push(...itemResults);
    }
    return results;
  });
}
