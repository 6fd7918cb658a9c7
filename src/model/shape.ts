import { sha256 } from '../shared/hash.js';
import { stableJson } from './hash.js';

/**
 * The canonical shape of a payload schema, as a content-addressed table: every schema becomes a node
 * whose subschemas are replaced by their hashes, so an event's hash depends only on the schemas its
 * payload reaches. Names, `x-` extensions (the parser's ids and counters), annotations and key order
 * are left out; a schema met again on its own path becomes `^N` (N levels up).
 */
export type ShapeNode = Record<string, unknown>;
export type ShapeTable = Record<string, ShapeNode>;

type Schema = Record<string, unknown>;

/** Keywords that hold one subschema. */
export const SINGLE_CHILD = [
  'items',
  'additionalItems',
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
] as const;
/** Keywords that hold a list of subschemas. */
export const LIST_CHILDREN = ['oneOf', 'anyOf', 'allOf', 'prefixItems', 'items'] as const;
/** Keywords that hold a map of subschemas. */
export const MAP_CHILDREN = ['properties', 'patternProperties', 'dependentSchemas'] as const;

/** Words that describe but do not constrain: changing them changes no handler's code. */
const ANNOTATIONS = new Set([
  'title',
  'description',
  'examples',
  'example',
  'default',
  '$comment',
  '$id',
  '$schema',
  'deprecated',
  'readOnly',
  'writeOnly',
  'definitions',
  '$defs',
  'discriminator',
  'externalDocs',
]);

const HASH_LENGTH = 16;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a child reference points up the path (a cycle) rather than at a table entry. */
export function isCycleRef(ref: string): boolean {
  return ref.startsWith('^');
}

/** Builds shape tables; one builder can hash many payloads into one shared table. */
export class ShapeBuilder {
  readonly table: ShapeTable = {};
  /** Subtrees without cycles hash the same wherever they sit, so they are hashed once. */
  private readonly closed = new Map<Schema, string>();

  /** The hash of `schema`'s shape, adding its nodes to the table. */
  hash(schema: Schema): string {
    return this.visit(schema, []).ref;
  }

  /** `lowest`: the smallest stack index a cycle inside points at (Infinity: none). */
  private visit(schema: Schema, stack: Schema[]): { ref: string; lowest: number } {
    const up = stack.lastIndexOf(schema);
    if (up >= 0) return { ref: `^${stack.length - up}`, lowest: up };
    const known = this.closed.get(schema);
    if (known !== undefined) return { ref: known, lowest: Number.POSITIVE_INFINITY };

    stack.push(schema);
    let lowest = Number.POSITIVE_INFINITY;
    const child = (value: Schema): string => {
      const result = this.visit(value, stack);
      lowest = Math.min(lowest, result.lowest);
      return result.ref;
    };
    const node = canonicalNode(schema, child);
    stack.pop();

    const ref = sha256(stableJson(node)).slice(0, HASH_LENGTH);
    this.table[ref] = node;
    if (lowest >= stack.length) this.closed.set(schema, ref);
    return { ref, lowest };
  }
}

function canonicalNode(schema: Schema, child: (value: Schema) => string): ShapeNode {
  const node: ShapeNode = {};
  for (const key of Object.keys(schema).sort()) {
    const value = schema[key];
    if (ANNOTATIONS.has(key) || key.startsWith('x-')) continue;
    if (key === 'additionalProperties' && value === true) continue; // the default
    if ((SINGLE_CHILD as readonly string[]).includes(key) && isSchema(value)) node[key] = child(value);
    else if ((LIST_CHILDREN as readonly string[]).includes(key) && Array.isArray(value))
      node[key] = value.map((item) => (isSchema(item) ? child(item) : item));
    else if ((MAP_CHILDREN as readonly string[]).includes(key) && isSchema(value))
      node[key] = Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((name) => [name, isSchema(value[name]) ? child(value[name] as Schema) : value[name]]),
      );
    else node[key] = normalizeKeyword(key, value);
  }
  return node;
}

function normalizeKeyword(key: string, value: unknown): unknown {
  if (key === 'type' && Array.isArray(value)) {
    // Sorted for a canonical hash, `null` last as people write it (`string | null`).
    const types = [...value].map(String).sort((a, b) => (a === 'null' ? 1 : b === 'null' ? -1 : a < b ? -1 : 1));
    return types.length === 1 ? types[0] : types;
  }
  if (key === 'required' && Array.isArray(value)) return [...value].map(String).sort();
  if (key === 'enum' && Array.isArray(value)) {
    return [...value].sort((a, b) => (stableJson(a) < stableJson(b) ? -1 : stableJson(a) > stableJson(b) ? 1 : 0));
  }
  return value;
}

/** The part of `table` reachable from `roots`, keys sorted: what the manifest keeps. */
export function reachableShapes(table: ShapeTable, roots: Iterable<string>): ShapeTable {
  const kept = new Set<string>();
  const pending = [...roots];
  while (pending.length > 0) {
    const ref = pending.pop()!;
    if (kept.has(ref) || isCycleRef(ref) || table[ref] === undefined) continue;
    kept.add(ref);
    pending.push(...childRefs(table[ref]!));
  }
  return Object.fromEntries([...kept].sort().map((ref) => [ref, table[ref]!]));
}

/** The hashes a node points at. */
export function childRefs(node: ShapeNode): string[] {
  const refs: string[] = [];
  for (const key of SINGLE_CHILD) if (typeof node[key] === 'string') refs.push(node[key] as string);
  for (const key of LIST_CHILDREN) {
    const list = node[key];
    if (Array.isArray(list)) refs.push(...list.filter((item): item is string => typeof item === 'string'));
  }
  for (const key of MAP_CHILDREN) {
    const map = node[key];
    if (isSchema(map)) refs.push(...Object.values(map).filter((item): item is string => typeof item === 'string'));
  }
  return refs;
}
