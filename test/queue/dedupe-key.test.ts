import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  canonicalBody,
  canonicalJson,
  dedupeKey,
  shortId,
  withoutToken,
} from '../../runtime/receiver/queue/dedupe-key.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('canonicalJson', () => {
  it.each([
    [
      'sorts keys at every level',
      { b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } },
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    ],
    ['keeps array order', [3, 1, 2], '[3,1,2]'],
    ['escapes like JSON.stringify', { 'é"\n': 'a\u2028' }, JSON.stringify({ 'é"\n': 'a\u2028' })],
    ['numbers as JSON.stringify writes them', { n: 1e21, f: 0.1, m: -0 }, '{"f":0.1,"m":0,"n":1e+21}'],
    ['a __proto__ key stays a key', JSON.parse('{"__proto__":{"x":1},"a":2}'), '{"__proto__":{"x":1},"a":2}'],
    ['empty containers', { a: [], b: {} }, '{"a":[],"b":{}}'],
    ['sorts keys that look like array indexes as text', { b: 1, 10: 2, 9: 3, a: 4 }, '{"10":2,"9":3,"a":4,"b":1}'],
    ['nested index-like keys too', { z: { 2: 'x', 10: 'y' }, a: 1 }, '{"a":1,"z":{"10":"y","2":"x"}}'],
    ['a class instance is written by its own keys, not its toJSON', { d: new Date(0), a: 1 }, '{"a":1,"d":{}}'],
    [
      'drops undefined and function members, writes null for them in arrays',
      { a: undefined, f: () => 1, l: [undefined, () => 1] },
      '{"l":[null,null]}',
    ],
  ])('%s', (_name, value, want) => {
    expect(canonicalJson(value)).toBe(want);
  });

  it('writes every fixture body as a plain sorted JSON writer would', () => {
    const reference = (value: unknown): string => {
      if (typeof value !== 'object' || value === null) return JSON.stringify(value);
      if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
      const record = value as Record<string, unknown>;
      return `{${Object.keys(record)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${reference(record[key])}`)
        .join(',')}}`;
    };
    const folder = fileURLToPath(new URL('../fixtures/examples/', import.meta.url));
    const files = readdirSync(folder).filter((name) => name.endsWith('.json'));
    expect(files.length).toBeGreaterThan(10);
    for (const name of files) {
      const body = JSON.parse(readFileSync(join(folder, name), 'utf8')) as unknown;
      expect(canonicalJson(body)).toBe(reference(body));
    }
  });

  it('writes every kind of character in keys and values as JSON.stringify does', () => {
    const samples = [
      '',
      'plain ascii',
      'quote " and backslash \\',
      ...Array.from({ length: 0x20 }, (_, code) => `c${String.fromCharCode(code)}c`),
      'del \u007f, nbsp \u00a0, é, \u2028 \u2029',
      'pair \ud83d\ude00 ok',
      'lone high \ud83d',
      'lone low \ude00 x',
      'low then high \ude00\ud83d',
    ];
    for (const text of samples) {
      expect(canonicalJson(text)).toBe(JSON.stringify(text));
      expect(canonicalJson({ [text]: text, a: [text] })).toBe(
        JSON.stringify(text < 'a' ? { [text]: text, a: [text] } : { a: [text], [text]: text }),
      );
    }
  });

  it('writes keys right however many distinct keys it has seen (its cache of quoted keys is bounded)', () => {
    for (let n = 0; n < 5_000; n++) {
      const key = n % 2 === 0 ? `k${n}` : `k\n${'x'.repeat(n % 100)}"${n}`;
      expect(canonicalJson({ [key]: n, z: 1 })).toBe(`{${JSON.stringify(key)}:${n},"z":1}`);
    }
  });

  it('sorts every key list right, however many it has seen (its cache of sorted, quoted lists is bounded)', () => {
    const sortedText = (keys: string[]) =>
      `{${[...keys]
        .sort()
        .map((key) => `${JSON.stringify(key)}:1`)
        .join(',')}}`;
    const objectOf = (keys: string[]) => Object.fromEntries(keys.map((key) => [key, 1]));
    // The same first key with lists that differ further on, in length, or only in order; then past the
    // bounds: more first keys than are kept, more lists per first key, a list longer than is kept.
    const lists: string[][] = [
      ['z', 'b', 'a'],
      ['z', 'a', 'b'],
      ['z', 'b', 'a', 'c'],
      ['z', 'b'],
      ['z', 'y', 'x'],
      ['z', 'b', 'y'],
      ['z', 'y', 'b'],
      ...Array.from({ length: 400 }, (_, n) => [`k${n}`, 'b', 'a', `m${n % 7}`]),
      Array.from({ length: 100 }, (_, n) => `long${99 - n}`),
      // Keys whose quoted text is more than is kept, plain and with characters that escape.
      Array.from({ length: 10 }, (_, n) => `${'q'.repeat(300)}${9 - n}`),
      Array.from({ length: 10 }, (_, n) => `${'\n"'.repeat(100)}${9 - n}`),
    ];
    for (let round = 0; round < 3; round++) {
      for (const keys of lists) expect(canonicalJson(objectOf(keys))).toBe(sortedText(keys));
    }
    // A key list written by an earlier object is never changed by a later one.
    const first = JSON.parse('{"z":1,"b":1,"a":1}') as Record<string, unknown>;
    expect(canonicalJson(first)).toBe('{"a":1,"b":1,"z":1}');
    expect(Object.keys(first)).toEqual(['z', 'b', 'a']);
  });

  it('handles a body nested 100,000 levels deep (its own stack past a few levels, so no stack overflow)', () => {
    const depth = 100_000;
    const text = `${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`;
    expect(canonicalJson(JSON.parse(text))).toBe(text);
  });

  it('writes the same on either side of the depth where it stops recursing', () => {
    for (const depth of [30, 31, 32, 33, 63, 64, 65, 200]) {
      const text = `${'{"b":2,"a":['.repeat(depth)}{"z":1,"y":null}${']}'.repeat(depth)}`;
      const sorted = `${'{"a":['.repeat(depth)}{"y":null,"z":1}${'],"b":2}'.repeat(depth)}`;
      expect(canonicalJson(JSON.parse(text))).toBe(sorted);
    }
  });
});

