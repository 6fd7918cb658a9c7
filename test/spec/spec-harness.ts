// Shared helpers for the spec tests: parse an AsyncAPI file once, turn its message payloads into
// ajv validators keyed by event name, and read the real bodies kept in test/fixtures/examples.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Parser } from '@asyncapi/parser';
import type { AsyncAPIDocumentInterface, Diagnostic } from '@asyncapi/parser';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import { readExamples } from '../support/examples.js';

export const SPEC_PATH = fileURLToPath(new URL('../../spec/aircall-webhooks.asyncapi.yaml', import.meta.url));
export { UPSTREAM_SPEC as UPSTREAM_PATH } from '../support/examples.js';

/** Parsing runs Spectral and takes seconds: give hooks that parse this timeout. */
export const PARSE_TIMEOUT_MS = 60_000;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface ParsedSpec {
  text: string;
  document: AsyncAPIDocumentInterface;
  diagnostics: Diagnostic[];
}

export async function parseSpec(path: string): Promise<ParsedSpec> {
  const text = readFileSync(path, 'utf8');
  const { document, diagnostics } = await new Parser().parse(text, { source: path });
  if (document === undefined) {
    const errors = diagnostics.filter((d) => d.severity === 0).map((d) => `${d.code}: ${d.message} at ${d.path.join('.')}`);
    throw new Error(`${path} did not parse:\n${errors.join('\n')}`);
  }
  return { text, document, diagnostics };
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Removes the parser's `x-parser-*` annotations so that ajv sees plain JSON Schema. */
export function stripParserKeys(value: unknown): Json {
  if (Array.isArray(value)) return value.map(stripParserKeys);
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [key, inner] of Object.entries(value)) {
      if (!key.startsWith('x-parser-')) out[key] = stripParserKeys(inner);
    }
    return out;
  }
  return value as Json;
}

export function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false });
  // ajv-formats is CommonJS; under NodeNext its plugin is typed as the `default` property.
  ajvFormats.default(ajv);
  if (!('uri' in ajv.formats) || !('email' in ajv.formats)) throw new Error('ajv-formats did not register its formats');
  return ajv;
}

/** One compiled payload validator per message, keyed by the message name (the event literal). */
export function validatorsByEvent(document: AsyncAPIDocumentInterface): Map<string, ValidateFunction> {
  const ajv = createAjv();
  const validators = new Map<string, ValidateFunction>();
  for (const message of document.allMessages().all()) {
    const name = message.name();
    const payload = message.payload();
    if (name === undefined || payload === undefined) throw new Error(`message ${message.id()} has no name or payload`);
    if (validators.has(name)) throw new Error(`two messages are named ${name}`);
    validators.set(name, ajv.compile(stripParserKeys(payload.json()) as object));
  }
  return validators;
}

export interface Body {
  /** Where the body comes from, for messages: a file name or `<messageId>/<example name>`. */
  source: string;
  body: JsonObject;
}

export function eventOf(body: JsonObject): string {
  const event = body['event'];
  if (typeof event !== 'string') throw new Error('body has no string `event`');
  return event;
}

/** The real deliveries (and the one documented sample) kept in test/fixtures/examples. */
export function readRealBodies(): Body[] {
  return readExamples().map(({ file, body }) => ({ source: file, body: body as JsonObject }));
}

export function readRealBody(file: string): JsonObject {
  const found = readRealBodies().find((b) => b.source === file);
  if (found === undefined) throw new Error(`no real example ${file}`);
  return found.body;
}

/** Every example payload declared on the document's messages. */
export function specExampleBodies(document: AsyncAPIDocumentInterface): Body[] {
  const bodies: Body[] = [];
  for (const message of document.allMessages().all()) {
    for (const example of message.examples().all()) {
      const payload = stripParserKeys(example.payload());
      if (!isObject(payload)) throw new Error(`example ${example.name() ?? '?'} of ${message.id()} is not an object`);
      bodies.push({ source: `${message.id()}/${example.name() ?? '?'}`, body: payload });
    }
  }
  return bodies;
}

/** Names of the events whose payload schema accepts `body`. */
export function acceptingEvents(validators: Map<string, ValidateFunction>, body: unknown): string[] {
  return [...validators].filter(([, validate]) => validate(body)).map(([event]) => event);
}

export function errorPaths(errors: ErrorObject[] | null | undefined): string[] {
  return [...new Set((errors ?? []).map((e) => e.instancePath))].sort();
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}
