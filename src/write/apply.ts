import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';
import { syncDir, writeFileDurably } from './durable.js';
import { readTextIfPresent, removeFolder, toFsUserError } from './fs-errors.js';
import { sha256 } from '../shared/hash.js';
import { assertNoPendingWrite, commitJournal, retiredDirOf, stagingDirOf, type JournalStep } from './journal.js';
import { MANIFEST_FILE } from './layout.js';
import { serializeManifest, type ManifestFile } from './manifest.js';
import { runJournal } from './run-journal.js';
import type { OutputFile, Plan, PlanEntry } from './types.js';

/** Points inside applyPlan where a test can simulate a crash (by throwing, or by killing the process). */
export type ApplyCheckpoint =
  | { phase: 'staged'; index: number } // staged file `index` (0-based; the manifest is staged last) is written
  | { phase: 'journal-staged' } // journal written under a temporary name, not yet committed
  | { phase: 'committed' } // journal in place: the new output is decided
  | { phase: 'step-done'; index: number } // journal step `index` (0-based) is done
  | { phase: 'finished' } // every step done, staging folder not yet removed
  | { phase: 'retired' }; // staging folder renamed to RETIRED_DIR, not yet deleted

export interface ApplyOptions {
  /** Test hook, called at every checkpoint. An error it throws propagates as is, with no cleanup, like a crash. */
  onCheckpoint?: (checkpoint: ApplyCheckpoint) => void | Promise<void>;
}

/** Wraps errors thrown by the test hook so they skip the cleanup a real failure gets. */
class SimulatedCrash {
  constructor(readonly error: unknown) {}
}

/**
 * Carries out a plan: stage new files (fsync'ed) in the staging folder, commit a journal, then rename and delete.
 * A crash before the commit leaves the previous output; after it, recoverInterruptedWrite completes the new one.
 */
export async function applyPlan(plan: Plan, files: OutputFile[], options: ApplyOptions = {}): Promise<void> {
  assertNoConflicts(plan);
  const root = plan.outDir;
  const manifestText = serializeManifest(plan.manifest);
  const writes = plan.entries.filter((entry) => entry.action === 'create' || entry.action === 'update');
  const deletions = plan.entries.filter((entry) => entry.action === 'delete');
  if (
    writes.length === 0 &&
    deletions.length === 0 &&
    (await readTextIfPresent(path.join(root, MANIFEST_FILE))) === manifestText
  )
    return;
  await assertNoPendingWrite(root);
  const checkpoint = async (point: ApplyCheckpoint): Promise<void> => {
    try {
      await options.onCheckpoint?.(point);
    } catch (error) {
      throw new SimulatedCrash(error);
    }
  };
  let committed = false;
  try {
    const filesByPath = new Map(files.map((file) => [file.path, file]));
    const manifestFiles = new Map(Object.entries(plan.manifest.files));
    const contents = writes.map((entry) =>
      contentsFor(entry, filesByPath.get(entry.path), manifestFiles.get(entry.path)),
    );
    await stage(root, [...contents, manifestText], checkpoint);
    const steps: JournalStep[] = [
      ...deletions.map((entry): JournalStep => ({ kind: 'delete', path: entry.path, sha256: diskSha256Of(entry) })),
      ...writes.map((entry, index): JournalStep => ({
        kind: entry.ownership === 'user' ? 'create-once' : 'replace',
        staged: stagedName(index),
        path: entry.path,
      })),
      { kind: 'replace', staged: stagedName(writes.length), path: MANIFEST_FILE }, // last: it vouches for the rest
    ];
    await commitJournal(root, { steps }, () => checkpoint({ phase: 'journal-staged' }));
    committed = true;
    await checkpoint({ phase: 'committed' });
    await runJournal(root, { steps }, (index) => checkpoint({ phase: 'step-done', index }));
    await checkpoint({ phase: 'finished' });
    await removeStaging(root, checkpoint);
  } catch (error) {
    if (error instanceof SimulatedCrash) throw error.error; // a simulated crash: leave everything as it is
    // Before the commit the previous output is untouched: drop the staged files. After it, keep the journal.
    if (!committed) await rm(stagingDirOf(root), { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
}

function assertNoConflicts(plan: Plan): void {
  const conflicts = plan.entries.filter((entry) => entry.action === 'conflict');
  if (conflicts.length === 0) return;
  const list = conflicts.map((entry) => `  ${entry.path}${entry.detail ? ` (${entry.detail})` : ''}`).join('\n');
  throw new UserError(
    `${conflicts.length} generated file${conflicts.length === 1 ? ' was' : 's were'} changed by hand, so nothing was written:\n${list}`,
    {
      location: plan.outDir,
      hint: 'Move your changes into a handler file (handlers/ is yours), or rerun with --force to overwrite the generated files.',
    },
  );
}

function stagedName(index: number): string {
  return `f${index}`;
}

/** Writes every staged file (fsync'ed) into a fresh staging folder. */
async function stage(
  root: string,
  contents: string[],
  checkpoint: (point: ApplyCheckpoint) => Promise<void>,
): Promise<void> {
  const staging = stagingDirOf(root);
  await mkdir(root, { recursive: true }).catch((error: unknown) => {
    throw toFsUserError(error, root);
  });
  try {
    await rm(staging, { recursive: true, force: true }); // leftovers of a run that crashed before its commit
    await mkdir(staging);
  } catch (error) {
    throw toFsUserError(error, staging);
  }
  await syncDir(root);
  for (const [index, text] of contents.entries()) {
    const file = path.join(staging, stagedName(index));
    await writeFileDurably(file, text).catch((error: unknown) => {
      throw toFsUserError(error, file);
    });
    await checkpoint({ phase: 'staged', index });
  }
}

/**
 * Renames the staging folder away in one step, then deletes it: a crash during the (non-atomic) deletion
 * leaves only RETIRED_DIR, never a staging folder that lost its journal but kept staged files.
 */
async function removeStaging(root: string, checkpoint: (point: ApplyCheckpoint) => Promise<void>): Promise<void> {
  const staging = stagingDirOf(root);
  const retired = retiredDirOf(root);
  await removeFolder(retired); // a leftover would block the rename
  await rename(staging, retired).catch((error: unknown) => {
    throw toFsUserError(error, staging);
  });
  await syncDir(root);
  await checkpoint({ phase: 'retired' });
  await removeFolder(retired);
}

/** The contents of a file to write; a mismatch between plan and files is a bug in the caller, not a user error. */
function contentsFor(entry: PlanEntry, file: OutputFile | undefined, record: ManifestFile | undefined): string {
  const matches =
    file !== undefined &&
    file.ownership === entry.ownership &&
    (record?.owner !== 'generator' || record.sha256 === sha256(file.contents));
  if (!matches) throw new Error(`applyPlan: the files given do not match the plan at ${entry.path}`);
  return file.contents;
}

function diskSha256Of(entry: PlanEntry): string {
  if (entry.diskSha256 === undefined) throw new Error(`applyPlan: deletion of ${entry.path} has no recorded hash`);
  return entry.diskSha256;
}
