import type { ValidateFunction } from 'ajv';
import { isObject, type RuleContext, type RuleFunction } from './types.js';

/** The parts of @asyncapi/parser's Parser this rule reads. */
export interface SchemaParserRegistry {
  parserRegistry: Map<string, unknown>;
}

/**
 * `asyncapi2-schemas` with the precompiled Schema Object validator. Mirrors
 * @asyncapi/parser/cjs/schema-parser/spectral-rule-v2.js with the parser's AsyncAPISchemaParser: a
 * message payload in the AsyncAPI or JSON Schema format must be a valid AsyncAPI Schema Object.
 * Payloads in other formats (Avro, RAML, ...) and odd message shapes go to the parser's own function.
 */
export function payloadSchemas(
  validatorFor: (context: RuleContext) => ValidateFunction,
  parser: SchemaParserRegistry,
  original: RuleFunction,
): RuleFunction {
  return (target, options, context) => {
    if (!isObject(target) || (target['schemaFormat'] !== undefined && typeof target['schemaFormat'] !== 'string')) {
      return original(target, options, context);
    }
    if (!target['payload']) return [];
    const asyncapi = String((context.document.data as { asyncapi?: unknown }).asyncapi);
    const defaultFormat = `application/vnd.aai.asyncapi;version=${asyncapi}`;
    const format = typeof target['schemaFormat'] === 'string' ? target['schemaFormat'] : defaultFormat;
    const schemaParser = parser.parserRegistry.get(format);
    if (schemaParser === undefined || schemaParser !== parser.parserRegistry.get(defaultFormat)) {
      return original(target, options, context);
    }
    const validateSchemaObject = validatorFor(context);
    if (validateSchemaObject(target['payload'])) return [];
    const path = [...context.path, 'payload'];
    return (validateSchemaObject.errors ?? []).map((error) => ({
      message: error.message ?? '',
      path: [...path, ...error.instancePath.replace(/^\//, '').split('/')],
    }));
  };
}
