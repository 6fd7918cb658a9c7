/** Schemas of one shape share one function; each schema's function passes its own values. */

import type { ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ajvValidators,
  compare,
  loadGenerated,
  mutations,
  removeTmp,
  typeCheck,
  type EventSchema,
  type GeneratedModule,
} from './support.js';

const named = (id: string, schema: Record<string, unknown>) => ({ 'x-parser-schema-id': id, ...schema });
const call = named('Call', { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } });
const user = named('User', { type: 'object', required: ['name'], properties: { name: { type: 'string' } } });

/** An envelope in the bundled spec's style; `resource` is pinned only when given. */
function envelope(id: string, event: string, data: unknown, resource?: string) {
  return named(id, {
    type: 'object',
    required: ['event', 'data', 'token'],
    properties: {
      event: { type: 'string', const: event },
      resource: resource === undefined ? { type: 'string' } : { type: 'string', const: resource },
      token: { type: 'string' },
      data,
    },
  });
}

const EVENTS: EventSchema[] = [
  { name: 'call.created', schema: envelope('CallCreatedWebhook', 'call.created', call, 'call') },
  { name: 'call.ended', schema: envelope('CallEndedWebhook', 'call.ended', call, 'call') },
  { name: 'user.created', schema: envelope('UserCreatedWebhook', 'user.created', user) },
  // Another shape (an extra property): keeps its own checks.
  {
    name: 'odd.created',
    schema: named('OddWebhook', { ...envelope('x', 'odd.created', user), properties: { extra: { type: 'string' } } }),
  },
];

describe('functions shared by schemas of one shape', () => {
  let module: GeneratedModule;
  let ajv: Map<string, ValidateFunction>;

  beforeAll(async () => {
    module = await loadGenerated('shared-shapes', EVENTS);
    ajv = ajvValidators(EVENTS);
  }, 60_000);
  afterAll(() => removeTmp([module]));

  it('emits the envelope once, with a parameter for each value that differs', () => {
    expect(module.source).toContain(
      'function validateWebhookShape(value: unknown, path: string, issues: ValidationIssue[], validateData: Validator, expectedEvent: string, expectedResource: string | undefined): boolean {',
    );
    expect(module.source).toContain(
      'return validateWebhookShape(value, path, issues, validateCall, "call.created", "call");',
    );
    expect(module.source).toContain(
      'return validateWebhookShape(value, path, issues, validateUser, "user.created", undefined);',
    );
    expect(module.source.match(/must have required property 'token'/g)).toHaveLength(2);
    expect(typeCheck([module])).toEqual([]);
  }, 60_000);

  it('validates each event with its own values', () => {
    expect(
      module.validateEvent('call.created', { event: 'call.ended', resource: 'user', token: 't', data: {} }),
    ).toEqual([
      { path: '/data', message: "must have required property 'id'" },
      { path: '/event', message: 'must be equal to constant' },
      { path: '/resource', message: 'must be equal to constant' },
    ]);
    expect(
      module.validateEvent('user.created', { event: 'user.created', resource: 'any', token: 't', data: { name: 'n' } }),
    ).toBeNull();
  });

  it('agrees with ajv on every mutation', () => {
    const bodies: [string, unknown][] = [
      ['call.created', { event: 'call.created', resource: 'call', token: 't', data: { id: 1 } }],
      ['call.ended', { event: 'call.ended', resource: 'call', token: 't', data: { id: 2 } }],
      ['user.created', { event: 'user.created', resource: 'user', token: 't', data: { name: 'n' } }],
      ['odd.created', { event: 'odd.created', token: 't', data: { name: 'n' }, extra: 'e' }],
    ];
    const cases = bodies.flatMap(([event, body]) => [body, ...mutations(body)].map((b) => [event, b] as const));
    const failures = cases
      .map(([event, body]) => compare(module, ajv.get(event) as ValidateFunction, event, body).detail)
      .filter(Boolean);
    expect(cases.length).toBeGreaterThan(100);
    expect(failures).toEqual([]);
  });
});
