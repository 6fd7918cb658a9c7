import { stableJson } from './hash.js';
import { compareText } from '../shared/order.js';
import { isCycleRef, LIST_CHILDREN, MAP_CHILDREN, SINGLE_CHILD, type ShapeNode, type ShapeTable } from './shape.js';

/** One side of a comparison: a payload's root hash and the table its nodes live in. */
export interface ShapeRoot {
  ref: string;
  table: ShapeTable;
}

const STRUCTURE = new Set<string>([...SINGLE_CHILD, ...LIST_CHILDREN, ...MAP_CHILDREN, 'required', 'type', 'enum']);

const join = (path: string, name: string): string => (path === '' ? name : `${path}.${name}`);
const shown = (path: string): string => (path === '' ? '(payload)' : path);
const text = (value: unknown): string => (value === undefined ? '(none)' : stableJson(value));

function typeText(node: ShapeNode): string {
  const type = node['type'];
  if (Array.isArray(type)) return type.join(' | ');
  return typeof type === 'string' ? type : 'any';
}

/**
 * What changed inside a payload, one line per field: `data.call_uuid: added`, `data.id: integer -> string`,
 * `data.user: now required`, `data.status: enum added "queued"`. Sorted; empty when the shapes are equal.
 */
export function describeShapeChanges(before: ShapeRoot, after: ShapeRoot): string[] {
  const lines: string[] = [];
  walk('', before.ref, after.ref, before.table, after.table, lines);
  return lines.sort(compareText);
}

function walk(path: string, a: string, b: string, ta: ShapeTable, tb: ShapeTable, out: string[]): void {
  if (a === b) return;
  const na = isCycleRef(a) ? undefined : ta[a];
  const nb = isCycleRef(b) ? undefined : tb[b];
  if (na === undefined || nb === undefined) {
    out.push(`${shown(path)}: changed`);
    return;
  }
  if (typeText(na) !== typeText(nb)) out.push(`${shown(path)}: ${typeText(na)} -> ${typeText(nb)}`);
  compareEnum(path, na['enum'], nb['enum'], out);
  for (const key of [...new Set([...Object.keys(na), ...Object.keys(nb)])].sort(compareText)) {
    if (STRUCTURE.has(key) || stableJson(na[key]) === stableJson(nb[key])) continue;
    out.push(`${shown(path)}: ${key} ${text(na[key])} -> ${text(nb[key])}`);
  }
  compareProperties(path, na, nb, ta, tb, out);
  for (const key of SINGLE_CHILD) compareChild(childPath(path, key), na[key], nb[key], ta, tb, out);
  for (const key of LIST_CHILDREN) {
    const la = Array.isArray(na[key]) ? (na[key] as unknown[]) : [];
    const lb = Array.isArray(nb[key]) ? (nb[key] as unknown[]) : [];
    if (la.length !== lb.length) out.push(`${shown(path)}: ${key} had ${la.length} options, now ${lb.length}`);
    for (let i = 0; i < Math.min(la.length, lb.length); i++) {
      compareChild(`${shown(path)} (${key} ${i + 1})`, la[i], lb[i], ta, tb, out);
    }
  }
  for (const key of MAP_CHILDREN) {
    if (key === 'properties') continue;
    const ma = (na[key] ?? {}) as Record<string, unknown>;
    const mb = (nb[key] ?? {}) as Record<string, unknown>;
    for (const name of [...new Set([...Object.keys(ma), ...Object.keys(mb)])].sort(compareText)) {
      compareChild(`${shown(path)} (${key} ${name})`, ma[name], mb[name], ta, tb, out);
    }
  }
}

function childPath(path: string, key: string): string {
  if (key === 'items') return `${path}[]`;
  if (key === 'additionalProperties') return `${path}{*}`;
  return `${shown(path)} (${key})`;
}

function compareChild(path: string, a: unknown, b: unknown, ta: ShapeTable, tb: ShapeTable, out: string[]): void {
  if (a === undefined && b === undefined) return;
  if (a === undefined) out.push(`${shown(path)}: added`);
  else if (b === undefined) out.push(`${shown(path)}: removed`);
  else if (typeof a === 'string' && typeof b === 'string') walk(path, a, b, ta, tb, out);
  else if (stableJson(a) !== stableJson(b)) out.push(`${shown(path)}: ${text(a)} -> ${text(b)}`);
}

function compareEnum(path: string, a: unknown, b: unknown, out: string[]): void {
  if (stableJson(a) === stableJson(b)) return;
  if (!Array.isArray(a) || !Array.isArray(b)) {
    out.push(`${shown(path)}: ${Array.isArray(b) ? 'enum added' : 'enum removed'}`);
    return;
  }
  const before = new Set(a.map((value) => stableJson(value)));
  const after = new Set(b.map((value) => stableJson(value)));
  const added = [...after].filter((value) => !before.has(value));
  const removed = [...before].filter((value) => !after.has(value));
  if (added.length > 0) out.push(`${shown(path)}: enum value${added.length > 1 ? 's' : ''} added ${added.join(', ')}`);
  if (removed.length > 0)
    out.push(`${shown(path)}: enum value${removed.length > 1 ? 's' : ''} removed ${removed.join(', ')}`);
}

function compareProperties(
  path: string,
  na: ShapeNode,
  nb: ShapeNode,
  ta: ShapeTable,
  tb: ShapeTable,
  out: string[],
): void {
  const pa = (na['properties'] ?? {}) as Record<string, unknown>;
  const pb = (nb['properties'] ?? {}) as Record<string, unknown>;
  const ra = new Set(Array.isArray(na['required']) ? (na['required'] as string[]) : []);
  const rb = new Set(Array.isArray(nb['required']) ? (nb['required'] as string[]) : []);
  for (const name of [...new Set([...Object.keys(pa), ...Object.keys(pb), ...ra, ...rb])].sort(compareText)) {
    const field = join(path, name);
    if (!(name in pa) && name in pb) out.push(`${field}: added${rb.has(name) ? ' (required)' : ''}`);
    else if (name in pa && !(name in pb)) out.push(`${field}: removed`);
    else {
      if (ra.has(name) !== rb.has(name)) out.push(`${field}: now ${rb.has(name) ? 'required' : 'optional'}`);
      if (name in pa) compareChild(field, pa[name], pb[name], ta, tb, out);
    }
  }
}
