/** Recursive schemas: object-identity cycles through named schemas, and through anonymous ones. */

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ajvValidators,
  compare,
  loadGenerated,
  makeAjv,
  mutations,
  parseEvents,
  removeTmp,
  typeCheck,
  type EventSchema,
  type GeneratedModule,
} from './support.js';

const SPEC = `
asyncapi: 2.6.0
info: { title: Cycles, version: 1.0.0 }
channels:
  /hook:
    publish:
      operationId: receive
      message:
        oneOf:
          - $ref: '#/components/messages/userCreated'
          - $ref: '#/components/messages/treeGrown'
components:
  messages:
    userCreated:
      name: user.created
      payload:
        type: object
        required: [data]
        properties:
          event: { type: string, const: user.created }
          data: { $ref: '#/components/schemas/User' }
    treeGrown:
      name: tree.grown
      payload: { $ref: '#/components/schemas/Tree' }
  schemas:
    User:
      type: object
      required: [id]
      properties:
        id: { type: integer }
        numbers: { type: array, items: { $ref: '#/components/schemas/Number' } }
        manager: { oneOf: [{ $ref: '#/components/schemas/User' }, { type: 'null' }] }
    Number:
      type: object
      required: [digits]
      properties:
        digits: { type: string, minLength: 3 }
        users: { type: array, items: { $ref: '#/components/schemas/User' } }
    Tree:
      type: object
      properties:
        value: { type: string }
        children: { type: array, items: { $ref: '#/components/schemas/Tree' } }
`;

const USER_BODIES: unknown[] = [
  { event: 'user.created', data: { id: 1 } },
  {
    event: 'user.created',
    data: { id: 1, numbers: [{ digits: '+331', users: [{ id: 2, numbers: [{ digits: '+44', users: [] }] }] }] },
  },
  {
    event: 'user.created',
    data: { id: 1, numbers: [{ digits: '+331', users: [{ id: 'x', numbers: [{ digits: '1' }] }] }] },
  },
  { event: 'user.created', data: { id: 1, manager: { id: 2, manager: { id: 3, manager: null } } } },
  { event: 'user.created', data: { id: 1, manager: { id: 2, manager: { manager: 5 } } } },
];

const TREE_BODIES: unknown[] = [
  { value: 'root', children: [{ value: 'a', children: [{ value: 'b', children: [] }] }, { children: [{ value: 3 }] }] },
];

