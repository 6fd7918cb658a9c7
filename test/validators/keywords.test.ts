/**
 * Every supported keyword, on small hand-written schemas shaped like parser output, compared with
 * ajv on a shared pool of values plus values chosen per case.
 */

import type { ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../src/render/validators/index.js';
import {
  ajvValidators,
  compare,
  junkJson,
  loadGenerated,
  random,
  removeTmp,
  typeCheck,
  type GeneratedModule,
} from './support.js';

let anonymous = 0;
/** Tags a schema the way @asyncapi/parser does: anonymous ids on every untagged object. */
function tag<T>(schema: T): T {
  const seen = new Set<object>();
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    const object = node as Record<string, unknown>;
    if (object['x-parser-schema-id'] === undefined) object['x-parser-schema-id'] = `<anonymous-schema-${++anonymous}>`;
    const properties = object['properties'];
    if (typeof properties === 'object' && properties !== null) Object.values(properties).forEach(visit);
    for (const key of ['items', 'additionalProperties', 'not', 'allOf', 'anyOf', 'oneOf']) visit(object[key]);
  };
  visit(schema);
  return schema;
}

const Tag = {
  'x-parser-schema-id': 'Tag',
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1 } },
};
const Tag2 = {
  'x-parser-schema-id': 'Tag',
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1 } },
};

