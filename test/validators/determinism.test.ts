/** The same schemas give the same text, whatever the key order, event order or anonymous numbering. */

import { beforeAll, describe, expect, it } from 'vitest';
import { renderValidatorsModule, type JsonSchema } from '../../src/render/validators/index.js';
import { parseEvents, random, type EventSchema } from './support.js';

/**
 * A deep copy with every object's keys in a random order and anonymous ids renumbered; arrays
 * keep their order (it is data) and shared or cyclic objects stay shared.
 */
function shuffled(value: unknown, next: () => number, copies = new Map<object, unknown>()): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const known = copies.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    copies.set(value, copy);
    for (const item of value) copy.push(shuffled(item, next, copies));
    return copy;
  }
  const copy: Record<string, unknown> = {};
  copies.set(value, copy);
  const keys = shuffle(Object.keys(value), next);
  for (const key of keys) {
    let item = (value as Record<string, unknown>)[key];
    if (key === 'x-parser-schema-id' && typeof item === 'string' && item.startsWith('<anonymous-schema-')) {
      item = `<anonymous-schema-${Math.floor(next() * 100000)}>`;
    }
    Object.defineProperty(copy, key, {
      value: shuffled(item, next, copies),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

function shuffle<T>(items: T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function render(events: readonly EventSchema[]): string {
  return renderValidatorsModule({ events: events.map(({ name, schema }) => ({ name, schema })) });
}

describe('deterministic output', () => {
  let events: EventSchema[];

  beforeAll(async () => {
    events = await parseEvents('spec/aircall-webhooks.asyncapi.yaml');
    // A hand-written cycle and enum/pattern/format constants, on top of the bundled document.
    const node: Record<string, unknown> = { 'x-parser-schema-id': 'Node', type: 'object' };
    node['properties'] = {
      kind: { enum: ['a', 'b', 'c', 'd', 'e', 'f', 'g'], 'x-parser-schema-id': '<anonymous-schema-1>' },
      code: { type: 'string', pattern: '^[A-Z]{3}$', format: 'uuid', 'x-parser-schema-id': '<anonymous-schema-2>' },
      children: { type: 'array', items: node, 'x-parser-schema-id': '<anonymous-schema-3>' },
      z: {},
      y: {},
      x: {},
      w: {},
      v: {},
      u: {},
    };
    node['additionalProperties'] = false;
    events.push({ name: 'node.created', schema: node as JsonSchema });
  }, 60_000);

  it('renders the same text twice', () => {
    expect(render(events)).toBe(render(events));
  });

  it('does not depend on key order, event order or anonymous numbering', () => {
    const expected = render(events);
    for (const seed of [1, 2, 3]) {
      const next = random(seed);
      const copies = new Map<object, unknown>();
      const reordered = shuffle(events, next).map(({ name, schema }) => ({
        name,
        schema: shuffled(schema, next, copies) as JsonSchema,
      }));
      expect(render(reordered)).toBe(expected);
    }
  });

  it('sorts validators by name and never mentions anonymous ids', () => {
    const source = render(events);
    const names = [...source.matchAll(/^function (validate\w+)\(/gm)].map((match) => match[1] ?? '');
    expect(names.length).toBeGreaterThan(20);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(source).not.toMatch(/anonymous/i);
  });
});
