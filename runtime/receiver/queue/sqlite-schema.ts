// The queue file's format, in one place: the receiver and `aircall-gen inbox` both open files with it.

/** Bumped when the tables change; a file from a newer version is refused rather than misread. */
export const SCHEMA_VERSION = 1;

/**
 * One row per delivery, keyed by its dedupe key. `ts` is the body's timestamp (per-object order);
 * `available_at` is when a pending job is due; a running job is leased by `lease_owner` (one process
 * start) in process `lease_pid` until `lease_until`. `aircall_objects` keeps, per object, the newest
 * timestamp handled so far (`ctx.superseded`). Times are ms since the epoch.
 */
export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS aircall_jobs (
  seq INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  event TEXT NOT NULL,
  object_key TEXT,
  ts REAL NOT NULL,
  body TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  available_at INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  lease_owner TEXT,
  lease_pid INTEGER,
  lease_until INTEGER,
  last_error TEXT
);
CREATE INDEX IF NOT EXISTS aircall_jobs_due ON aircall_jobs (state, available_at, seq);
CREATE INDEX IF NOT EXISTS aircall_jobs_object ON aircall_jobs (object_key, state, ts, seq)
  WHERE object_key IS NOT NULL;
CREATE TABLE IF NOT EXISTS aircall_objects (
  object_key TEXT PRIMARY KEY,
  handled_ts REAL NOT NULL,
  updated_at INTEGER NOT NULL
);
`;
