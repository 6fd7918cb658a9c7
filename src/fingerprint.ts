import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

async function filesUnder(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile() && (e.name.endsWith('.js') || e.name.endsWith('.hbs') || e.name.endsWith('.ts')))
      .map((e) => join(e.parentPath, e.name))
      .sort();
  } catch {
    return [];
  }
}

let cached: Promise<string> | undefined;

/**
 * A hash of the generator itself (compiled code, templates, runtime sources): part of the cache key that
 * lets an unchanged spec skip generation, so upgrading or editing aircall-gen still regenerates.
 */
export function generatorFingerprint(): Promise<string> {
  cached ??= (async () => {
    const hash = createHash('sha256');
    const files = [
      ...(await filesUnder(join(PACKAGE_ROOT, 'dist'))),
      ...(await filesUnder(join(PACKAGE_ROOT, 'templates'))),
      ...(await filesUnder(join(PACKAGE_ROOT, 'runtime'))),
    ];
    const contents = await Promise.all(files.map((file) => readFile(file)));
    files.forEach((file, i) => {
      hash.update(file.slice(PACKAGE_ROOT.length)).update('\0').update(contents[i]!).update('\0');
    });
    return hash.digest('hex');
  })();
  return cached;
}

/** The bundled spec, resolved from the package rather than the working directory. */
export const BUNDLED_SPEC = fileURLToPath(new URL('../spec/aircall-webhooks.asyncapi.yaml', import.meta.url));
