// The `call.created` payload schema as @asyncapi/parser (the root project's copy) resolves it,
// with its `x-parser-*` annotations removed so a plain JSON-Schema validator accepts it.
import { readFileSync } from 'node:fs';
import { rootRequire } from './root-require.js';

function stripParserKeys(value) {
  if (Array.isArray(value)) return value.map(stripParserKeys);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [key, inner] of Object.entries(value)) {
    if (!key.startsWith('x-parser-')) out[key] = stripParserKeys(inner);
  }
  return out;
}

export async function resolveBodySchema(specPath, eventName) {
  const { Parser } = rootRequire('@asyncapi/parser');
  const { document, diagnostics } = await new Parser().parse(readFileSync(specPath, 'utf8'));
  if (!document) {
    const errors = diagnostics.filter((d) => d.severity === 0).map((d) => d.message);
    throw new Error(`the spec does not parse: ${errors.slice(0, 3).join('; ')}`);
  }
  const message = document
    .allMessages()
    .all()
    .find((m) => m.name() === eventName);
  if (!message) throw new Error(`the spec has no message named ${eventName}`);
  return stripParserKeys(message.payload().json());
}