/** [name, schema, extra values] */
const CASES: [string, JsonSchema, unknown[]][] = [
  ['type-string', { type: 'string' }, []],
  ['type-integer', { type: 'integer' }, [1.0, -0, 2 ** 53 + 2]],
  ['type-number', { type: 'number' }, []],
  ['type-boolean', { type: 'boolean' }, []],
  ['type-null', { type: 'null' }, []],
  ['type-array', { type: 'array' }, []],
  ['type-object', { type: 'object' }, []],
  ['type-list', { type: ['string', 'null', 'integer'] }, []],
  ['type-integer-number', { type: ['integer', 'number'] }, []],
  ['nullable', { type: 'integer', nullable: true, minimum: 3 }, [3, 2]],
  ['nullable-enum', { type: 'string', nullable: true, enum: ['a', 'b'] }, ['a', 'c']],
  ['empty', {}, []],
  [
    'annotations-only',
    {
      title: 'T',
      description: 'D',
      examples: [1],
      default: 2,
      deprecated: true,
      readOnly: true,
      writeOnly: false,
      discriminator: 'kind',
      externalDocs: { url: 'https://x.io' },
      $id: 'https://example.com/annotations-only',
      $schema: 'http://json-schema.org/draft-07/schema#',
      $comment: 'c',
      'x-extra': { type: 'string' },
      then: { type: 'string' },
      else: { type: 'string' },
      additionalItems: false,
      uniqueItems: false,
      contentMediaType: 'text/plain',
      unknownKeyword: { type: 'string' },
    },
    [],
  ],
  [
    'object',
    {
      type: 'object',
      required: ['name', 'id'],
      properties: {
        id: { type: 'integer', minimum: 1 },
        name: { type: 'string' },
        note: { type: ['string', 'null'], maxLength: 3 },
      },
      additionalProperties: false,
    },
    [
      { id: 1, name: 'x' },
      { id: 0, name: 'x', extra: 1 },
      { id: 1, name: 'x', note: 'abcd' },
      { id: 1, name: 'x', note: null },
      { id: 1 },
      { 'a/b~c': 1, id: 1, name: '' },
    ],
  ],
  [
    'additional-schema',
    { type: 'object', properties: { id: {} }, additionalProperties: { type: 'integer' } },
    [{ id: 'x', a: 1 }, { a: 'x' }, { 'a/b': 'x' }],
  ],
  [
    'additional-many',
    {
      type: 'object',
      properties: { a: {}, b: {}, c: {}, d: {}, e: {}, f: {}, g: {} },
      additionalProperties: false,
    },
    [
      { a: 1, g: 2 },
      { a: 1, h: 2 },
    ],
  ],
  ['properties-untyped', { properties: { id: { type: 'integer' } }, required: ['id'] }, [{ id: 1 }, { id: 'x' }]],
  ['min-max-properties', { type: 'object', minProperties: 1, maxProperties: 2 }, [{ a: 1 }, { a: 1, b: 2, c: 3 }]],
  ['enum-short', { enum: ['a', 1, null, true] }, ['a', 1, null, true, false, '1']],
  ['enum-long', { enum: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 0, null] }, ['g', 0, null, 'h', -0]],
  ['const-string', { const: 'call' }, ['call', 'Call']],
  ['const-number', { const: 0 }, [0, -0, 0.0]],
  ['const-null', { const: null }, []],
  ['const-false', { const: false }, []],
  [
    'items',
    { type: 'array', items: { type: 'integer' }, minItems: 1, maxItems: 3 },
    [[1], [1, 2, 3, 4], [1, 'a'], [[1]]],
  ],
  [
    'items-object',
    { type: 'array', items: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } } },
    [[{ id: 1 }], [{ id: 'x' }, {}]],
  ],
  ['items-untyped', { items: { type: 'string' } }, [['a'], [1]]],
  [
    'numbers',
    { type: 'number', minimum: -1, maximum: 10, exclusiveMinimum: -1, exclusiveMaximum: 10 },
    [-1, -0.5, 10, 9.99, 0],
  ],
  ['numbers-untyped', { minimum: 5 }, [4, 5, '4']],
  ['multiple-of', { type: 'number', multipleOf: 0.1 }, [0.3, 0.2, 1e21, 7]],
  ['multiple-of-int', { type: 'integer', multipleOf: 3 }, [9, 10, 0]],
  ['lengths', { type: 'string', minLength: 2, maxLength: 3 }, ['a', 'ab', 'abcd', '😀', '😀😀', '😀😀😀😀', '\ud83d']],
  ['pattern', { type: 'string', pattern: '^\\p{Lu}[a-z]+$' }, ['Abc', 'Ébc', 'abc']],
  ['pattern-untyped', { pattern: 'x' }, ['axb', 'ab', 5]],
  [
    'format-date-time',
    { type: 'string', format: 'date-time' },
    [
      '2024-01-01T10:00:00Z',
      '2024-01-01 10:00:00Z',
      '2024-01-01T10:00:00',
      '2024-13-01T10:00:00+01:00',
      '2024-01-01t10:00:00.123z',
    ],
  ],
  ['format-date', { type: 'string', format: 'date' }, ['2024-01-01', '2024-1-1', '2024-02-30']],
  ['format-uri', { type: 'string', format: 'uri' }, ['https://x.io/a?b', 'mailto:a@b.c', 'not a uri', '/relative']],
  ['format-email', { type: 'string', format: 'email' }, ['a@b.co', 'a@b', 'a.b@', 'A+B@x-y.io']],
  [
    'format-uuid',
    { type: 'string', format: 'uuid' },
    [
      '123e4567-e89b-12d3-a456-426614174000',
      'urn:uuid:123e4567-e89b-12d3-a456-426614174000',
      '123e4567e89b12d3a456426614174000',
    ],
  ],
  [
    'format-others',
    {
      anyOf: [
        { type: 'string', format: 'time' },
        { type: 'string', format: 'ipv4' },
        { type: 'string', format: 'hostname' },
      ],
    },
    ['10:00:00Z', '1.2.3.4', 'example.com', '-bad-', '256.1.1.1'],
  ],
  [
    'format-regex-byte',
    { type: 'object', properties: { r: { format: 'regex' }, b: { format: 'byte' } } },
    [{ r: '^a+$' }, { r: '(' }, { r: 'a\\Z' }, { b: 'aGk=' }, { b: 'a' }],
  ],
  ['format-int32', { type: 'number', format: 'int32' }, [2147483647, 2147483648, -2147483649, 1.5]],
  ['format-int64', { type: 'integer', format: 'int64' }, [1.5, 2 ** 60]],
  ['format-int64-number', { type: 'number', format: 'int64' }, [1.5, 2]],
  ['format-unknown', { type: 'string', format: 'phone-number' }, ['x']],
  ['format-on-other-type', { format: 'date-time' }, [5, 'nope']],
  [
    'all-of',
    { allOf: [{ type: 'object', required: ['a'] }, { properties: { a: { type: 'string' } } }] },
    [{ a: 'x' }, { a: 1 }, {}],
  ],
  [
    'any-of',
    { anyOf: [{ type: 'string', minLength: 2 }, { type: 'integer' }, { type: 'null' }] },
    ['ab', 'a', 1, 1.5, null],
  ],
  ['one-of', { oneOf: [{ type: 'integer' }, { type: 'number', minimum: 2 }] }, [1, 3, 2.5, 0.5]],
  [
    'one-of-named',
    { type: 'object', properties: { tag: { oneOf: [Tag, { type: 'null' }] } } },
    [{ tag: null }, { tag: { name: 'x' } }, { tag: { name: '' } }, { tag: 1 }],
  ],
  [
    'any-of-nested',
    {
      anyOf: [
        { type: 'object', properties: { a: { anyOf: [{ type: 'string' }, { type: 'boolean' }] } }, required: ['a'] },
        { type: 'array', items: { not: { type: 'null' } } },
      ],
    },
    [{ a: 'x' }, { a: 1 }, [1, null], [1]],
  ],
  ['not', { not: { type: 'string' } }, ['x', 1]],
  ['not-named', { not: Tag }, [{ name: 'x' }, { name: 1 }]],
  [
    'not-complex',
    { not: { type: 'object', required: ['a'], properties: { a: { const: 1 } } } },
    [{ a: 1 }, { a: 2 }, {}],
  ],
  [
    'boolean-schemas',
    { type: 'object', properties: { yes: true, no: false }, additionalProperties: true },
    [{ yes: 1 }, { no: 1 }],
  ],
  ['false-items', { type: 'array', items: false }, [[], [1]]],
  [
    'named-twice',
    { type: 'object', properties: { a: Tag, b: Tag2, list: { type: 'array', items: Tag } } },
    [{ a: { name: 'x' }, b: { name: '' }, list: [{}, { name: 'y' }] }],
  ],
  [
    'deep',
    {
      type: 'object',
      properties: {
        a: {
          type: 'object',
          properties: {
            b: { type: 'object', properties: { c: { type: 'array', items: { type: 'object', required: ['d'] } } } },
          },
        },
      },
    },
    [{ a: { b: { c: [{ d: 1 }, {}] } } }, { a: { b: 1 } }],
  ],
  ['integer-with-keywords', { type: 'integer', minimum: 2, not: { const: 3 } }, [2, 3, 1, 2.5]],
];

