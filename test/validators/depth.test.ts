/**
 * Recursive schemas and hostile nesting: a validator follows a recursive schema at most MAX_DEPTH
 * levels, so a deep body fails validation with an issue instead of overflowing the stack (which
 * the receiver would answer with 500, and Aircall would retry forever).
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DEPTH } from '../../src/render/validators/recursion.js';
import { loadGenerated, removeTmp, typeCheck, type GeneratedModule } from './support.js';

const TOO_DEEP = `must NOT be nested more than ${MAX_DEPTH} levels deep`;

// Tree: recursion through a named schema. User <-> Team: a cycle of two named schemas.
// Nest: an anonymous array of itself, at the root of a payload.
const tree: Record<string, unknown> = { 'x-parser-schema-id': 'Tree', type: 'object', required: ['value'] };
tree['properties'] = { value: { type: 'string' }, children: { type: 'array', items: tree } };
const user: Record<string, unknown> = { 'x-parser-schema-id': 'User', type: 'object' };
const team: Record<string, unknown> = { 'x-parser-schema-id': 'Team', type: 'object' };
user['properties'] = { team };
team['properties'] = { lead: user };
const nest: Record<string, unknown> = { 'x-parser-schema-id': '<anonymous-schema-3>', type: 'array' };
nest['items'] = nest;
const flat = { 'x-parser-schema-id': 'Flat', type: 'object', properties: { child: { type: 'object' } } };

/** A tree `levels` nodes deep, each node the only child of the one above (built in a loop, not recursively). */
function deepTree(levels: number): unknown {
  let node: Record<string, unknown> = { value: 'leaf' };
  for (let i = 1; i < levels; i++) node = { value: 'node', children: [node] };
  return node;
}

function deepUser(teams: number): unknown {
  let node: Record<string, unknown> = {};
  for (let i = 0; i < teams; i++) node = { team: { lead: node } };
  return node;
}

describe('depth of recursive schemas', () => {
  let module: GeneratedModule;
  let flatModule: GeneratedModule;

  beforeAll(async () => {
    module = await loadGenerated('depth', [
      { name: 'tree.grown', schema: tree },
      { name: 'user.created', schema: user },
      { name: 'nest.created', schema: nest },
    ]);
    flatModule = await loadGenerated('depth-flat', [{ name: 'flat.created', schema: flat }]);
  }, 60_000);
  afterAll(() => removeTmp([module, flatModule]));

  it('accepts a body nested exactly as deep as the limit', () => {
    expect(module.validateEvent('tree.grown', deepTree(MAX_DEPTH))).toBeNull();
  });

  it('refuses one level more, with an issue at the level that is too deep', () => {
    expect(module.validateEvent('tree.grown', deepTree(MAX_DEPTH + 1))).toEqual([
      { path: '/children/0'.repeat(MAX_DEPTH), message: TOO_DEEP },
    ]);
  });

  it('still reports ordinary issues above the limit', () => {
    const body = { value: 1, children: [deepTree(MAX_DEPTH + 1)] };
    expect(module.validateEvent('tree.grown', body)).toEqual([
      { path: '/children/0'.repeat(MAX_DEPTH), message: TOO_DEEP },
      { path: '/value', message: 'must be string' },
    ]);
  });

  it('counts every call around a cycle of two schemas', () => {
    // Each team level is two calls (User -> Team -> User).
    expect(module.validateEvent('user.created', deepUser(MAX_DEPTH / 2 - 1))).toBeNull();
    const issues = module.validateEvent('user.created', deepUser(MAX_DEPTH));
    expect(issues).toEqual([{ path: '/team/lead'.repeat(MAX_DEPTH / 2), message: TOO_DEEP }]);
  });

  it('never overflows the stack, even 100,000 levels deep', () => {
    expect(module.validateEvent('tree.grown', deepTree(100_000))).toEqual([
      { path: '/children/0'.repeat(MAX_DEPTH), message: TOO_DEEP },
    ]);
    expect(module.validateEvent('user.created', deepUser(100_000))?.[0]?.message).toBe(TOO_DEEP);
    // V8's JSON.parse is not recursive: a receiver really can be handed this body.
    const arrays = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    expect(module.validateEvent('nest.created', arrays)).toEqual([{ path: '/0'.repeat(MAX_DEPTH), message: TOO_DEEP }]);
  });

  it('type-checks, and adds no depth counting where no schema is recursive', () => {
    expect(typeCheck([module, flatModule])).toEqual([]);
    expect(module.source).toContain(`const MAX_DEPTH = ${MAX_DEPTH};`);
    expect(flatModule.source).not.toMatch(/depth/i);
    expect(flatModule.validateEvent('flat.created', { child: deepTree(100_000) })).toBeNull();
  }, 60_000);
});
