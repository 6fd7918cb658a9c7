import type { ShapeTable } from '../model/shape.js';
import type { Manifest } from './manifest.js';

/** 'generator': rewritten each run. 'user': created once if absent, never overwritten or deleted. */
export type Ownership = 'generator' | 'user';

/** One file the pipeline wants in the output folder. */
export interface OutputFile {
  /** POSIX, relative to the output folder, e.g. 'events.ts', 'handlers/call-created.ts'. */
  path: string;
  contents: string;
  ownership: Ownership;
  /** For user handler files: the event they handle (recorded in the manifest). */
  event?: string;
}

export type Action =
  | 'create' // absent, will be written
  | 'update' // generator file whose contents change
  | 'unchanged' // identical bytes already on disk
  | 'delete' // generator file of the previous run no longer produced: removed
  | 'kept' // user file already present: left alone
  | 'orphaned' // user file of the previous run no longer produced, still on disk: left alone, reported
  | 'conflict'; // generator path holding bytes aircall-gen did not write: not overwritten unless force

export interface PlanEntry {
  path: string;
  ownership: Ownership;
  action: Action;
  event?: string;
  detail?: string;
  /** sha256 of the bytes on disk when planned; a deletion only removes exactly these bytes. */
  diskSha256?: string;
}

export interface EventChanges {
  added: string[];
  removed: string[];
  changed: string[];
  /** For each changed event, what changed inside its payload (`data.id: integer -> string`). */
  details: Record<string, string[]>;
}

export interface Plan {
  /** Absolute. */
  outDir: string;
  /** Sorted by path. */
  entries: PlanEntry[];
  /** The manifest applyPlan writes. */
  manifest: Manifest;
  eventChanges: EventChanges;
}

export interface PlanOptions {
  /** Overwrite (or delete) generator files edited by hand or not created by aircall-gen. Never user files. */
  force?: boolean;
  inputHash: string;
  /** Event name -> payload hash, as recorded in the manifest. */
  eventHashes: Record<string, string>;
  /** The shape nodes of those payloads (and of retired events), kept in the manifest for the next comparison. */
  shapes?: ShapeTable;
  /** The spec's path relative to the output folder; undefined for the bundled spec. */
  specFromOut?: string | undefined;
  /** Files the spec's `$ref`s read, relative to the output folder -> SHA-256 of their text. */
  refs?: Record<string, string>;
  /** A `$ref` read a URL. */
  remoteRefs?: boolean;
  /** Retired events whose handler is still on disk -> their last known payload hash. */
  retiredHashes?: Record<string, string>;
  /** The manifest as already read by the caller (read here when absent). */
  previous?: Promise<Manifest | undefined>;
}
