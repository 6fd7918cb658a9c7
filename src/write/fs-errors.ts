import { readFile, rm } from 'node:fs/promises';
import { UserError } from '../errors.js';

/** The `code` of a Node.js system error (`ENOENT`, ...), if any. */
export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

/** True for errors meaning "nothing is there" (including "a parent is a regular file"). */
export function isMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

// Errors a user can fix, with the fix. Anything else is unexpected and propagates as is.
const HINTS = new Map<string, string>([
  ['EACCES', 'Check the permissions of the output folder, or choose another output folder.'],
  ['EPERM', 'Check the permissions of the output folder, or choose another output folder.'],
  ['EROFS', 'The output folder is on a read-only file system; choose another output folder.'],
  ['ENOTDIR', 'A parent of this path is a regular file, not a folder; remove it or choose another output folder.'],
  ['EEXIST', 'Something that is not a folder is in the way; remove it or choose another output folder.'],
  ['EISDIR', 'A folder is in the way of a file; remove or rename the folder.'],
  ['ENOSPC', 'The disk is full; free some space and run aircall-gen again.'],
  ['EDQUOT', 'The disk quota is exhausted; free some space and run aircall-gen again.'],
]);

/** A UserError naming `filePath` when `error` is one a user can fix; otherwise `error` unchanged. */
export function toFsUserError(error: unknown, filePath: string, verb: 'write' | 'read' = 'write'): unknown {
  const code = errorCode(error);
  const hint = code === undefined ? undefined : HINTS.get(code);
  if (hint === undefined) return error;
  return new UserError(`Cannot ${verb} ${filePath} (${code})`, { location: filePath, hint, cause: error });
}

/** Deletes a folder and all it holds, if it exists; a failure a user can fix is a UserError naming it. */
export async function removeFolder(folder: string): Promise<void> {
  await rm(folder, { recursive: true, force: true }).catch((error: unknown) => {
    throw toFsUserError(error, folder);
  });
}

/** A text file's contents, or undefined when it does not exist; other failures are user errors. */
export async function readTextIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw toFsUserError(error, file, 'read');
  }
}
