/** Keywords the validators cannot honour, and malformed keyword values, are user errors that say where. */

import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { renderValidatorsModule, type JsonSchema } from '../../src/render/validators/index.js';

/** Renders one event whose payload is the named schema Thing with `fragment` at /properties/a. */
function renderThing(fragment: Record<string, unknown>): string {
  const schema = { 'x-parser-schema-id': 'Thing', type: 'object', properties: { a: fragment } };
  return renderValidatorsModule({ events: [{ name: 'thing.created', schema }] });
}

function errorOf(render: () => unknown): UserError {
  try {
    render();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

const UNSUPPORTED: [string, Record<string, unknown>][] = [
  ['patternProperties', { patternProperties: { '^x': { type: 'string' } } }],
  ['dependencies', { dependencies: { a: ['b'] } }],
  ['dependentRequired', { dependentRequired: { a: ['b'] } }],
  ['dependentSchemas', { dependentSchemas: { a: {} } }],
  ['if', { if: { type: 'string' }, then: { minLength: 1 } }],
  ['contains', { type: 'array', contains: { type: 'string' } }],
  ['uniqueItems', { type: 'array', uniqueItems: true }],
  ['propertyNames', { propertyNames: { maxLength: 3 } }],
  ['prefixItems', { prefixItems: [{}] }],
  ['unevaluatedProperties', { unevaluatedProperties: false }],
  ['$ref', { $ref: '#/components/schemas/Missing' }],
  ['formatMinimum', { type: 'string', format: 'date', formatMinimum: '2020-01-01' }],
  ['items', { type: 'array', items: [{ type: 'string' }], additionalItems: false }],
];

describe('unsupported keywords', () => {
  it.each(UNSUPPORTED)('%s is refused with its name and place', (keyword, fragment) => {
    const error = errorOf(() => renderThing(fragment));
    expect(error.message).toContain(`The keyword '${keyword}' in schema 'Thing' at /properties/a`);
    expect(error.message).toContain('is not supported by the generated validators; remove it or');
    expect(error.message).toContain('the receiver cannot validate it');
    expect(error.location).toBe(`schema 'Thing' at /properties/a/${keyword}`);
  });

  it('names the place inside deep and anonymous payloads', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        list: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'object', patternProperties: {} }] } },
      },
    };
    const error = errorOf(() => renderValidatorsModule({ events: [{ name: 'x.y', schema }] }));
    expect(error.message).toContain(
      "The keyword 'patternProperties' in the payload of event 'x.y' at /properties/list/items/anyOf/1 is not supported",
    );
  });

  it('accepts keywords that ask for nothing: uniqueItems false, then/else without if, additionalItems with one items schema', () => {
    expect(() =>
      renderThing({ type: 'array', uniqueItems: false, items: { type: 'string' }, additionalItems: false }),
    ).not.toThrow();
    expect(() => renderThing({ then: { type: 'string' }, else: { type: 'number' } })).not.toThrow();
  });

  it('ignores annotations and unknown formats', () => {
    const source = renderThing({
      type: 'string',
      format: 'phone',
      title: 't',
      description: 'd',
      examples: ['x'],
      'x-extra': 1,
      discriminator: 'k',
    });
    expect(source).not.toContain('phone');
  });
});

const MALFORMED: [string, Record<string, unknown>, string][] = [
  ['type', { type: 'file' }, 'must be one of null, boolean, integer, number, string, array, object'],
  ['nullable', { type: 'string', nullable: 'yes' }, 'must be true or false'],
  ['minimum', { minimum: '3' }, 'must be a number'],
  ['exclusiveMinimum', { minimum: 3, exclusiveMinimum: true }, 'must be a number'],
  ['multipleOf', { multipleOf: 0 }, 'must be a number greater than 0'],
  ['minLength', { minLength: -1 }, 'must be a non-negative integer'],
  ['maxItems', { maxItems: 1.5 }, 'must be a non-negative integer'],
  ['pattern', { pattern: '(' }, 'must be a regular expression valid with the `u` flag'],
  ['pattern', { pattern: '\\-' }, 'must be a regular expression valid with the `u` flag'],
  ['format', { format: 5 }, 'must be a string'],
  ['enum', { enum: [] }, 'must be a non-empty list of values'],
  ['enum', { enum: [{ a: 1 }] }, 'is not supported by the generated validators'],
  ['const', { const: [1] }, 'is not supported by the generated validators'],
  ['required', { required: 'id' }, 'must be a list of strings'],
  ['properties', { properties: [] }, 'must be an object mapping property names to schemas'],
  ['anyOf', { anyOf: [] }, 'must be a non-empty list of schemas'],
];

describe('malformed keyword values', () => {
  it.each(MALFORMED)('%s: %j', (keyword, fragment, expected) => {
    const error = errorOf(() => renderThing(fragment));
    expect(error.message).toContain(`'${keyword}' in schema 'Thing' at /properties/a`);
    expect(error.message).toContain(expected);
  });

  it('refuses a subschema that is not a schema', () => {
    expect(errorOf(() => renderThing({ items: 5 })).message).toContain(
      "schema 'Thing' at /properties/a/items is not a schema",
    );
  });
});