describe('cycles through named schemas, parsed by @asyncapi/parser', () => {
  let events: EventSchema[];
  let module: GeneratedModule;
  let ajv: Map<string, ValidateFunction>;
  const dir = join('test/.tmp', `validators-cycles-spec-${process.pid}`);

  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'cycles.yaml'), SPEC);
    events = await parseEvents(join(dir, 'cycles.yaml'));
    module = await loadGenerated('cycles', events);
    ajv = ajvValidators(events);
  }, 60_000);
  afterAll(() => {
    removeTmp([module]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('receives identity cycles from the parser', () => {
    const user = (
      events.find((event) => event.name === 'user.created')!.schema as { properties: { data: Record<string, unknown> } }
    ).properties.data;
    const manager = (user['properties'] as { manager: { oneOf: unknown[] } }).manager.oneOf[0];
    expect(manager).toBe(user);
  });

  it('emits one function per named schema, calling itself for the cycle', () => {
    const names = [...module.source.matchAll(/^function (validate\w+)\(/gm)].map((match) => match[1]);
    expect(names).toEqual(['validateNumber', 'validateTree', 'validateUser', 'validateUserCreatedPayload']);
    // One level deeper per recursive call: see depth.test.ts.
    expect(module.source).toContain('validateTree(children[i], path + "/children/" + i, issues, depth + 1);');
    expect(typeCheck([module])).toEqual([]);
  }, 60_000);

  it('agrees with ajv on deep bodies and their mutations', () => {
    const cases = [
      ...USER_BODIES.flatMap((body) => [body, ...mutations(body)]).map((body) => ['user.created', body] as const),
      ...TREE_BODIES.flatMap((body) => [body, ...mutations(body)]).map((body) => ['tree.grown', body] as const),
    ];
    const failures = cases
      .map(([event, body]) => compare(module, ajv.get(event) as ValidateFunction, event, body).detail)
      .filter(Boolean);
    expect(cases.length).toBeGreaterThan(400);
    expect(failures.slice(0, 5)).toEqual([]);
  });

  it('reports deep issues with full paths', () => {
    expect(module.validateEvent('user.created', USER_BODIES[2])).toEqual([
      { path: '/data/numbers/0/users/0/id', message: 'must be integer' },
      { path: '/data/numbers/0/users/0/numbers/0/digits', message: 'must NOT have fewer than 3 characters' },
    ]);
    expect(module.validateEvent('tree.grown', TREE_BODIES[0])).toEqual([
      { path: '/children/1/children/0/value', message: 'must be string' },
    ]);
  });
});

describe('cycles through anonymous schemas', () => {
  // A linked list whose node is anonymous: only a helper function can end this cycle.
  const node: Record<string, unknown> = {
    'x-parser-schema-id': '<anonymous-schema-9>',
    type: 'object',
    required: ['value'],
  };
  node['properties'] = { value: { type: 'integer' }, next: { anyOf: [node, { type: 'null' }] } };
  const root = { type: 'object', properties: { list: node }, 'x-parser-schema-id': '<anonymous-schema-1>' };
  // The same cycle, anonymous at the root of a payload.
  const self: Record<string, unknown> = { type: 'array', 'x-parser-schema-id': '<anonymous-schema-3>' };
  self['items'] = self;
  let module: GeneratedModule;

  beforeAll(async () => {
    module = await loadGenerated('anon-cycles', [
      { name: 'list.created', schema: root },
      { name: 'nest.created', schema: self },
    ]);
  }, 60_000);
  afterAll(() => removeTmp([module]));

  it('names the helper after its owner and path, never the anonymous number', () => {
    const names = [...module.source.matchAll(/^function (validate\w+)\(/gm)].map((match) => match[1]);
    expect(names).toEqual([
      'validateListCreatedPayload',
      'validateListCreatedPayload_list',
      'validateNestCreatedPayload',
    ]);
    expect(typeCheck([module])).toEqual([]);
  }, 60_000);

  it('agrees with an equivalent $ref schema in ajv', () => {
    const ajv = makeAjv();
    const list = ajv.compile({
      definitions: {
        node: {
          type: 'object',
          required: ['value'],
          properties: {
            value: { type: 'integer' },
            next: { anyOf: [{ $ref: '#/definitions/node' }, { type: 'null' }] },
          },
        },
      },
      type: 'object',
      properties: { list: { $ref: '#/definitions/node' } },
    });
    const nest = ajv.compile({
      definitions: { nest: { type: 'array', items: { $ref: '#/definitions/nest' } } },
      $ref: '#/definitions/nest',
    });
    const lists = [
      { list: { value: 1, next: { value: 2, next: { value: 3, next: null } } } },
      { list: { value: 1, next: { value: 'x', next: null } } },
      { list: { next: { value: 1 } } },
    ];
    const nests = [[], [[[]]], [[[], [1]]], [[], {}], 5];
    const failures = [
      ...lists
        .flatMap((body) => [body, ...mutations(body)])
        .map((body) => compare(module, list, 'list.created', body).detail),
      ...nests
        .flatMap((body) => [body, ...mutations(body)])
        .map((body) => compare(module, nest, 'nest.created', body).detail),
    ].filter(Boolean);
    expect(failures).toEqual([]);
    expect(module.validateEvent('nest.created', [[[], [1]]])).toEqual([{ path: '/0/1/0', message: 'must be array' }]);
  });
});
