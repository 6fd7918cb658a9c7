import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isUserError } from '../errors.js';
import { sha256 } from '../shared/hash.js';
import { RETIRED_DIR, STAGING_DIR } from './layout.js';
import { readManifest, type Manifest } from './manifest.js';
import { resolveInside } from './paths.js';

/**
 * The fast no-op path: true only when the last complete run had the same inputs and every generator file
 * it wrote is still byte-identical. Any doubt answers false, and the full run then explains what is wrong.
 */
export async function isUpToDate(
  outDir: string,
  inputHash: string,
  previous?: Promise<Manifest | undefined>,
): Promise<boolean> {
  const root = path.resolve(outDir);
  let manifest: Manifest | undefined;
  try {
    manifest = await (previous ?? readManifest(root));
  } catch (error) {
    if (isUserError(error)) return false;
    throw error;
  }
  if (manifest?.inputHash !== inputHash) return false;
  // The spec's text is the same; what its `$ref`s read must be too (a remote one can't be known unfetched).
  if (manifest.remoteRefs === true) return false;
  const refsUnchanged = Object.entries(manifest.refs ?? {}).every(
    ([relPath, hash]) => hashOf(path.resolve(root, relPath)) === hash,
  );
  if (!refsUnchanged) return false;
  // An interrupted write to finish or clean, or a finished one's leftovers to delete.
  if (existsSync(path.join(root, STAGING_DIR)) || existsSync(path.join(root, RETIRED_DIR))) return false;
  // Synchronous on purpose: for a few hundred small files, readFileSync is 3-4x faster than promise reads
  // (no thread-pool round trip per file), and nothing else runs while the CLI decides whether to work.
  // A user file that disappeared needs a run too: its stub comes back (the registry imports it),
  // or, for an orphan, the manifest and the retired-event types drop it.
  return Object.entries(manifest.files).every(([relPath, record]) =>
    record.owner === 'generator'
      ? hashOf(resolveInside(root, relPath)) === record.sha256
      : existsSync(resolveInside(root, relPath)),
  );
}

function hashOf(absPath: string): string | undefined {
  try {
    return sha256(readFileSync(absPath));
  } catch {
    return undefined; // missing or unreadable: not up to date
  }
}
