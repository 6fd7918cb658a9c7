// Conventions the generator and the ahead-of-time validators rely on (see spec/README.md):
// every object schema is a named component, open to extra keys, and uses no keyword that needs
// a runtime helper; nothing in the file collides with handlebars.
import { beforeAll, describe, expect, it } from 'vitest';
import { PARSE_TIMEOUT_MS, SPEC_PATH, isObject, parseSpec } from './spec-harness.js';
import type { JsonObject, ParsedSpec } from './spec-harness.js';

const FORBIDDEN_KEYWORDS = ['minLength', 'maxLength', 'minItems', 'uniqueItems', 'pattern', 'default'];
const ALLOWED_FORMATS = ['uri', 'date-time'];

interface SchemaVisit {
  path: string;
  schema: JsonObject;
}

/** Every schema node reachable from the component schemas, with a readable path. */
function walkSchemas(root: JsonObject, path: string, out: SchemaVisit[] = []): SchemaVisit[] {
  out.push({ path, schema: root });
  const properties = root['properties'];
  if (isObject(properties)) {
    for (const [key, value] of Object.entries(properties)) {
      if (isObject(value)) walkSchemas(value, `${path}.properties.${key}`, out);
    }
  }
  const items = root['items'];
  if (isObject(items)) walkSchemas(items, `${path}.items`, out);
  for (const combiner of ['oneOf', 'anyOf', 'allOf']) {
    const list = root[combiner];
    if (Array.isArray(list)) {
      list.forEach((value, i) => {
        if (isObject(value)) walkSchemas(value, `${path}.${combiner}[${i}]`, out);
      });
    }
  }
  const additional = root['additionalProperties'];
  if (isObject(additional)) walkSchemas(additional, `${path}.additionalProperties`, out);
  return out;
}

function typesOf(schema: JsonObject): string[] {
  const type = schema['type'];
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : [];
}

let spec: ParsedSpec;
let visits: SchemaVisit[];

beforeAll(async () => {
  spec = await parseSpec(SPEC_PATH);
  const schemas: unknown = (spec.document.json() as unknown as JsonObject)['components'];
  const components = isObject(schemas) ? schemas['schemas'] : undefined;
  if (!isObject(components)) throw new Error('no components.schemas');
  visits = Object.entries(components).flatMap(([name, schema]) =>
    isObject(schema) ? walkSchemas(schema, `components.schemas.${name}`) : [],
  );
}, PARSE_TIMEOUT_MS);

describe('spec conventions', () => {
  it('walks a sensible number of schema nodes', () => {
    expect(visits.length).toBeGreaterThan(500);
  });

  it('names every component schema by a PascalCase title equal to its key', () => {
    const components = (spec.document.json() as unknown as { components: { schemas: JsonObject } }).components.schemas;
    for (const [name, schema] of Object.entries(components)) {
      expect(name).toMatch(/^[A-Z][A-Za-z0-9]*$/);
      expect(isObject(schema) ? schema['title'] : undefined, name).toBe(name);
    }
  });

  it('has no anonymous object schema: each one is a named component reached by $ref', () => {
    const anonymous = visits
      .filter(({ schema }) => typesOf(schema).includes('object'))
      .filter(({ schema }) => schema['x-parser-schema-id'] !== schema['title'] || typeof schema['title'] !== 'string')
      .map(({ path }) => path);
    expect(anonymous).toEqual([]);
  });

  it('lets every object schema carry extra keys explicitly (additionalProperties: true)', () => {
    const closed = visits
      .filter(({ schema }) => typesOf(schema).includes('object'))
      .filter(({ schema }) => schema['additionalProperties'] !== true)
      .map(({ path }) => path);
    expect(closed).toEqual([]);
  });

  it('uses no keyword that the ahead-of-time validators would need a runtime helper for', () => {
    const offending = visits.flatMap(({ path, schema }) =>
      FORBIDDEN_KEYWORDS.filter((k) => k in schema).map((k) => `${path}.${k}`),
    );
    expect(offending).toEqual([]);
  });

  it('uses formats only where allowed', () => {
    const formats = visits
      .filter(({ schema }) => 'format' in schema)
      .filter(({ schema }) => !ALLOWED_FORMATS.includes(String(schema['format'])))
      .map(({ path, schema }) => `${path}: ${String(schema['format'])}`);
    expect(formats).toEqual([]);
  });

  it('writes nullable enums with null both in the type and in the enum', () => {
    const wrong = visits
      .filter(({ schema }) => Array.isArray(schema['enum']))
      .filter(({ schema }) => typesOf(schema).includes('null') !== (schema['enum'] as unknown[]).includes(null))
      .map(({ path }) => path);
    expect(wrong).toEqual([]);
  });

  it('keeps the file plain: YAML, LF, 2-space indent, no tabs, no handlebars braces', () => {
    expect(spec.text).not.toContain('{{');
    expect(spec.text).not.toContain('\r');
    expect(spec.text).not.toContain('\t');
    expect(spec.text.endsWith('\n')).toBe(true);
    const oddIndent = spec.text.split('\n').filter((line) => /^( *)/.exec(line)![1]!.length % 2 === 1);
    expect(oddIndent).toEqual([]);
  });
});
