import path from 'node:path';
import { realpath } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { isMissing } from './fs-errors.js';
import { MANIFEST_FILE, RETIRED_DIR, STAGING_DIR } from './layout.js';

/** Why `relPath` is not a safe POSIX path relative to the output folder, or undefined when it is. */
export function unsafePathReason(relPath: string): string | undefined {
  if (relPath === '') return 'it is empty';
  if (relPath.includes('\0')) return 'it contains a NUL character';
  if (relPath.includes('\\')) return 'it contains a backslash (use "/")';
  if (relPath.startsWith('/') || /^[A-Za-z]:/.test(relPath)) return 'it is absolute';
  const segments = relPath.split('/');
  if (segments.includes('..')) return 'it contains ".."';
  if (segments.some((segment) => segment === '' || segment === '.')) return 'it contains an empty or "." segment';
  return undefined;
}

/** Key under which two paths clash on case-insensitive file systems (macOS, Windows). */
function foldCase(relPath: string): string {
  return relPath.normalize('NFC').toLowerCase();
}

function isReserved(folded: string): boolean {
  const top = folded.split('/')[0];
  return folded === foldCase(MANIFEST_FILE) || top === foldCase(STAGING_DIR) || top === foldCase(RETIRED_DIR);
}

/**
 * Throws a UserError unless every path is safe, not reserved by aircall-gen, unique even ignoring case,
 * and never both a file and a folder of another path.
 */
export function assertSafeOutputPaths(relPaths: readonly string[]): void {
  const byFolded = new Map<string, string>();
  for (const relPath of relPaths) {
    const reason =
      unsafePathReason(relPath) ?? (isReserved(foldCase(relPath)) ? 'the name is reserved by aircall-gen' : undefined);
    if (reason !== undefined) {
      throw new UserError(`Refusing to write output path ${JSON.stringify(relPath)}: ${reason}`, {
        location: relPath,
        hint: 'Output paths must be relative POSIX paths that stay inside the output folder.',
      });
    }
    const other = byFolded.get(foldCase(relPath));
    if (other !== undefined) {
      throw new UserError(`Output paths ${JSON.stringify(other)} and ${JSON.stringify(relPath)} collide`, {
        location: relPath,
        hint: 'Two outputs would be the same file on case-insensitive file systems; rename one (e.g. the event).',
      });
    }
    byFolded.set(foldCase(relPath), relPath);
  }
  for (const [folded, relPath] of byFolded) {
    const segments = folded.split('/');
    for (let end = 1; end < segments.length; end++) {
      const file = byFolded.get(segments.slice(0, end).join('/'));
      if (file !== undefined) {
        throw new UserError(
          `Output path ${JSON.stringify(file)} is a file but ${JSON.stringify(relPath)} needs it to be a folder`,
          {
            location: relPath,
          },
        );
      }
    }
  }
}

function isInsideOrEqual(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** Absolute path of `relPath` under `root`; UserError if it would land outside `root`. */
export function resolveInside(root: string, relPath: string): string {
  const reason = unsafePathReason(relPath);
  const resolved = path.resolve(root, relPath);
  if (reason !== undefined || resolved === root || !isInsideOrEqual(root, resolved)) {
    throw new UserError(`Refusing to touch ${JSON.stringify(relPath)}: it is outside the output folder ${root}`, {
      location: relPath,
    });
  }
  return resolved;
}

/** `absPath` with its longest existing prefix resolved through symlinks. */
async function resolveExistingPrefix(absPath: string): Promise<string> {
  const missing: string[] = [];
  let current = absPath;
  for (;;) {
    try {
      return path.join(await realpath(current), ...missing);
    } catch (error) {
      const parent = path.dirname(current);
      if (!isMissing(error) || parent === current) throw error;
      missing.unshift(path.basename(current));
      current = parent;
    }
  }
}

/**
 * Throws a UserError if a folder on the way to any of `relPaths` is a symlink leading out of `root`,
 * so that nothing is ever written or deleted outside the output folder.
 */
export async function assertNoSymlinkEscape(root: string, relPaths: readonly string[]): Promise<void> {
  const realRoot = await resolveExistingPrefix(root);
  const folders = new Set(relPaths.map((relPath) => path.posix.dirname(relPath)).filter((dir) => dir !== '.'));
  await Promise.all(
    [...folders].map(async (folder) => {
      const real = await resolveExistingPrefix(resolveInside(root, folder));
      if (!isInsideOrEqual(realRoot, real)) {
        throw new UserError(
          `Folder ${JSON.stringify(folder)} in the output folder is a link to ${real}, outside ${root}`,
          {
            location: path.join(root, folder),
            hint: 'Replace the link with a real folder; aircall-gen never writes outside the output folder.',
          },
        );
      }
    }),
  );
}
