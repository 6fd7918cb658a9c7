import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { syncDir } from './durable.js';
import { isMissing, removeFolder, toFsUserError } from './fs-errors.js';
import { readJournal, retiredDirOf, stagingDirOf } from './journal.js';
import { runJournal } from './run-journal.js';

/**
 * Call before planning. Finishes a write interrupted after its commit point ('rolled-forward'), or deletes
 * the staged files of one interrupted before it ('cleaned': the previous output is intact), or does nothing
 * ('none'; the leftovers of a write that finished, if any, are deleted).
 */
export async function recoverInterruptedWrite(outDir: string): Promise<'none' | 'rolled-forward' | 'cleaned'> {
  const root = path.resolve(outDir);
  await removeFolder(retiredDirOf(root));
  const staging = stagingDirOf(root);
  try {
    await lstat(staging);
  } catch (error) {
    if (isMissing(error)) return 'none';
    throw toFsUserError(error, staging, 'read');
  }
  const journal = await readJournal(root);
  if (journal !== undefined) await runJournal(root, journal, async () => undefined);
  await removeFolder(staging);
  await syncDir(root);
  return journal === undefined ? 'cleaned' : 'rolled-forward';
}
