import path from 'node:path';
import { UserError } from '../errors.js';
import { readTextIfPresent } from './fs-errors.js';
import { MANIFEST_FILE } from './layout.js';
import { unsafePathReason } from './paths.js';
import { compareText } from '../shared/order.js';
import { sortedRecord } from './sort.js';
import type { ShapeTable } from '../model/shape.js';

/** What the manifest knows about one output file. */
export type ManifestFile = { owner: 'generator'; sha256: string } | { owner: 'user'; event?: string };

/**
 * `aircall-gen.manifest.json`: what the last run produced, so the next one can tell hand edits,
 * removed events and orphaned handlers apart. Deterministic: no timestamps, no versions.
 */
export interface Manifest {
  /** Hash of the spec text. The generator that produced the folder is cached outside it (src/cache.ts). */
  inputHash: string;
  /**
   * The spec this folder was generated from, relative to the folder (POSIX); absent for the bundled
   * spec. Lets `aircall-gen --out <folder>` regenerate from the same spec without repeating --spec.
   */
  spec?: string;
  /**
   * Files the spec's `$ref`s read, relative to the folder (POSIX) -> SHA-256 of their text; absent when
   * there were none. The up-to-date check re-hashes them, since editing one changes the output.
   */
  refs?: Record<string, string>;
  /** A `$ref` read a URL: its content is not known without fetching it, so every run regenerates. */
  remoteRefs?: true;
  /** Event name -> hash of its payload's canonical shape. */
  events: Record<string, string>;
  /**
   * Events that left the spec while their handler file stayed: name -> the last shape known, so the
   * orphaned handler keeps its type. Dropped once the handler file is gone.
   */
  retired?: Record<string, string>;
  /**
   * The shape nodes those hashes reach (src/model/shape.ts): what lets the next run name the fields
   * that changed. Absent in manifests written before aircall-gen recorded shapes.
   */
  schemas?: ShapeTable;
  /** Output path -> record. The manifest itself is not listed. */
  files: Record<string, ManifestFile>;
}

/**
 * The manifest as written to disk: keys sorted, 2-space indent, trailing newline. Each shape node
 * sits on one line, which keeps the file a few hundred lines long for the bundled spec.
 */
export function serializeManifest(manifest: Manifest): string {
  return escapeInvisible(manifestText(manifest));
}

/**
 * JSON.stringify leaves DEL, C1 controls, line separators and bidi controls raw; from a spec's enum
 * or const values they would make the manifest print oddly in a terminal or a diff. Outside strings
 * JSON has none of them, so escaping them everywhere changes no value.
 */
function escapeInvisible(text: string): string {
  return text.replace(
    /[\u007f-\u009f\u2028-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function manifestText(manifest: Manifest): string {
  const { schemas, ...rest } = manifest;
  const text = JSON.stringify(sortKeysDeep(rest), null, 2);
  if (schemas === undefined) return `${text}\n`;
  const nodes = Object.keys(schemas)
    .sort(compareText)
    .map((ref) => `    ${JSON.stringify(ref)}: ${JSON.stringify(sortKeysDeep(schemas[ref]))}`);
  const block = nodes.length === 0 ? '"schemas": {}' : `"schemas": {\n${nodes.join(',\n')}\n  }`;
  return `${text.slice(0, -2)},\n  ${block}\n}\n`;
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, child]) => child !== undefined)
      .sort(([a], [b]) => compareText(a, b))
      .map(([key, child]) => [key, sortKeysDeep(child)]),
  );
}

/** The manifest in `outDir`; undefined when there is none; UserError naming the file when unreadable or corrupt. */
export async function readManifest(outDir: string): Promise<Manifest | undefined> {
  const file = path.join(path.resolve(outDir), MANIFEST_FILE);
  const text = await readTextIfPresent(file);
  if (text === undefined) return undefined;
  return parseManifest(text, file);
}

/** Validates manifest text; paths in it are checked too, since they drive deletions. */
export function parseManifest(text: string, file: string): Manifest {
  const corrupt = (what: string): UserError =>
    new UserError(`${file} is corrupt: ${what}`, {
      location: file,
      hint: 'Delete it and run aircall-gen again; files that differ from the generated ones will then be reported as conflicts (--force overwrites them).',
    });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw corrupt(`not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(json) || typeof json.inputHash !== 'string') throw corrupt('"inputHash" must be a string');
  if (!isObject(json.events) || !Object.values(json.events).every((hash) => typeof hash === 'string')) {
    throw corrupt('"events" must map event names to strings');
  }
  if (!isObject(json.files)) throw corrupt('"files" must be an object');
  if (json.spec !== undefined && typeof json.spec !== 'string') throw corrupt('"spec" must be a string');
  if (json.refs !== undefined && !(isStringRecord(json.refs) && Object.values(json.refs).every(isSha256))) {
    throw corrupt('"refs" must map file paths to SHA-256 hashes');
  }
  if (json.remoteRefs !== undefined && json.remoteRefs !== true) throw corrupt('"remoteRefs" must be true');
  if (json.retired !== undefined && !isStringRecord(json.retired)) {
    throw corrupt('"retired" must map event names to strings');
  }
  if (json.schemas !== undefined && !(isObject(json.schemas) && Object.values(json.schemas).every(isObject))) {
    throw corrupt('"schemas" must map hashes to objects');
  }
  const files = Object.entries(json.files).map(([relPath, record]): [string, ManifestFile] => {
    const reason = unsafePathReason(relPath);
    if (reason !== undefined) throw corrupt(`file path ${JSON.stringify(relPath)} is unsafe: ${reason}`);
    const parsed = parseFileRecord(record);
    if (parsed === undefined) throw corrupt(`the record of ${JSON.stringify(relPath)} is invalid`);
    return [relPath, parsed];
  });
  return {
    inputHash: json.inputHash,
    ...(typeof json.spec === 'string' && { spec: json.spec }),
    ...(json.refs !== undefined && { refs: sortedRecord(Object.entries(json.refs as Record<string, string>)) }),
    ...(json.remoteRefs === true && { remoteRefs: true as const }),
    events: sortedRecord(Object.entries(json.events as Record<string, string>)),
    ...(json.retired !== undefined && { retired: sortedRecord(Object.entries(json.retired)) }),
    ...(json.schemas !== undefined && { schemas: json.schemas as ShapeTable }),
    files: sortedRecord(files),
  };
}

function parseFileRecord(record: unknown): ManifestFile | undefined {
  if (!isObject(record)) return undefined;
  if (record.owner === 'generator' && isSha256(record.sha256)) {
    return { owner: 'generator', sha256: record.sha256 };
  }
  if (record.owner === 'user' && record.event === undefined) return { owner: 'user' };
  if (record.owner === 'user' && typeof record.event === 'string') return { owner: 'user', event: record.event };
  return undefined;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return isObject(value) && Object.values(value).every((item) => typeof item === 'string');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSha256(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
}
