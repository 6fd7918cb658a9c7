// The dedupe key of a delivery: anyone can compute it (SHA-256 of a canonical JSON), and bodies that differ
// only in key order or spacing, as Aircall's retries may, get the same one.
import { createHash } from 'node:crypto';

/** The logged `id` and `ctx.id`: the key's first 16 hex digits. */
export const ID_LENGTH = 16;

/**
 * `JSON.stringify(value)` with object keys sorted (by UTF-16 code units, as `Array.prototype.sort` does)
 * at every level. Written out rather than built as sorted copies: no objects to allocate, and a
 * `__proto__` key stays a plain key.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    const items = value.map((item) => (item === undefined ? 'null' : canonicalJson(item)));
    return `[${items.join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (item === undefined || typeof item === 'function') continue; // as JSON.stringify drops them
    parts.push(`${JSON.stringify(key)}:${canonicalJson(item)}`);
  }
  return `{${parts.join(',')}}`;
}

/** The parsed body without its `token`: what is stored, and what the key is computed from. */
export function withoutToken(body: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(body)) {
    if (key !== 'token') Object.defineProperty(rest, key, { value: body[key], enumerable: true });
  }
  return rest;
}

/** SHA-256 (hex) of the canonical JSON of the body without `token`. */
export function dedupeKey(body: Readonly<Record<string, unknown>>): string {
  return createHash('sha256')
    .update(canonicalJson(withoutToken(body)))
    .digest('hex');
}

/** The short id of a key, as logged and given to handlers. */
export function shortId(key: string): string {
  return key.slice(0, ID_LENGTH);
}
