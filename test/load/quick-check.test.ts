// The pre-check that lets the fast path skip compiling schemas (src/load/fast-validation/quick-check.ts) must
// accept exactly what ajv, configured as Spectral's `schema` function configures it, accepts.
import type { Ajv, Options } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireFromSpectralFunctions } from '../../src/load/fast-validation/parser-deps.js';
import type { PrecompiledModule } from '../../src/load/fast-validation/precompiled.js';
import { isPlain, isValid, KNOWN_KEYWORDS } from '../../src/load/fast-validation/quick-check.js';
import { precompiledValidators } from './precompiled-helper.js';

let precompiled: PrecompiledModule;
let ajv: Ajv;

beforeAll(async () => {
  precompiled = await precompiledValidators();
  // @stoplight/spectral-functions/dist/schema/ajv.js createAjvInstance(Ajv, allErrors = true)
  const Ajv = requireFromSpectralFunctions<{ default: new (options: Options) => Ajv }>('ajv').default;
  ajv = new Ajv({
    allErrors: true,
    meta: true,
    messages: true,
    strict: false,
    allowUnionTypes: true,
    unicodeRegExp: false,
    logger: false,
  });
  requireFromSpectralFunctions<(a: Ajv) => void>('ajv-formats')(ajv);
  requireFromSpectralFunctions<(a: Ajv) => void>('ajv-errors')(ajv);
});

/** ajv's verdict, or 'throws' when it refuses to compile the schema. */
function ajvAccepts(schema: unknown, value: unknown): boolean | 'throws' {
  try {
    return ajv.validate(schema as object, value);
  } catch {
    return 'throws';
  }
}

