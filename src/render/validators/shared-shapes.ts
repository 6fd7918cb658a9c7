/**
 * Schemas of one shape -> one shared function. Webhook envelopes repeat one structure and differ
 * in a few `const` values (the event name) and in the schema of one property (the payload data):
 * emitted in full, each would repeat the same checks. Instead, the checks are emitted once, with a
 * parameter for each `const` and each called validator that differs between the schemas, and each
 * schema's function calls that shared function with its own arguments. Nothing here knows about
 * envelopes: any functions whose bodies are equal but for those values are grouped.
 */

import { compareText } from '../../shared/order.js';
import { pascalCase } from '../../model/names.js';
import { FIXED_NAMES } from './emit-helpers.js';
import type { ConstRule, FunctionDef, ModuleDef, Primitive, SchemaNode, SchemaRef } from './ir.js';
import { NameScope, identifierFrom, jsPrimitive } from './names.js';

/** A place where functions of one shape may differ: a `const` (undefined when absent) or a callee. */
type Hole =
  | { kind: 'const'; value: Primitive | undefined; label: readonly string[] }
  | { kind: 'call'; fn: string; label: readonly string[] };

interface HoleVisitor {
  constant(rule: ConstRule | undefined, label: readonly string[]): ConstRule | undefined;
  call(fn: string, label: readonly string[]): string;
}

/** The names every emitted function declares besides its parameters: never a parameter's name. */
const FUNCTION_LOCALS = ['value', 'path', 'issues', 'start', 'depth'];

export interface ShareOptions {
  /** Functions that must keep their own body (e.g. those on a recursion cycle). */
  exclude: ReadonlySet<string>;
  /** Lines the emitted body of a function would take, to share only when that makes the module shorter. */
  linesOf: (fn: FunctionDef) => number;
}

export function shareCommonShapes(def: ModuleDef, options: ShareOptions): ModuleDef {
  const groups = new Map<string, { fn: FunctionDef; holes: Hole[] }[]>();
  for (const fn of def.functions) {
    if (options.exclude.has(fn.name)) continue;
    const { key, holes } = shapeOf(fn.body);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [{ fn, holes }]);
    else group.push({ fn, holes });
  }
  const moduleNames = new NameScope([
    ...def.functions.map((fn) => fn.name),
    ...def.constants.map((constant) => constant.name),
    ...FIXED_NAMES,
  ]);
  const replaced = new Map<string, FunctionDef>();
  const shared: FunctionDef[] = [];
  for (const members of groups.values()) {
    // Each member keeps a four-line function calling the shared one: share only what that shortens.
    const lines = members[0] === undefined ? 0 : options.linesOf(members[0].fn);
    if (members.length < 2 || (members.length - 1) * lines <= 4 * members.length) continue;
    const result = shareGroup(members, moduleNames);
    shared.push(result.shared);
    for (const member of result.members) replaced.set(member.name, member);
  }
  const functions = [...def.functions.map((fn) => replaced.get(fn.name) ?? fn), ...shared];
  return { ...def, functions: functions.sort((a, b) => compareText(a.name, b.name)) };
}

/** One group -> the shared function (holes that differ become parameters) and the members calling it. */
function shareGroup(
  members: readonly { fn: FunctionDef; holes: Hole[] }[],
  moduleNames: NameScope,
): { shared: FunctionDef; members: FunctionDef[] } {
  const first = members[0] as { fn: FunctionDef; holes: Hole[] };
  const names = members.map((member) => member.fn.name);
  const name = moduleNames.claim(`validate${commonName(names.map((n) => n.replace(/^validate/, '')))}Shape`);
  const locals = moduleNames.fork(FUNCTION_LOCALS);
  const params: { name: string; type: string; index: number }[] = [];
  first.holes.forEach((hole, index) => {
    const values = members.map((member) => holeValue(member.holes[index] as Hole));
    if (values.every((value) => value === values[0])) return;
    const base = pascalCase(hole.label.join(' '));
    if (hole.kind === 'call') params.push({ name: locals.claim(`validate${base}`), type: 'Validator', index });
    else params.push({ name: locals.claim(`expected${base}`), type: constType(members, index), index });
  });
  const paramAt = new Map(params.map((param) => [param.index, param]));
  let at = 0;
  const body = mapNode(first.fn.body, [], {
    constant: (rule) => {
      const param = paramAt.get(at++);
      if (param === undefined) return rule;
      return { param: param.name, optional: param.type.endsWith('| undefined') };
    },
    call: (fn) => paramAt.get(at++)?.name ?? fn,
  });
  const passes = params.length === 0 ? '' : `; each passes its own ${params.map((param) => param.name).join(', ')}`;
  const shared: FunctionDef = {
    name,
    doc: `the shape shared by ${names.length} functions, ${names[0]} to ${names[names.length - 1]}${passes}`,
    body,
    params: params.map(({ name, type }) => ({ name, type })),
  };
  return {
    shared,
    members: members.map(({ fn, holes }) => ({
      ...fn,
      delegate: { to: name, args: params.map((param) => argument(holes[param.index] as Hole)) },
    })),
  };
}

