import path from 'node:path';
import { link, lstat, mkdir, readFile, rename, rmdir, unlink } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { syncDir } from './durable.js';
import { errorCode, isMissing, toFsUserError } from './fs-errors.js';
import { sha256 } from '../shared/hash.js';
import { stagingDirOf, type Journal, type JournalStep } from './journal.js';
import { resolveInside } from './paths.js';

/** Performs every step in order; safe to call again on a journal that was partly or fully performed. */
export async function runJournal(
  root: string,
  journal: Journal,
  afterStep: (index: number) => Promise<void>,
): Promise<void> {
  for (const [index, step] of journal.steps.entries()) {
    const target = resolveInside(root, step.path);
    try {
      await runStep(root, target, step);
    } catch (error) {
      const mapped = toFsUserError(error, target);
      if (mapped instanceof UserError) {
        throw new UserError(`${mapped.message}; the write was interrupted half-way`, {
          location: target,
          hint: `${mapped.hint ?? ''} Then run aircall-gen again: it finishes the interrupted write first.`.trim(),
          cause: error,
        });
      }
      throw error;
    }
    await afterStep(index);
  }
  const folders = new Set(journal.steps.map((step) => path.dirname(resolveInside(root, step.path))));
  await Promise.all([...folders].map(syncDir));
}

async function runStep(root: string, target: string, step: JournalStep): Promise<void> {
  if (step.kind === 'delete') return deleteIfUnchanged(root, target, step.sha256);
  const staged = path.join(stagingDirOf(root), step.staged);
  await mkdir(path.dirname(target), { recursive: true });
  if (step.kind === 'replace') return renameUnlessDone(staged, target);
  return createOnce(staged, target);
}

async function deleteIfUnchanged(root: string, target: string, expectedSha256: string): Promise<void> {
  let bytes: Buffer;
  try {
    bytes = await readFile(target);
  } catch (error) {
    if (isMissing(error)) return; // already deleted
    throw error;
  }
  if (sha256(bytes) !== expectedSha256) return; // changed since planned: not ours to delete any more
  await unlink(target).catch(ignoreMissing);
  await removeEmptyFolders(root, path.dirname(target));
}

async function renameUnlessDone(staged: string, target: string): Promise<void> {
  // The target's folder exists, so ENOENT means the staged file is gone: renamed by an earlier attempt.
  await rename(staged, target).catch(ignoreMissing);
}

/** A hard link fails instead of overwriting, so a user file that appeared meanwhile is never clobbered. */
async function createOnce(staged: string, target: string): Promise<void> {
  try {
    await link(staged, target);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return; // staged file gone: done by an earlier attempt
    if (code !== 'EEXIST' && !(await linkUnsupportedFallback(code, staged, target))) throw error;
  }
  await unlink(staged).catch(ignoreMissing);
}

/** File systems without hard links: rename if nothing is there (not race-free, but never clobbers what we saw). */
async function linkUnsupportedFallback(code: string | undefined, staged: string, target: string): Promise<boolean> {
  if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') return false;
  try {
    await lstat(target);
    return true; // something is there: keep it
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  await rename(staged, target);
  return true;
}

/** Removes folders left empty by deletions, up to (not including) the output folder. */
async function removeEmptyFolders(root: string, folder: string): Promise<void> {
  for (let current = folder; current !== root && current.startsWith(root + path.sep); current = path.dirname(current)) {
    try {
      await rmdir(current);
    } catch {
      return; // not empty (or already gone): stop climbing
    }
  }
}

function ignoreMissing(error: unknown): void {
  if (errorCode(error) !== 'ENOENT') throw error;
}
