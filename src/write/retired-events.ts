import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from './manifest.js';

/**
 * Events the spec dropped whose handler file survives on disk (the user owns it, so it is kept):
 * the render stage lists them so the user knows which handlers no longer receive anything.
 */
export async function retiredEvents(
  outDir: string,
  previous: Promise<Manifest | undefined>,
  current: ReadonlySet<string>,
): Promise<string[]> {
  const manifest = await previous;
  if (!manifest) return [];
  const retired = new Set<string>();
  for (const [path, entry] of Object.entries(manifest.files)) {
    if (
      entry.owner === 'user' &&
      entry.event !== undefined &&
      !current.has(entry.event) &&
      existsSync(join(outDir, path))
    ) {
      retired.add(entry.event);
    }
  }
  return [...retired].sort();
}
