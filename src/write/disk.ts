import { lstat, readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { errorCode, toFsUserError } from './fs-errors.js';

// ENOTDIR (a parent is a regular file) is not "absent" here: failing while planning, before anything is
// written, beats failing half-way through a committed write.

/** The bytes at `absPath`, or undefined when nothing is there; UserError when a folder or file is in the way. */
export async function readBytesIfPresent(absPath: string): Promise<Buffer | undefined> {
  try {
    return await readFile(absPath);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    if (errorCode(error) === 'EISDIR') throw folderInTheWay(absPath);
    throw toFsUserError(error, absPath, 'read');
  }
}

/** Whether something is at `absPath` (without reading it); UserError when it is a folder. */
export async function fileExists(absPath: string): Promise<boolean> {
  try {
    const stats = await lstat(absPath);
    if (stats.isDirectory()) throw folderInTheWay(absPath);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw toFsUserError(error, absPath, 'read');
  }
}

function folderInTheWay(absPath: string): UserError {
  return new UserError(`${absPath} is a folder, but aircall-gen needs to write a file there`, {
    location: absPath,
    hint: 'Move or rename the folder, then run aircall-gen again.',
  });
}
