/**
 * Test support for the generated validators: load a generated module, type-check it, build the
 * ajv reference for the same schemas, and compare the two.
 */

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Parser } from '@asyncapi/parser';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import ts from 'typescript';
import { renderValidatorsModule, type JsonSchema } from '../../src/render/validators/index.js';

export interface Issue {
  path: string;
  message: string;
}

export interface GeneratedModule {
  dir: string;
  source: string;
  validateEvent(event: string, body: unknown): Issue[] | null;
}

export type EventSchema = { name: string; schema: JsonSchema };
export type ParsedEvent = EventSchema & { examples: unknown[] };

const TMP_ROOT = resolve('test/.tmp');
let counter = 0;

/** Renders, writes (validators.ts + events.ts), transpiles and imports a validators module. */
export async function loadGenerated(
  label: string,
  events: readonly EventSchema[],
  transform: (source: string) => Promise<string> = async (source) => source,
): Promise<GeneratedModule> {
  const source = await transform(renderValidatorsModule({ events: [...events] }));
  const dir = join(TMP_ROOT, `validators-${label}-${process.pid}-${counter++}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(dir, 'validators.ts'), source);
  const union = events.map((event) =>
    JSON.stringify(event.name)
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029'),
  );
  writeFileSync(join(dir, 'events.ts'), `export type EventName = ${union.join(' | ')};\n`);
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
  }).outputText;
  writeFileSync(join(dir, 'validators.js'), js);
  const loaded = (await import(pathToFileURL(join(dir, 'validators.js')).href)) as Pick<
    GeneratedModule,
    'validateEvent'
  >;
  return { dir, source, validateEvent: loaded.validateEvent };
}

export function removeTmp(modules: readonly GeneratedModule[]): void {
  if (process.env['KEEP_TMP']) return;
  for (const module of modules) rmSync(module.dir, { recursive: true, force: true });
}

/** Type-checks generated modules the strict way the generated project will; returns the diagnostics as text. */
export function typeCheck(modules: readonly GeneratedModule[]): string[] {
  const program = ts.createProgram(
    modules.map((module) => join(module.dir, 'validators.ts')),
    {
      strict: true,
      noUncheckedIndexedAccess: true,
      noUnusedLocals: true,
      noImplicitReturns: true,
      exactOptionalPropertyTypes: true,
      verbatimModuleSyntax: true,
      isolatedModules: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts'],
      types: [],
      noEmit: true,
    },
  );
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where =
      d.file && d.start !== undefined
        ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}`
        : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

/** Parses an AsyncAPI document the way the generator does and returns each message's payload. */
export async function parseEvents(file: string): Promise<ParsedEvent[]> {
  const { document, diagnostics } = await new Parser().parse(readFileSync(file, 'utf8'), { source: resolve(file) });
  if (document === undefined) {
    throw new Error(
      `cannot parse ${file}: ${diagnostics
        .filter((d) => d.severity === 0)
        .map((d) => d.message)
        .join('; ')}`,
    );
  }
  return document
    .allMessages()
    .all()
    .map((message) => ({
      name: message.name() ?? message.id(),
      schema: message.payload()?.json() as JsonSchema,
      examples: message
        .examples()
        .all()
        .map((example) => example.payload())
        .filter((payload) => payload !== undefined),
    }));
}

const ID = 'x-parser-schema-id';
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'];
const SCHEMA_VALUES = ['items', 'additionalProperties', 'not'];

function isNamedId(id: unknown): id is string {
  return typeof id === 'string' && !/^<anonymous-schema-.*>$/.test(id);
}

/**
 * The ajv form of a resolved (possibly cyclic) schema: x-parser-* keys stripped, every named
 * schema moved to `definitions` and referenced with `$ref`, which also breaks identity cycles.
 */
export function toAjvSchema(root: JsonSchema): JsonSchema {
  const definitions: Record<string, unknown> = {};
  const convert = (node: unknown, isDefinition: boolean): unknown => {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return node;
    const schema = node as Record<string, unknown>;
    const id = schema[ID];
    if (!isDefinition && isNamedId(id)) {
      if (!Object.hasOwn(definitions, id)) {
        definitions[id] = true; // placeholder: ends cycles
        definitions[id] = convert(schema, true);
      }
      return { $ref: `#/definitions/${id}` };
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(schema)) {
      if (key.startsWith('x-parser-')) continue;
      if (key === 'properties' && typeof value === 'object' && value !== null) {
        out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, convert(sub, false)]));
      } else if (SCHEMA_LISTS.includes(key) && Array.isArray(value)) {
        out[key] = value.map((sub) => convert(sub, false));
      } else if (SCHEMA_VALUES.includes(key)) {
        out[key] = convert(value, false);
      } else {
        out[key] = structuredClone(value);
      }
    }
    return out;
  };
  const top = convert(root, false);
  if (typeof top !== 'object' || top === null) return top as JsonSchema;
  return { ...(top as Record<string, unknown>), definitions };
}

/**
 * ajv as the reference: draft-07, all errors, unknown keywords ignored, fast formats, plus two
 * options that match the generated validators' documented semantics: `ownProperties` (inherited
 * names such as `constructor` are not properties of a body) and `strictNumbers` (`strict: false`
 * would otherwise let 1e400, which JSON.parse turns into Infinity, pass as a number and an integer).
 */
