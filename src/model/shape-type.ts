import { isCycleRef, type ShapeNode, type ShapeTable } from './shape.js';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const PRIMITIVES: Record<string, string> = {
  string: 'string',
  integer: 'number',
  number: 'number',
  boolean: 'boolean',
  null: 'null',
};

/**
 * A TypeScript type for a recorded payload shape: what a retired event's orphaned handler is typed
 * with once the spec no longer describes it. Plain and structural (no model names survive in a shape);
 * a cycle or anything it cannot express becomes `unknown`. Output is unformatted (prettier runs later).
 */
export function shapeToTypeScript(ref: string, table: ShapeTable): string {
  const node = isCycleRef(ref) ? undefined : table[ref];
  return node === undefined ? 'unknown' : nodeType(node, table);
}

function nodeType(node: ShapeNode, table: ShapeTable): string {
  if ('const' in node) return literal(node['const']);
  if (Array.isArray(node['enum'])) return union(node['enum'].map(literal));
  const branches = (['oneOf', 'anyOf'] as const).flatMap((key) =>
    Array.isArray(node[key]) ? (node[key] as string[]).map((child) => shapeToTypeScript(child, table)) : [],
  );
  const parts = Array.isArray(node['allOf'])
    ? (node['allOf'] as string[]).map((child) => shapeToTypeScript(child, table))
    : [];
  const own = ownType(node, table);
  if (branches.length > 0) parts.push(union(branches));
  if (own !== undefined || parts.length === 0) parts.unshift(own ?? 'unknown');
  return parts.length === 1 ? parts[0]! : parts.map((part) => `(${part})`).join(' & ');
}

function ownType(node: ShapeNode, table: ShapeTable): string | undefined {
  const type = node['type'];
  const types = Array.isArray(type) ? (type as string[]) : typeof type === 'string' ? [type] : [];
  if (types.length === 0) return 'properties' in node ? objectType(node, table) : undefined;
  return union(
    types.map((name) => {
      if (name === 'object') return objectType(node, table);
      if (name === 'array') {
        const items = node['items'];
        return typeof items === 'string' ? `Array<${shapeToTypeScript(items, table)}>` : 'unknown[]';
      }
      return PRIMITIVES[name] ?? 'unknown';
    }),
  );
}

function objectType(node: ShapeNode, table: ShapeTable): string {
  const properties = (node['properties'] ?? {}) as Record<string, string>;
  const required = new Set(Array.isArray(node['required']) ? (node['required'] as string[]) : []);
  const members = Object.keys(properties).map((name) => {
    const key = IDENTIFIER.test(name) ? name : JSON.stringify(name);
    return `${key}${required.has(name) ? '' : '?'}: ${shapeToTypeScript(properties[name]!, table)};`;
  });
  if (node['additionalProperties'] !== false) members.push('[key: string]: unknown;');
  return `{ ${members.join(' ')} }`;
}

function literal(value: unknown): string {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value) ? JSON.stringify(value) : 'unknown';
}

function union(parts: string[]): string {
  const unique = [...new Set(parts)];
  if (unique.includes('unknown')) return 'unknown';
  return unique.join(' | ');
}