/** The shape of a body as text (holes blanked out) and its holes, in a fixed traversal order. */
function shapeOf(node: SchemaNode): { key: string; holes: Hole[] } {
  const holes: Hole[] = [];
  const blank = mapNode(node, [], {
    constant: (rule, label) => {
      if (rule !== undefined && !('value' in rule)) throw new Error('shapeOf: a const is already a parameter');
      holes.push({ kind: 'const', value: rule?.value, label });
      return undefined;
    },
    call: (fn, label) => {
      holes.push({ kind: 'call', fn, label });
      return '';
    },
  });
  return { key: JSON.stringify(blank), holes };
}

/** A copy of `node` with every `const` and every callee replaced by what `visit` returns. */
function mapNode(node: SchemaNode, label: readonly string[], visit: HoleVisitor): SchemaNode {
  const ref = (schema: SchemaRef, segment: string): SchemaRef =>
    'call' in schema
      ? { call: visit.call(schema.call, [...label, segment]) }
      : mapNode(schema, [...label, segment], visit);
  const { array, object } = node;
  const additional = object.additional;
  const mapped: SchemaNode = {
    ...node,
    const: visit.constant(node.const, label),
    array: { ...array },
    object: {
      ...object,
      properties: object.properties.map(({ name, schema }) => ({ name, schema: ref(schema, name) })),
      additional: additional === undefined || additional === false ? additional : ref(additional, 'additional'),
    },
    allOf: node.allOf.map((branch, i) => ref(branch, `allOf${i}`)),
    anyOf: node.anyOf.map((branch, i) => ref(branch, `anyOf${i}`)),
    oneOf: node.oneOf.map((branch, i) => ref(branch, `oneOf${i}`)),
    not: node.not === undefined ? undefined : ref(node.not, 'not'),
  };
  if (array.items !== undefined) mapped.array.items = ref(array.items, 'items');
  return mapped;
}

/** A hole's value as comparable text: `undefined`, a JS literal, or a function name. */
function holeValue(hole: Hole): string {
  if (hole.kind === 'call') return `call ${hole.fn}`;
  return hole.value === undefined ? 'undefined' : `const ${jsPrimitive(hole.value)}`;
}

function argument(hole: Hole): string {
  if (hole.kind === 'call') return hole.fn;
  return hole.value === undefined ? 'undefined' : jsPrimitive(hole.value);
}

/** The TypeScript type of a `const` parameter: the types of the members' values. */
function constType(members: readonly { holes: Hole[] }[], index: number): string {
  const types = new Set<string>();
  for (const member of members) {
    const hole = member.holes[index] as Hole;
    if (hole.kind !== 'const') continue;
    types.add(hole.value === null ? 'null' : typeof hole.value);
  }
  const order = ['string', 'number', 'boolean', 'null', 'undefined'];
  return order.filter((type) => types.has(type)).join(' | ');
}

/** The longest run of PascalCase words that ends every name, or else starts every name ('Shared' if none). */
function commonName(names: readonly string[]): string {
  const words = names.map((name) => name.match(/[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])|_/g) ?? []);
  const common = (at: (list: string[], i: number) => string | undefined): string[] => {
    const found: string[] = [];
    for (let i = 0; ; i++) {
      const word = at(words[0] ?? [], i);
      if (word === undefined || !words.every((list) => at(list, i) === word)) return found;
      found.push(word);
    }
  };
  const suffix = common((list, i) => list[list.length - 1 - i]).reverse();
  const prefix = common((list, i) => list[i]);
  return identifierFrom((suffix.length > 0 ? suffix : prefix).join(''), '') || 'Shared';
}
