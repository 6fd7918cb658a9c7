// A deterministic copy of the bundled spec with 10x the messages: every message gets 9 copies
// (`call.created.x1` ... `call.created.x9`), each with its own `<Pascal>Webhook` payload schema whose
// `event` const is the copy's name, and examples carrying that name. Shared data schemas stay shared.
import { readFileSync, writeFileSync } from 'node:fs';
import { rootRequire } from './root-require.js';

const YAML = rootRequire('yaml');

/** Same word split as src/model/names.ts: `user.created.v2.x3` -> `UserCreatedV2X3`. */
function pascalCase(text) {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

const REF_PREFIX = '#/components/schemas/';

export function multiplySpec(doc, factor) {
  const out = structuredClone(doc);
  const messages = out.components.messages;
  const schemas = out.components.schemas;
  const operation = Object.values(out.channels)[0].publish;
  const refs = [];
  for (const ref of operation.message.oneOf) {
    refs.push(ref);
    const key = ref.$ref.split('/').pop();
    const message = messages[key];
    const payloadKey = message.payload.$ref.slice(REF_PREFIX.length);
    for (let i = 1; i < factor; i++) {
      const name = `${message.name}.x${i}`;
      const newKey = `${key}X${i}`;
      const newPayloadKey = `${pascalCase(name)}Webhook`;
      if (messages[newKey] || schemas[newPayloadKey])
        throw new Error(`synthetic spec: ${newKey}/${newPayloadKey} already exists`);

      const schema = structuredClone(schemas[payloadKey]);
      schema.title = newPayloadKey;
      schema.description = `Body of a \`${name}\` delivery.`;
      schema.properties.event.const = name;
      schemas[newPayloadKey] = schema;

      const copy = structuredClone(message);
      copy.name = name;
      if (copy.messageId !== undefined) copy.messageId = newKey;
      if (copy.title !== undefined) copy.title = `${copy.title} (copy ${i})`;
      copy.payload = { $ref: `${REF_PREFIX}${newPayloadKey}` };
      for (const example of copy.examples ?? []) {
        if (example.payload && typeof example.payload === 'object') example.payload.event = name;
      }
      messages[newKey] = copy;
      refs.push({ $ref: `#/components/messages/${newKey}` });
    }
  }
  operation.message.oneOf = refs;
  return out;
}

/** Writes the 10x spec to `outPath`; returns the number of messages it holds. */
export function writeSyntheticSpec(specPath, outPath, factor = 10) {
  const doc = YAML.parse(readFileSync(specPath, 'utf8'));
  const multiplied = multiplySpec(doc, factor);
  writeFileSync(outPath, YAML.stringify(multiplied, { lineWidth: 0, aliasDuplicateObjects: false }));
  return Object.values(multiplied.channels)[0].publish.message.oneOf.length;
}
