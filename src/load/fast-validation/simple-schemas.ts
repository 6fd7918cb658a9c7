import { isObject, type RuleFunction } from './types.js';

/**
 * Two rules call Spectral's `schema` function with a one-keyword schema, and that first call builds
 * Spectral's ajv instances (~0.1 s). Neither rule prints the function's message (they have their own),
 * so only whether and where they fail matters; other options go to the parser's function.
 */
function schemaOption(options: unknown): Record<string, unknown> | undefined {
  const schema = isObject(options) ? options['schema'] : undefined;
  return isObject(schema) ? schema : undefined;
}

/** `asyncapi-latest-version`: `{ const: <string> }`. */
export function constSchema(original: RuleFunction): RuleFunction {
  return (target, options, context) => {
    const schema = schemaOption(options);
    if (schema === undefined || Object.keys(schema).join() !== 'const' || typeof schema['const'] !== 'string') {
      return original(target, options, context);
    }
    if (target === undefined) return [{ path: context.path, message: '#{{print("property")}}must exist' }];
    return target === schema['const'] ? [] : [{ path: [...context.path], message: 'must be equal to constant' }];
  };
}

/** `asyncapi-servers`: `{ type: 'object', minProperties: 1 }`. */
export function nonEmptyObjectSchema(original: RuleFunction): RuleFunction {
  return (target, options, context) => {
    const schema = schemaOption(options);
    if (
      schema === undefined ||
      Object.keys(schema).sort().join() !== 'minProperties,type' ||
      schema['type'] !== 'object' ||
      schema['minProperties'] !== 1
    ) {
      return original(target, options, context);
    }
    if (target === undefined) return [{ path: context.path, message: '#{{print("property")}}must exist' }];
    if (!isObject(target)) return [{ path: [...context.path], message: 'Value type must be object' }];
    return Object.keys(target).length >= 1
      ? []
      : [{ path: [...context.path], message: 'Object must NOT have fewer than 1 properties' }];
  };
}