describe('dedupeKey', () => {
  const body = { event: 'call.created', resource: 'call', timestamp: 1, token: 'secret', data: { id: 1, b: 2, a: 1 } };

  it('is the SHA-256 hex of the sorted JSON without token', () => {
    expect(dedupeKey(body)).toBe(
      sha256('{"data":{"a":1,"b":2,"id":1},"event":"call.created","resource":"call","timestamp":1}'),
    );
  });

  it('ignores key order, spacing and the token; not the values', () => {
    const reordered = JSON.parse(
      '{ "token": "other",  "data": {"a":1,"id":1,"b":2}, "timestamp":1, "resource":"call", "event":"call.created" }',
    );
    expect(dedupeKey(reordered)).toBe(dedupeKey(body));
    expect(dedupeKey({ ...body, timestamp: 2 })).not.toBe(dedupeKey(body));
  });

  it('canonicalBody writes what canonicalJson(withoutToken(body)) writes, without copying the body', () => {
    const folder = fileURLToPath(new URL('../fixtures/examples/', import.meta.url));
    const bodies: Record<string, unknown>[] = readdirSync(folder)
      .filter((name) => name.endsWith('.json'))
      .map((name) => JSON.parse(readFileSync(join(folder, name), 'utf8')) as Record<string, unknown>);
    bodies.push(
      JSON.parse('{"token":"t","__proto__":{"token":"inner"},"data":{"token":"kept"},"a":1}'),
      JSON.parse(`{"token":"t","b":2,"a":${'['.repeat(200)}1${']'.repeat(200)}}`),
      {},
      { token: 'only' },
    );
    for (const body of bodies) {
      const before = JSON.stringify(body);
      expect(canonicalBody(body)).toBe(canonicalJson(withoutToken(body)));
      expect(JSON.stringify(body)).toBe(before);
    }
    expect(canonicalBody(bodies.at(-4)!)).toBe('{"__proto__":{"token":"inner"},"a":1,"data":{"token":"kept"}}');
  });

  it('withoutToken copies, never mutates', () => {
    const copy = withoutToken(body);
    expect(copy).not.toHaveProperty('token');
    expect(body.token).toBe('secret');
  });

  it('short ids are the first 16 hex digits', () => {
    expect(shortId(dedupeKey(body))).toMatch(/^[0-9a-f]{16}$/);
  });
});
