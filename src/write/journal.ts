import path from 'node:path';
import { access, rename } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { isMissing, readTextIfPresent, toFsUserError } from './fs-errors.js';
import { JOURNAL_FILE, MANIFEST_FILE, RETIRED_DIR, STAGING_DIR } from './layout.js';
import { unsafePathReason } from './paths.js';
import { syncDir, writeFileDurably } from './durable.js';

/**
 * One idempotent step of a committed write. Replaying a step that already ran does nothing, which is
 * what lets recovery finish a journal from the start whatever point the crash happened at.
 */
export type JournalStep =
  /** Remove `path` if it still holds exactly the bytes hashing to `sha256`. */
  | { kind: 'delete'; path: string; sha256: string }
  /** Rename staged file `staged` over `path` (generator files and the manifest). */
  | { kind: 'replace'; staged: string; path: string }
  /** Put staged file `staged` at `path` unless something is already there (user files). */
  | { kind: 'create-once'; staged: string; path: string };

export interface Journal {
  steps: JournalStep[];
}

export function stagingDirOf(root: string): string {
  return path.join(root, STAGING_DIR);
}

export function retiredDirOf(root: string): string {
  return path.join(root, RETIRED_DIR);
}

export function journalPathOf(root: string): string {
  return path.join(stagingDirOf(root), JOURNAL_FILE);
}

/** Whether a committed journal waits to be finished (an earlier write was interrupted after its commit point). */
export async function hasCommittedJournal(root: string): Promise<boolean> {
  try {
    await access(journalPathOf(root));
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw toFsUserError(error, journalPathOf(root), 'read');
  }
}

/** Planning or applying over a half-finished write would misread it, so that write must be finished first. */
export async function assertNoPendingWrite(root: string): Promise<void> {
  if (!(await hasCommittedJournal(root))) return;
  throw new UserError(`An earlier aircall-gen run was interrupted while writing ${root}`, {
    location: journalPathOf(root),
    hint: 'Run aircall-gen again without --check or --dry-run: it finishes the interrupted write first.',
  });
}

/** Writes the journal atomically (temp + fsync + rename): once it exists, the new output is decided. */
export async function commitJournal(root: string, journal: Journal, beforeRename: () => Promise<void>): Promise<void> {
  const file = journalPathOf(root);
  try {
    await writeFileDurably(`${file}.tmp`, `${JSON.stringify(journal)}\n`);
  } catch (error) {
    throw toFsUserError(error, `${file}.tmp`);
  }
  await beforeRename();
  try {
    await rename(`${file}.tmp`, file);
  } catch (error) {
    throw toFsUserError(error, file);
  }
  await syncDir(stagingDirOf(root));
}

/** The committed journal of an interrupted write, or undefined when there is none. */
export async function readJournal(root: string): Promise<Journal | undefined> {
  const file = journalPathOf(root);
  const text = await readTextIfPresent(file);
  if (text === undefined) return undefined;
  const journal = parseJournal(text);
  if (journal === undefined) {
    throw new UserError(`${file} is corrupt, so an interrupted write cannot be finished`, {
      location: file,
      hint: `Delete ${stagingDirOf(root)} and run aircall-gen again with --force.`,
    });
  }
  return journal;
}

function parseJournal(text: string): Journal | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const steps = (json as { steps?: unknown } | null)?.steps;
  return Array.isArray(steps) && steps.every(isValidStep) ? { steps } : undefined;
}

function isValidStep(step: unknown): step is JournalStep {
  if (typeof step !== 'object' || step === null) return false;
  const { kind, path: relPath, staged, sha256: hash } = step as Record<string, unknown>;
  if (typeof relPath !== 'string' || (relPath !== MANIFEST_FILE && unsafePathReason(relPath) !== undefined))
    return false;
  if (kind === 'delete') return typeof hash === 'string';
  return (kind === 'replace' || kind === 'create-once') && typeof staged === 'string' && /^[a-z0-9-]+$/.test(staged);
}