/** Values every case is checked against. */
const POOL: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1,
  1.5,
  2147483648,
  JSON.parse('1e400'),
  JSON.parse('-1e400'),
  '',
  'x',
  'abc',
  '2024-02-30T10:00:00Z',
  'https://example.com',
  'not a uri',
  'a@b.co',
  '😀😀',
  [],
  [1],
  [1, 'a'],
  [null],
  {},
  { id: 1 },
  { id: '1', name: 'n' },
  JSON.parse('{"__proto__": {"x": 1}}'),
  JSON.parse('{"constructor": 1, "toString": "x"}'),
];

describe('hand-written schemas covering every supported keyword', () => {
  const events = CASES.map(([name, schema]) => ({ name: `case.${name}`, schema: tag(schema) }));
  let module: GeneratedModule;
  let ajv: Map<string, ValidateFunction>;

  beforeAll(async () => {
    module = await loadGenerated('keywords', events);
    ajv = ajvValidators(events);
  }, 60_000);
  afterAll(() => removeTmp([module]));

  it('type-checks strictly', () => {
    expect(typeCheck([module])).toEqual([]);
  }, 60_000);

  it.each(CASES)('%s agrees with ajv', (name, _schema, extra) => {
    const event = `case.${name}`;
    const validate = ajv.get(event);
    if (validate === undefined) throw new Error(event);
    const failures = [...POOL, ...extra].map((value) => compare(module, validate, event, value).detail).filter(Boolean);
    expect(failures).toEqual([]);
  });

  it('agrees with ajv on random junk for every case, and never throws', () => {
    const next = random(7);
    const failures: string[] = [];
    for (let n = 0; n < 200; n++) {
      const value = JSON.parse(junkJson(next)) as unknown;
      for (const event of events) {
        const validate = ajv.get(event.name);
        if (validate === undefined) throw new Error(event.name);
        const { detail } = compare(module, validate, event.name, value);
        if (detail) failures.push(detail);
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
  });

  it('reports ajv-style messages at JSON Pointer paths', () => {
    expect(module.validateEvent('case.object', { id: 0, extra: 1, 'a/b': 2, note: 5 })).toEqual([
      { path: '', message: "must have required property 'name'" },
      { path: '/id', message: 'must be >= 1' },
      { path: '/note', message: 'must be string or null' },
      { path: '/extra', message: 'must NOT have additional properties' },
      { path: '/a~1b', message: 'must NOT have additional properties' },
    ]);
    expect(module.validateEvent('case.items-object', [{ id: 'x' }, {}])).toEqual([
      { path: '/0/id', message: 'must be integer' },
      { path: '/1', message: "must have required property 'id'" },
    ]);
    expect(module.validateEvent('case.lengths', '😀')).toEqual([
      { path: '', message: 'must NOT have fewer than 2 characters' },
    ]);
    expect(module.validateEvent('case.enum-long', 'h')).toEqual([
      { path: '', message: 'must be equal to one of the allowed values' },
    ]);
    expect(module.validateEvent('case.const-string', 'x')).toEqual([
      { path: '', message: 'must be equal to constant' },
    ]);
    expect(module.validateEvent('case.format-uri', 'no')).toEqual([{ path: '', message: 'must match format "uri"' }]);
    expect(module.validateEvent('case.pattern', 'abc')).toEqual([
      { path: '', message: 'must match pattern "^\\p{Lu}[a-z]+$"' },
    ]);
    expect(module.validateEvent('case.type-integer', 1.5)).toEqual([{ path: '', message: 'must be integer' }]);
  });

  it('reports one summary issue for anyOf, oneOf and not, never the branches', () => {
    expect(module.validateEvent('case.any-of', 'a')).toEqual([{ path: '', message: 'must match a schema in anyOf' }]);
    expect(module.validateEvent('case.one-of', 3)).toEqual([
      { path: '', message: 'must match exactly one schema in oneOf' },
    ]);
    expect(module.validateEvent('case.one-of-named', { tag: { name: '' } })).toEqual([
      { path: '/tag', message: 'must match exactly one schema in oneOf' },
    ]);
    expect(module.validateEvent('case.not-named', { name: 'x' })).toEqual([{ path: '', message: 'must NOT be valid' }]);
    expect(module.validateEvent('case.not-named', { name: 1 })).toBeNull();
  });

  it('shares one function per named schema, by identity and by id', () => {
    expect(module.source.match(/^function validateTag\(/gm)).toHaveLength(1);
    expect(module.source).not.toMatch(/anonymous/);
  });

  it('answers an unknown event with an issue instead of throwing', () => {
    expect(module.validateEvent('toString', {})).toEqual([{ path: '', message: 'must be a known event' }]);
    expect(module.validateEvent('nope', {})).toEqual([{ path: '', message: 'must be a known event' }]);
  });
});
