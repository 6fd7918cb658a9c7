import path from 'node:path';
import { fileExists, readBytesIfPresent } from './disk.js';
import { compareEvents } from './event-changes.js';
import { sha256 } from '../shared/hash.js';
import { assertNoPendingWrite } from './journal.js';
import { readManifest, type ManifestFile } from './manifest.js';
import { mapLimit } from './parallel.js';
import { assertNoSymlinkEscape, assertSafeOutputPaths, resolveInside } from './paths.js';
import { compareText } from '../shared/order.js';
import { sortedRecord } from './sort.js';
import { reachableShapes } from '../model/shape.js';
import type { OutputFile, Plan, PlanEntry, PlanOptions } from './types.js';

const EDITED = 'edited by hand since the last generation';
const NOT_OURS = 'not created by aircall-gen';
const PARALLEL_READS = 32;

/** Decides, without writing anything, what to do with every file: produced ones and the previous run's. */
export async function planWrites(outDir: string, files: OutputFile[], options: PlanOptions): Promise<Plan> {
  const root = path.resolve(outDir);
  const force = options.force ?? false;
  assertSafeOutputPaths(files.map((file) => file.path));
  await assertNoPendingWrite(root);
  const previous = await (options.previous ?? readManifest(root));
  const previousFiles = new Map(Object.entries(previous?.files ?? {}));
  await assertNoSymlinkEscape(root, [...files.map((file) => file.path), ...previousFiles.keys()]);

  const produced = await mapLimit(files, PARALLEL_READS, (file) =>
    planProducedFile(root, file, previousFiles.get(file.path), force),
  );
  const producedPaths = new Set(files.map((file) => file.path));
  const leftovers = (
    await mapLimit(
      [...previousFiles].filter(([relPath]) => !producedPaths.has(relPath)),
      PARALLEL_READS,
      ([relPath, record]) => planLeftover(root, relPath, record, force),
    )
  ).filter((leftover) => leftover !== undefined);

  return {
    outDir: root,
    entries: [...produced, ...leftovers.map(({ entry }) => entry)].sort((a, b) => compareText(a.path, b.path)),
    manifest: {
      inputHash: options.inputHash,
      ...(options.specFromOut !== undefined && { spec: options.specFromOut }),
      ...(options.refs !== undefined &&
        Object.keys(options.refs).length > 0 && { refs: sortedRecord(Object.entries(options.refs)) }),
      ...(options.remoteRefs === true && { remoteRefs: true as const }),
      events: sortedRecord(Object.entries(options.eventHashes)),
      ...(options.retiredHashes !== undefined &&
        Object.keys(options.retiredHashes).length > 0 && {
          retired: sortedRecord(Object.entries(options.retiredHashes)),
        }),
      ...(options.shapes !== undefined && {
        schemas: reachableShapes(options.shapes, [
          ...Object.values(options.eventHashes),
          ...Object.values(options.retiredHashes ?? {}),
        ]),
      }),
      files: sortedRecord([
        ...files.map((file): [string, ManifestFile] => [file.path, recordOf(file)]),
        ...leftovers
          .filter(({ entry }) => entry.action !== 'delete')
          .map(({ entry, record }): [string, ManifestFile] => [entry.path, record]),
      ]),
    },
    eventChanges: compareEvents(previous, { events: options.eventHashes, schemas: options.shapes }),
  };
}

/**
 * For --check: true when generated output would change, someone edited it, or a handler file is missing
 * (registry.ts imports every handler, so the folder would not compile).
 */
export function isStale(plan: Plan): boolean {
  return plan.entries.some(
    (entry) =>
      entry.action === 'conflict' ||
      (entry.ownership === 'user' && entry.action === 'create') ||
      (entry.ownership === 'generator' &&
        (entry.action === 'create' || entry.action === 'update' || entry.action === 'delete')),
  );
}

function recordOf(file: OutputFile): ManifestFile {
  if (file.ownership === 'generator') return { owner: 'generator', sha256: sha256(file.contents) };
  return file.event === undefined ? { owner: 'user' } : { owner: 'user', event: file.event };
}

async function planProducedFile(
  root: string,
  file: OutputFile,
  recorded: ManifestFile | undefined,
  force: boolean,
): Promise<PlanEntry> {
  const base = {
    path: file.path,
    ownership: file.ownership,
    ...(file.event === undefined ? {} : { event: file.event }),
  };
  const target = resolveInside(root, file.path);
  if (file.ownership === 'user') return { ...base, action: (await fileExists(target)) ? 'kept' : 'create' };

  const onDisk = await readBytesIfPresent(target);
  if (onDisk === undefined) return { ...base, action: 'create' };
  if (onDisk.equals(Buffer.from(file.contents, 'utf8'))) return { ...base, action: 'unchanged' };
  const diskSha256 = sha256(onDisk);
  const problem = recorded?.owner !== 'generator' ? NOT_OURS : recorded.sha256 === diskSha256 ? undefined : EDITED;
  if (problem === undefined) return { ...base, action: 'update', diskSha256 };
  if (force) return { ...base, action: 'update', diskSha256, detail: `${problem}; overwritten (--force)` };
  return { ...base, action: 'conflict', diskSha256, detail: problem };
}

/** A file of the previous run that is no longer produced; undefined when it is gone from disk too. */
async function planLeftover(
  root: string,
  relPath: string,
  record: ManifestFile,
  force: boolean,
): Promise<{ entry: PlanEntry; record: ManifestFile } | undefined> {
  const target = resolveInside(root, relPath);
  if (record.owner === 'user') {
    if (!(await fileExists(target))) return undefined;
    const event = record.event === undefined ? {} : { event: record.event };
    const entry: PlanEntry = {
      path: relPath,
      ownership: 'user',
      action: 'orphaned',
      ...event,
      detail: 'no longer generated (its event left the spec); left alone',
    };
    return { entry, record };
  }
  const onDisk = await readBytesIfPresent(target);
  if (onDisk === undefined) return undefined;
  const diskSha256 = sha256(onDisk);
  const base = { path: relPath, ownership: 'generator' as const, diskSha256 };
  if (diskSha256 === record.sha256) return { entry: { ...base, action: 'delete' }, record };
  if (force) return { entry: { ...base, action: 'delete', detail: `${EDITED}; deleted (--force)` }, record };
  return { entry: { ...base, action: 'conflict', detail: `${EDITED}; no longer generated` }, record };
}