export function makeAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, strictNumbers: true, ownProperties: true, logger: false });
  const addFormats = addFormatsModule as unknown as (ajv: Ajv, options: { mode: 'fast' | 'full' }) => Ajv;
  addFormats(ajv, { mode: 'fast' });
  return ajv;
}

/** ajv validators by event, compiling each distinct payload schema once. */
export function ajvValidators(events: readonly EventSchema[], ajv = makeAjv()): Map<string, ValidateFunction> {
  const byRoot = new Map<unknown, ValidateFunction>();
  const result = new Map<string, ValidateFunction>();
  for (const { name, schema } of events) {
    let validate = byRoot.get(schema);
    if (validate === undefined) {
      validate = ajv.compile(toAjvSchema(schema) as object);
      byRoot.set(schema, validate);
    }
    result.set(name, validate);
  }
  return result;
}

const KEEPS_ONLY_SUMMARY = new Set(['anyOf', 'oneOf', 'not']);

/** The instance paths ajv reports, with our convention that an extra key's issue points at the key. */
function ajvPaths(errors: readonly ErrorObject[]): Set<string> {
  return new Set(
    errors.map((error) => {
      if (error.keyword !== 'additionalProperties') return error.instancePath;
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      return `${error.instancePath}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    }),
  );
}

export interface Comparison {
  agree: boolean;
  detail: string;
}

/**
 * Compares one body: validity must agree, and so must the set of paths with an issue when ajv
 * reports no anyOf/oneOf/not failure (ajv then also lists the failing branches' errors, which we
 * fold into one summary issue); otherwise our paths must be a subset of ajv's.
 */
export function compare(module: GeneratedModule, validate: ValidateFunction, event: string, body: unknown): Comparison {
  const ours = module.validateEvent(event, body);
  const valid = validate(body);
  const errors = validate.errors ?? [];
  const theirs = ajvPaths(errors);
  const mine = new Set((ours ?? []).map((issue) => issue.path));
  const folded = errors.some((error) => KEEPS_ONLY_SUMMARY.has(error.keyword));
  const subset = [...mine].every((path) => theirs.has(path));
  const agree = (ours === null) === valid && subset && (folded || mine.size === theirs.size);
  const detail = agree
    ? ''
    : `${event}: ours ${ours === null ? 'valid' : JSON.stringify(ours)} vs ajv ${valid ? 'valid' : JSON.stringify(errors.map((e) => `${e.instancePath}: ${e.message}`))} for ${JSON.stringify(body)?.slice(0, 300)}`;
  return { agree, detail };
}

/**
 * Deterministic mutations of a JSON body: every property and array item deleted, and replaced
 * by null, a string, a number, a fraction, a boolean, an array and an object.
 */
export function mutations(body: unknown): unknown[] {
  const replacements: unknown[] = [null, 'x', 42, 1.5, true, [], {}];
  const out: unknown[] = replacements.map((value) => structuredClone(value));
  const walk = (value: unknown, path: (string | number)[]): void => {
    if (typeof value !== 'object' || value === null) return;
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? value.map((item, i) => [i, item])
      : Object.entries(value);
    for (const [key, child] of entries) {
      const at = [...path, key];
      out.push(edit(body, at, undefined));
      for (const replacement of replacements) out.push(edit(body, at, replacement));
      walk(child, at);
    }
  };
  walk(body, []);
  return out;
}

/** A copy of `body` with the value at `path` replaced (or deleted when `value` is undefined). */
function edit(body: unknown, path: readonly (string | number)[], value: unknown): unknown {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value !== undefined) parent[last] = structuredClone(value);
  else if (Array.isArray(parent)) parent.splice(last as number, 1);
  else delete parent[last];
  return copy;
}

/** Seeded PRNG (mulberry32), so junk inputs are the same on every run. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const JUNK_KEYS = [
  'id',
  'data',
  'event',
  'resource',
  'timestamp',
  'token',
  'user',
  'number',
  'tags',
  '__proto__',
  'constructor',
  'toString',
  'a/b',
  '~',
];
const JUNK_LEAVES = [
  'null',
  'true',
  'false',
  '0',
  '-1',
  '1.5',
  '1e400',
  '-1e400',
  '""',
  '"x"',
  '"call.created"',
  '"2024-01-01T00:00:00Z"',
  '"https://x.io"',
  '"\\ud83d\\ude00"',
  '9007199254740993',
];

/** JSON text of a random value (built as text so `__proto__` becomes an own key after JSON.parse). */
export function junkJson(next: () => number, depth = 0): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const roll = next();
  if (depth >= 4 || roll < 0.35) return pick(JUNK_LEAVES);
  const size = Math.floor(next() * 4);
  if (roll < 0.55) return `[${Array.from({ length: size }, () => junkJson(next, depth + 1)).join(',')}]`;
  return `{${Array.from({ length: size }, () => `${JSON.stringify(pick(JUNK_KEYS))}:${junkJson(next, depth + 1)}`).join(',')}}`;
}
