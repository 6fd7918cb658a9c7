/**
 * Objects with very many properties: one function holding every check stops tsc with TS2563 ("too
 * large for control flow analysis") from about 350 optional properties on, so the checks are split
 * into chunk functions. 1,000 properties is well past that point and still quick to type-check.
 */

import type { ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ajvValidators,
  compare,
  loadGenerated,
  removeTmp,
  typeCheck,
  type EventSchema,
  type GeneratedModule,
} from './support.js';

const COUNT = 1_000;
const names = Array.from({ length: COUNT }, (_, i) => `p${String(i).padStart(4, '0')}`);

/** `count` properties, every other one required, alternating string and integer. */
function wide(id: string, count: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const properties = Object.fromEntries(
    names.slice(0, count).map((name, i) => [name, { type: i % 2 === 0 ? 'string' : 'integer' }]),
  );
  const required = names.slice(0, count).filter((_, i) => i % 2 === 0);
  return { 'x-parser-schema-id': id, type: 'object', properties, required, ...extra };
}

/** 40 inline objects of 40 properties each: 1,600 checks, none of them in a named schema of its own. */
const nested = {
  'x-parser-schema-id': 'Nested',
  type: 'object',
  properties: Object.fromEntries(
    names.slice(0, 40).map((name) => [name, { ...wide('<anonymous-schema-1>', 40), 'x-parser-schema-id': undefined }]),
  ),
};

const EVENTS: EventSchema[] = [
  { name: 'wide.created', schema: wide('Wide', COUNT) },
  { name: 'closed.created', schema: wide('Closed', COUNT, { additionalProperties: false }) },
  { name: 'nested.created', schema: nested },
];

/** A body that conforms to `wide(…, COUNT)`. */
function validBody(): Record<string, unknown> {
  return Object.fromEntries(names.map((name, i) => [name, i % 2 === 0 ? 'x' : i]));
}

describe('objects with many properties', () => {
  let module: GeneratedModule;
  let ajv: Map<string, ValidateFunction>;

  beforeAll(async () => {
    module = await loadGenerated('huge', EVENTS);
    ajv = ajvValidators(EVENTS);
  }, 60_000);
  afterAll(() => removeTmp([module]));

  it('splits the checks into functions that tsc can analyse', () => {
    expect(module.source).toContain('function validateWide_properties1(');
    expect(module.source).toContain('function validateWide_required1(');
    expect(typeCheck([module])).toEqual([]);
  }, 120_000);

  it('validates as one function would, issues in the same order', () => {
    const body = validBody();
    expect(module.validateEvent('wide.created', body)).toBeNull();
    delete body['p0000'];
    delete body['p0998'];
    body['p0001'] = 'not an integer';
    body['p0999'] = 'not an integer';
    expect(module.validateEvent('wide.created', body)).toEqual([
      { path: '', message: "must have required property 'p0000'" },
      { path: '', message: "must have required property 'p0998'" },
      { path: '/p0001', message: 'must be integer' },
      { path: '/p0999', message: 'must be integer' },
    ]);
  });

  it('agrees with ajv, extra properties included', () => {
    const bodies: [string, unknown][] = [
      ['wide.created', validBody()],
      ['wide.created', { ...validBody(), p0500: null, extra: 1 }],
      ['closed.created', validBody()],
      ['closed.created', { ...validBody(), extra: 1, p0003: 'x' }],
      ['nested.created', { p0000: Object.fromEntries(names.slice(0, 40).map((name, i) => [name, i % 2 ? 1 : 'x'])) }],
      ['nested.created', { p0000: { p0001: 'x' }, p0039: { p0000: 5 } }],
      ['nested.created', { p0001: [] }],
    ];
    const failures = bodies
      .map(([event, body]) => compare(module, ajv.get(event) as ValidateFunction, event, body).detail)
      .filter(Boolean);
    expect(failures).toEqual([]);
  });
});
