import { commentText, modelName, pascalCase } from './names.js';

type Schema = Record<string, unknown>;

const ID = 'x-parser-schema-id';
const ANONYMOUS = /^<anonymous-schema-\d+>$/;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Modelina turns objects and enums into models of their own; everything else renders inline. */
function becomesModel(schema: Schema): boolean {
  const type = schema['type'];
  return (
    Array.isArray(schema['enum']) ||
    type === 'object' ||
    (Array.isArray(type) && type.includes('object')) ||
    isSchema(schema['properties'])
  );
}

/**
 * Gives every schema that becomes a model a stable name, written to `x-parser-schema-id`
 * (where Modelina and the validator generator read it):
 *
 * - named components keep their name, made a safe identifier (`Number` -> `AircallNumber`);
 * - anonymous ones are named after where they sit (`Call` > `direction` -> `CallDirection`),
 *   never after the parser's `<anonymous-schema-N>` counter, which shifts whenever the spec changes.
 *
 * It also makes descriptions safe to place in doc comments and drops `additionalProperties: true`
 * (the default; Modelina would otherwise add a fake `additionalProperties` property).
 * `roots` are visited in order, so names are deterministic for a given spec.
 */
export function nameSchemas(roots: readonly { schema: Schema; fallbackName: string }[]): void {
  const taken = new Map<string, Schema>();
  const visited = new Set<Schema>();

  const claim = (wanted: string, schema: Schema): string => {
    let name = wanted;
    for (let n = 2; taken.has(name) && taken.get(name) !== schema; n++) name = `${wanted}${n}`;
    taken.set(name, schema);
    return name;
  };

  const visit = (schema: Schema, suggested: string): void => {
    if (visited.has(schema)) return;
    visited.add(schema);

    const id = schema[ID];
    let name = suggested;
    if (typeof id === 'string' && !ANONYMOUS.test(id)) {
      name = claim(modelName(id), schema);
      schema[ID] = name;
    } else if (becomesModel(schema)) {
      name = claim(modelName(suggested), schema);
      schema[ID] = name;
    }

    // Modelina names a model after `title` before anything else, so the title must agree.
    if (schema[ID] === name && becomesModel(schema)) schema['title'] = name;
    if (typeof schema['description'] === 'string') schema['description'] = commentText(schema['description']);
    if (schema['additionalProperties'] === true) delete schema['additionalProperties'];

    const properties = schema['properties'];
    if (isSchema(properties)) {
      for (const [key, child] of Object.entries(properties)) {
        if (isSchema(child)) visit(child, `${name}${pascalCase(key)}`);
      }
    }
    const items = schema['items'];
    if (isSchema(items)) visit(items, `${name}Item`);
    if (Array.isArray(items))
      items.forEach((child, i) => {
        if (isSchema(child)) visit(child, `${name}Item${i + 1}`);
      });
    if (isSchema(schema['additionalProperties'])) visit(schema['additionalProperties'], `${name}Value`);
    for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
      const branches = schema[key];
      if (Array.isArray(branches)) {
        branches.forEach((child, i) => {
          if (isSchema(child)) visit(child, `${name}Option${i + 1}`);
        });
      }
    }
  };

  for (const root of roots) visit(root.schema, root.fallbackName);
}