describe('quick check', () => {
  it('knows every keyword ajv implements (an ajv upgrade that adds one fails here)', () => {
    const keywords = Object.keys((ajv as unknown as { RULES: { keywords: Record<string, unknown> } }).RULES.keywords);
    expect([...keywords, 'errorMessage'].filter((keyword) => !KNOWN_KEYWORDS.has(keyword))).toEqual([]);
  });

  it.each<[string, object, unknown[]]>([
    ['nullable adds null', { type: 'string', nullable: true }, [null, 'a', 1]],
    ['type lists', { type: ['integer', 'null'] }, [null, 1, 1.5, '1']],
    [
      'string length counts code points as ajv does',
      { type: 'string', maxLength: 2, minLength: 2 },
      ['ab', '😀😀', '😀', 'abc'],
    ],
    ['multipleOf with decimals', { multipleOf: 0.1 }, [0.3, 0.7, 1.05, 2]],
    ['formats apply to their own type only', { format: 'date-time' }, ['2024-01-02T03:04:05Z', '2024-01-02', 5, null]],
    ['number formats', { format: 'int32' }, [1, 2 ** 31, 1.5, 'x']],
    [
      'patternProperties and additionalProperties',
      { properties: { a: {} }, patternProperties: { '^x': { type: 'number' } }, additionalProperties: false },
      [{ a: 1 }, { x1: 2 }, { x1: 'a' }, { b: 1 }],
    ],
    ['required sees inherited properties as ajv does', { required: ['constructor'] }, [{}, { a: 1 }]],
    [
      'properties named like Object.prototype members',
      { properties: { toString: { type: 'string' } } },
      [{}, { toString: 'x' }],
    ],
    [
      'dependencies',
      { dependencies: { a: ['b'], c: { required: ['d'] } } },
      [{ a: 1 }, { a: 1, b: 2 }, { c: 1 }, { c: 1, d: 1 }],
    ],
    [
      'if / then / else',
      { if: { type: 'string' }, then: { minLength: 2 }, else: { type: 'number' } },
      ['a', 'ab', 1, null],
    ],
    ['then without if is ignored', { then: false }, [1]],
    ['oneOf needs exactly one', { oneOf: [{ type: 'number' }, { type: 'integer' }] }, [1, 1.5, 'a']],
    [
      'uniqueItems compares deeply',
      { uniqueItems: true },
      [
        [{ a: 1 }, { a: 1 }],
        [{ a: 1 }, { a: 2 }],
        [1, '1'],
      ],
    ],
    [
      'tuples with additionalItems',
      { items: [{ type: 'string' }, { type: 'number' }], additionalItems: false },
      [['a', 1], ['a', 1, 2], [1], []],
    ],
    ['contains', { contains: { const: 2 } }, [[1, 2], [1], []]],
    ['propertyNames', { propertyNames: { pattern: '^[a-z]+$' } }, [{ ab: 1 }, { Ab: 1 }]],
    ['const and enum compare deeply', { enum: [{ a: [1] }, null], const: { a: [1] } }, [{ a: [1] }, null, { a: [2] }]],
  ])('agrees with ajv: %s', (_name, schema, values) => {
    expect(isPlain(schema)).toBe(true);
    expect(precompiled.validateJsonSchema(schema)).toBe(true);
    for (const value of values) expect(isValid(schema, value), JSON.stringify(value)).toBe(ajvAccepts(schema, value));
  });

  it.each([
    ['$ref', { $ref: '#/definitions/a', definitions: { a: {} } }],
    ['draft-04 id', { id: 'x', type: 'object' }],
    ['nullable without type (ajv throws)', { nullable: true }],
    ['nullable: false with a null type (ajv throws)', { type: ['null', 'string'], nullable: false }],
    ['unknown format', { format: 'whatever' }],
    ['errorMessage', { type: 'string', errorMessage: 'x' }],
    ['a nested $id', { properties: { a: { $id: 'x' } } }],
    // ajv's code without allErrors (under `not`/`if`) skips keywords after these; see isPlain.
    ['a tuple followed by contains', { not: { items: [{ type: 'string' }], contains: { type: 'number' } } }],
    [
      'propertyNames followed by properties',
      { if: { propertyNames: { maxLength: 1 }, properties: { constructor: { type: 'string' } } }, then: false },
    ],
  ])('leaves schemas with %s to ajv', (_name, schema) => {
    expect(isPlain(schema)).toBe(false);
  });

  it('agrees with ajv on generated schemas and values', () => {
    const random = mulberry32(Number(process.env['QUICK_CHECK_SEED'] ?? 20240611));
    let compared = 0;
    for (let i = 0; i < Number(process.env['QUICK_CHECK_SCHEMAS'] ?? 1500); i++) {
      const schema = generateSchema(random, 3);
      const metaValid = precompiled.validateJsonSchema(schema);
      expect(metaValid, 'the precompiled meta-schema agrees with ajv').toBe(ajv.validateSchema(schema as object));
      if (!isPlain(schema) || !metaValid) continue;
      for (let j = 0; j < 8; j++) {
        const value = generateValue(random, 3);
        const expected = ajvAccepts(schema, value);
        expect(expected, `ajv compiles ${JSON.stringify(schema)}`).not.toBe('throws');
        expect(isValid(schema, value), `${JSON.stringify(value)} against ${JSON.stringify(schema)}`).toBe(expected);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(5000);
  });
});

// --- generators ---------------------------------------------------------------------------------------

type Random = () => number;

function mulberry32(seed: number): Random {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const SCALARS = [
  null,
  true,
  false,
  0,
  1,
  -1,
  2,
  3,
  1.5,
  0.3,
  10,
  2 ** 31,
  '',
  'a',
  'ab',
  'abc',
  'Ab',
  'x1',
  '😀',
  '2024-01-02T03:04:05Z',
  '2024-01-02',
  'a@b.co',
  'https://x.io/a',
  '127.0.0.1',
  '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
];
const KEYS = ['a', 'b', 'c', 'x1', 'ab'];
const TYPES = ['null', 'boolean', 'integer', 'number', 'string', 'array', 'object'];
const FORMATS = ['date-time', 'date', 'email', 'uri', 'ipv4', 'uuid', 'int32', 'int64', 'regex', 'time', 'hostname'];
const PATTERNS = ['^a', 'b$', '^[a-z]+$', '\\d', '^$', '😀'];

function generateValue(random: Random, depth: number): unknown {
  const roll = random();
  if (depth <= 0 || roll < 0.55) return pick(random, SCALARS);
  if (roll < 0.75) return Array.from({ length: Math.floor(random() * 4) }, () => generateValue(random, depth - 1));
  const object: Record<string, unknown> = {};
  for (let i = Math.floor(random() * 4); i > 0; i--) object[pick(random, KEYS)] = generateValue(random, depth - 1);
  return object;
}

function generateSchema(random: Random, depth: number): unknown {
  if (depth <= 0 || random() < 0.1) return random() < 0.8 ? {} : random() < 0.5;
  const sub = () => generateSchema(random, depth - 1);
  const schema: Record<string, unknown> = {};
  const keywords: Record<string, () => unknown> = {
    type: () => (random() < 0.7 ? pick(random, TYPES) : [pick(random, TYPES), pick(random, TYPES)]),
    nullable: () => random() < 0.7,
    const: () => generateValue(random, 1),
    enum: () => Array.from({ length: 1 + Math.floor(random() * 3) }, () => generateValue(random, 1)),
    multipleOf: () => pick(random, [0.1, 0.5, 2, 3]),
    maximum: () => pick(random, [0, 1, 2.5, 10]),
    minimum: () => pick(random, [0, 1, 2.5, -1]),
    exclusiveMaximum: () => pick(random, [0, 1, 3]),
    exclusiveMinimum: () => pick(random, [0, 1, -1]),
    maxLength: () => Math.floor(random() * 4),
    minLength: () => Math.floor(random() * 3),
    pattern: () => pick(random, PATTERNS),
    format: () => pick(random, FORMATS),
    maxItems: () => Math.floor(random() * 4),
    minItems: () => Math.floor(random() * 3),
    uniqueItems: () => random() < 0.7,
    items: () => (random() < 0.7 ? sub() : [sub(), sub()]),
    additionalItems: sub,
    contains: sub,
    maxProperties: () => Math.floor(random() * 4),
    minProperties: () => Math.floor(random() * 3),
    required: () => [...new Set([pick(random, KEYS), pick(random, KEYS)])],
    properties: () => Object.fromEntries([pick(random, KEYS), pick(random, KEYS)].map((key) => [key, sub()])),
    patternProperties: () => ({ [pick(random, PATTERNS)]: sub() }),
    additionalProperties: sub,
    propertyNames: () => ({ pattern: pick(random, PATTERNS), maxLength: 2 }),
    dependencies: () => ({ [pick(random, KEYS)]: random() < 0.5 ? [pick(random, KEYS)] : sub() }),
    allOf: () => [sub(), sub()],
    anyOf: () => [sub(), sub()],
    oneOf: () => [sub(), sub()],
    not: sub,
    if: sub,
    then: sub,
    else: sub,
    title: () => 't',
    'x-extension': () => ({ type: 'number' }),
  };
  const names = Object.keys(keywords);
  for (let i = 1 + Math.floor(random() * 3); i > 0; i--) {
    const name = pick(random, names);
    schema[name] = keywords[name]!();
  }
  // ajv compiles `not` and `if` subschemas without allErrors, through other code paths: weight them.
  const wrap = random();
  if (wrap < 0.15) return { not: schema };
  if (wrap < 0.25) return { if: schema, then: sub(), ...(random() < 0.5 ? { else: sub() } : {}) };
  return schema;
}
