import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256 } from './shared/hash.js';

/**
 * Remembers which generator (its fingerprint) last produced each output folder, so an unchanged
 * spec can skip generation. It lives in node_modules/.cache, not in the output folder: the
 * committed manifest must not change when only aircall-gen's own code does. Without a
 * node_modules folder there is no cache, and every run generates (correct, only slower).
 */
function cacheFile(cwd: string, outDir: string): string | undefined {
  const modules = join(cwd, 'node_modules');
  return existsSync(modules)
    ? join(modules, '.cache', 'aircall-gen', `${sha256(outDir).slice(0, 16)}.json`)
    : undefined;
}

export async function readCachedFingerprint(outDir: string, cwd = process.cwd()): Promise<string | undefined> {
  const file = cacheFile(cwd, outDir);
  if (file === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(await readFile(file, 'utf8'));
    return typeof value === 'object' &&
      value !== null &&
      typeof (value as { fingerprint?: unknown }).fingerprint === 'string'
      ? (value as { fingerprint: string }).fingerprint
      : undefined;
  } catch {
    return undefined;
  }
}

/** Best effort: a cache that cannot be written only costs the next run its shortcut. */
export async function writeCachedFingerprint(outDir: string, fingerprint: string, cwd = process.cwd()): Promise<void> {
  const file = cacheFile(cwd, outDir);
  if (file === undefined) return;
  try {
    await mkdir(join(file, '..'), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify({ outDir, fingerprint })}\n`);
    await rename(temporary, file);
  } catch {
    // ignored on purpose
  }
}
