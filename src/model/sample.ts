type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deeper than this, a schema is cyclic through synthetic merges: stop with `null`. */
const MAX_DEPTH = 64;

const FORMAT_SAMPLES: Record<string, string> = {
  'date-time': '2024-01-01T00:00:00Z',
  date: '2024-01-01',
  uri: 'https://example.com/',
  email: 'user@example.com',
  uuid: '00000000-0000-4000-8000-000000000000',
};

/**
 * One schema holding what every `allOf` part says, so a value built from it satisfies all of them:
 * properties named by several parts become an `allOf` of their schemas, `required` lists are joined, and
 * for other keywords a later part wins (an envelope's `resource` enum, then the event's `const`).
 */
function mergeAllOf(schema: Schema, parts: Schema[]): Schema {
  const { allOf: _allOf, ...own } = schema;
  const all = [own, ...parts];
  const properties: Record<string, unknown> = {};
  for (const part of all) {
    if (!isSchema(part['properties'])) continue;
    for (const [key, value] of Object.entries(part['properties'])) {
      properties[key] = key in properties ? { allOf: [properties[key], value] } : value;
    }
  }
  const required = [...new Set(all.flatMap((part) => (Array.isArray(part['required']) ? part['required'] : [])))];
  return { ...Object.assign({}, ...all), properties, required };
}

/**
 * Builds a small value that satisfies `schema`, deterministically, for events whose message has no
 * example. It fills required properties only and takes the first option wherever there is a choice.
 */
export function sampleFromSchema(schema: unknown, seen: ReadonlySet<Schema> = new Set()): unknown {
  if (!isSchema(schema)) return {};
  if (seen.has(schema)) return null;
  const inner = new Set(seen).add(schema);
  if (inner.size > MAX_DEPTH) return null;

  if ('const' in schema) return schema['const'];
  if (Array.isArray(schema['enum']) && schema['enum'].length > 0) return schema['enum'][0];
  if ('examples' in schema && Array.isArray(schema['examples']) && schema['examples'].length > 0) {
    return schema['examples'][0];
  }
  for (const key of ['oneOf', 'anyOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches) && branches.length > 0) return sampleFromSchema(branches[0], inner);
  }
  if (Array.isArray(schema['allOf'])) {
    const parts = schema['allOf'].filter(isSchema);
    for (const part of parts) inner.add(part);
    return sampleFromSchema(mergeAllOf(schema, parts), inner);
  }

  const types = Array.isArray(schema['type']) ? schema['type'] : [schema['type']];
  const type = types.find((t) => t !== 'null') ?? types[0] ?? (isSchema(schema['properties']) ? 'object' : undefined);
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const properties = isSchema(schema['properties']) ? schema['properties'] : {};
      const required = Array.isArray(schema['required']) ? schema['required'] : [];
      for (const key of required) {
        if (typeof key === 'string') out[key] = sampleFromSchema(properties[key], inner);
      }
      return out;
    }
    case 'array':
      return [];
    case 'string':
      return typeof schema['format'] === 'string' ? (FORMAT_SAMPLES[schema['format']] ?? 'string') : 'string';
    case 'integer':
    case 'number':
      return typeof schema['minimum'] === 'number' ? schema['minimum'] : 0;
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return {};
  }
}
