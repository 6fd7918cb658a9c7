import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Files under `dir` whose name ends with `extension`, sorted; none when `dir` is missing. */
async function filesUnder(dir: string, extension: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile() && e.name.endsWith(extension))
      .map((e) => join(e.parentPath, e.name))
      .sort();
  } catch {
    return [];
  }
}

/** What the generator is made of, under its package root: a change to any of these must regenerate. */
const GENERATOR_PARTS = [
  { dir: 'dist', extension: '.js' },
  { dir: 'templates', extension: '.hbs' },
  { dir: 'runtime', extension: '.ts' },
] as const;

/** A hash of the generator files under `root` (paths and contents). */
export async function fingerprintOf(root: string): Promise<string> {
  const hash = createHash('sha256');
  const listed = await Promise.all(GENERATOR_PARTS.map(({ dir, extension }) => filesUnder(join(root, dir), extension)));
  const files = listed.flat();
  const contents = await Promise.all(files.map((file) => readFile(file)));
  files.forEach((file, i) => {
    hash.update(file.slice(root.length)).update('\0').update(contents[i]!).update('\0');
  });
  return hash.digest('hex');
}

let cached: Promise<string> | undefined;

/**
 * A hash of the generator itself (compiled code, templates and the runtime it copies): part of
 * the cache key that lets an unchanged spec skip generation, so upgrading or editing aircall-gen
 * still regenerates.
 */
export function generatorFingerprint(): Promise<string> {
  cached ??= fingerprintOf(PACKAGE_ROOT);
  return cached;
}

/** The bundled spec, resolved from the package rather than the working directory. */
export const BUNDLED_SPEC = fileURLToPath(new URL('../spec/aircall-webhooks.asyncapi.yaml', import.meta.url));
