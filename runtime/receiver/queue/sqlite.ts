// The embedded queue backend: one SQLite file (WAL, synchronous=FULL for acknowledgements), receiver and
// workers in one process. Writes go through group commit; reads run directly.
import { randomUUID } from 'node:crypto';
import type {
  ClaimedJob,
  EnqueueOutcome,
  JobState,
  JobSummary,
  QueueBackend,
  QueueStatus,
  RetryTarget,
} from './contract.js';
import { JOB_STATES, QUEUE_DEFAULTS } from './contract.js';
import { createGroupCommit } from './group-commit.js';
import { loadSqliteDriver, type SqliteDatabase, type SqliteDriver } from './sqlite-driver.js';
import { SCHEMA_SQL, SCHEMA_VERSION } from './sqlite-schema.js';

/** Where the queue lives unless told otherwise (relative to the working directory). */
export const DEFAULT_QUEUE_FILE = 'aircall-queue.db';

export interface SqliteQueueOptions {
  /** The queue file. Default {@link DEFAULT_QUEUE_FILE}. */
  file?: string;
  /** A key seen within this window is a duplicate. Default 24 h. */
  dedupeWindowMs?: number;
  /** A lease not renewed for this long may be taken back. Default 60 s. */
  leaseMs?: number;
  /** Largest size of the file; past it, deliveries are refused (503) instead of filling the disk. */
  maxBytes?: number;
  /** How long a write waits for another process's lock (the CLI) before failing. Default 2000 ms. */
  busyTimeoutMs?: number;
  /** Refuse to create the file (the operations CLI opens existing queues only). */
  mustExist?: boolean;
  /** The better-sqlite3 constructor; default: loaded from the project's node_modules. */
  driver?: SqliteDriver;
}

interface ClaimRow {
  seq: number;
  key: string;
  event: string;
  object_key: string | null;
  ts: number;
  body: string;
  received_at: number;
  attempts: number;
  superseded: number;
}

interface LeaseRow {
  key: string;
  attempts: number;
  lease_owner: string | null;
  lease_pid: number | null;
  lease_until: number | null;
}

function summaryOf(row: SummaryRow): JobSummary {
  return {
    key: row.key,
    event: row.event,
    state: row.state,
    attempts: row.attempts,
    receivedAt: row.received_at,
    updatedAt: row.updated_at,
    availableAt: row.available_at,
    lastError: row.last_error,
  };
}

interface SummaryRow {
  key: string;
  event: string;
  state: JobState;
  attempts: number;
  received_at: number;
  updated_at: number;
  available_at: number;
  last_error: string | null;
}

/** Runs a synchronous read as a promise: a closed or broken database rejects rather than throws. */
function read<T>(query: () => T): Promise<T> {
  try {
    return Promise.resolve(query());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Whether process `pid` is alive on this machine (EPERM: it is, under another user). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Opens the file, sets WAL and the size bound, and creates or checks the tables. */
export function openQueueDatabase(options: SqliteQueueOptions): SqliteDatabase {
  const Driver = options.driver ?? loadSqliteDriver();
  const db = new Driver(options.file ?? DEFAULT_QUEUE_FILE, {
    timeout: options.busyTimeoutMs ?? 2_000,
    fileMustExist: options.mustExist ?? false,
  });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const version = Number(db.pragma('user_version', { simple: true }));
    if (version > SCHEMA_VERSION) {
      throw new Error(
        `queue file format ${version} is newer than this receiver's (${SCHEMA_VERSION}): upgrade aircall-gen`,
      );
    }
    db.exec(SCHEMA_SQL);
    if (version < SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
    if (options.maxBytes !== undefined) {
      const pageSize = Number(db.pragma('page_size', { simple: true }));
      db.pragma(`max_page_count = ${Math.max(1, Math.floor(options.maxBytes / pageSize))}`);
    }
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** Creates the SQLite backend. Throws when the file cannot be opened or better-sqlite3 is missing. */
export function createSqliteQueue(options: SqliteQueueOptions = {}): QueueBackend {
  const db = openQueueDatabase(options);
  const writes = createGroupCommit(db);
  const dedupeWindowMs = options.dedupeWindowMs ?? QUEUE_DEFAULTS.dedupeWindowMs;
  const leaseMs = options.leaseMs ?? QUEUE_DEFAULTS.leaseMs;
  const owner = randomUUID(); // this process start: a restart with the same pid is still another owner
  const pid = process.pid;

  const sql = {
    dropExpired: db.prepare(`DELETE FROM aircall_jobs WHERE key = ? AND state = 'done' AND received_at < ?`),
    insert: db.prepare(
      `INSERT OR IGNORE INTO aircall_jobs
         (key, event, object_key, ts, body, state, attempts, available_at, received_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)`,
    ),
    due: db.prepare(
      `SELECT j.seq, j.key, j.event, j.object_key, j.ts, j.body, j.received_at, j.attempts,
         EXISTS (SELECT 1 FROM aircall_objects o WHERE o.object_key = j.object_key AND o.handled_ts > j.ts)
           AS superseded
       FROM aircall_jobs j
       WHERE j.state = 'pending' AND j.available_at <= ?
         AND (j.object_key IS NULL OR (
           NOT EXISTS (SELECT 1 FROM aircall_jobs r WHERE r.object_key = j.object_key AND r.state = 'running')
           AND NOT EXISTS (SELECT 1 FROM aircall_jobs e
             WHERE e.object_key = j.object_key AND e.state = 'pending'
               AND (e.ts < j.ts OR (e.ts = j.ts AND e.seq < j.seq)))))
       ORDER BY j.available_at, j.seq
       LIMIT ?`,
    ),
    lease: db.prepare(
      `UPDATE aircall_jobs SET state = 'running', attempts = attempts + 1, lease_owner = ?, lease_pid = ?,
         lease_until = ?, updated_at = ? WHERE seq = ?`,
    ),
    complete: db.prepare(
      `UPDATE aircall_jobs SET state = 'done', updated_at = ?, lease_owner = NULL, lease_pid = NULL,
         lease_until = NULL, last_error = NULL
       WHERE key = ? AND state = 'running' AND lease_owner = ? RETURNING object_key, ts`,
    ),
    watermark: db.prepare(
      `INSERT INTO aircall_objects (object_key, handled_ts, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (object_key) DO UPDATE
         SET handled_ts = max(handled_ts, excluded.handled_ts), updated_at = excluded.updated_at`,
    ),
    fail: db.prepare(
      `UPDATE aircall_jobs SET state = ?, available_at = ?, last_error = ?, updated_at = ?,
         lease_owner = NULL, lease_pid = NULL, lease_until = NULL
       WHERE key = ? AND state = 'running' AND lease_owner = ?`,
    ),
    release: db.prepare(
      `UPDATE aircall_jobs SET state = 'pending', attempts = max(attempts - 1, 0), available_at = ?,
         updated_at = ?, lease_owner = NULL, lease_pid = NULL, lease_until = NULL
       WHERE key = ? AND state = 'running' AND lease_owner = ?`,
    ),
    renew: db.prepare(`UPDATE aircall_jobs SET lease_until = ? WHERE key = ? AND lease_owner = ?`),
    running: db.prepare(
      `SELECT key, attempts, lease_owner, lease_pid, lease_until FROM aircall_jobs WHERE state = 'running'`,
    ),
    recoverOne: db.prepare(
      `UPDATE aircall_jobs SET state = ?, available_at = ?, updated_at = ?, last_error = coalesce(?, last_error),
         lease_owner = NULL, lease_pid = NULL, lease_until = NULL
       WHERE key = ? AND state = 'running'`,
    ),
    nextDue: db.prepare(`SELECT min(available_at) AS at FROM aircall_jobs WHERE state = 'pending'`),
    purgeJobs: db.prepare(`DELETE FROM aircall_jobs WHERE state = ? AND updated_at < ?`),
    pruneObjects: db.prepare(`DELETE FROM aircall_objects WHERE updated_at < ?`),
    counts: db.prepare(`SELECT state, count(*) AS n FROM aircall_jobs GROUP BY state`),
    oldestPending: db.prepare(`SELECT min(received_at) AS at FROM aircall_jobs WHERE state = 'pending'`),
    list: db.prepare(
      `SELECT key, event, state, attempts, received_at, updated_at, available_at, last_error
       FROM aircall_jobs WHERE state = ? ORDER BY seq LIMIT ?`,
    ),
    retryOne: db.prepare(
      `UPDATE aircall_jobs SET state = 'pending', attempts = 0, available_at = ?, updated_at = ?
       WHERE substr(key, 1, length(?)) = ? AND state IN ('dead', 'pending')`,
    ),
    retryDead: db.prepare(
      `UPDATE aircall_jobs SET state = 'pending', attempts = 0, available_at = ?, updated_at = ? WHERE state = 'dead'`,
    ),
  };

  const statusNow = (now: number): QueueStatus => {
    const counts = Object.fromEntries(JOB_STATES.map((state) => [state, 0])) as Record<JobState, number>;
    for (const row of sql.counts.all() as { state: JobState; n: number }[]) counts[row.state] = row.n;
    const oldest = (sql.oldestPending.get() as { at: number | null }).at;
    return { counts, oldestPendingMs: oldest === null ? null : Math.max(0, now - oldest) };
  };

  /** Whether a running job's lease is no longer held: expired, or its process is gone. */
  const abandoned = (row: LeaseRow, now: number): boolean => {
    if (row.lease_owner === owner) return (row.lease_until ?? 0) < now;
    if (row.lease_until === null || row.lease_until < now) return true;
    return row.lease_pid === null || row.lease_pid === pid || !processAlive(row.lease_pid);
  };

  return {
    enqueue(job, now) {
      return writes.run((): EnqueueOutcome => {
        sql.dropExpired.run(job.key, now - dedupeWindowMs);
        const { changes } = sql.insert.run(
          job.key,
          job.event,
          job.objectKey,
          job.timestamp,
          job.body,
          job.receivedAt,
          job.receivedAt,
          now,
        );
        return changes === 1 ? 'queued' : 'duplicate';
      }, true);
    },

    claim(limit, now) {
      return writes.run((): ClaimedJob[] => {
        const rows = sql.due.all(now, limit) as ClaimRow[];
        return rows.map((row) => {
          sql.lease.run(owner, pid, now + leaseMs, now, row.seq);
          return {
            key: row.key,
            event: row.event,
            objectKey: row.object_key,
            timestamp: row.ts,
            body: row.body,
            receivedAt: row.received_at,
            attempt: row.attempts + 1,
            superseded: row.superseded === 1,
          };
        });
      }, false);
    },

    complete(key, now) {
      return writes.run(() => {
        const row = sql.complete.get(now, key, owner) as { object_key: string | null; ts: number } | undefined;
        if (row?.object_key != null) sql.watermark.run(row.object_key, row.ts, now);
      }, false);
    },

    fail(key, error, retryAt, now) {
      return writes.run(() => {
        sql.fail.run(retryAt === null ? 'dead' : 'pending', retryAt ?? now, error, now, key, owner);
      }, retryAt === null);
    },

    release(key, now) {
      return writes.run(() => {
        sql.release.run(now, now, key, owner);
      }, false);
    },

    renewLeases(keys, now) {
      return writes.run(() => {
        for (const key of keys) sql.renew.run(now + leaseMs, key, owner);
      }, false);
    },

    recover(now, maxAttempts) {
      return writes.run(() => {
        let recovered = 0;
        for (const row of sql.running.all() as LeaseRow[]) {
          if (!abandoned(row, now)) continue;
          const dead = row.attempts >= maxAttempts;
          const error = dead ? `the process running attempt ${row.attempts} stopped before it ended` : null;
          sql.recoverOne.run(dead ? 'dead' : 'pending', now, now, error, row.key);
          recovered++;
        }
        return recovered;
      }, true);
    },

    nextDueAt() {
      return read(() => (sql.nextDue.get() as { at: number | null }).at);
    },

    purge(state, now, olderThanMs) {
      return writes.run(() => {
        const { changes } = sql.purgeJobs.run(state, now - olderThanMs);
        if (state === 'done') sql.pruneObjects.run(now - Math.max(olderThanMs, dedupeWindowMs));
        return changes;
      }, false);
    },

    status(now) {
      return read(() => statusNow(now));
    },

    list(state, limit) {
      return read(() => (sql.list.all(state, limit) as SummaryRow[]).map(summaryOf));
    },

    retry(target: RetryTarget, now) {
      if ('id' in target && !/^[0-9a-f]{8,64}$/.test(target.id)) {
        return Promise.reject(new TypeError(`not a delivery id (8 to 64 hex digits): ${target.id}`));
      }
      return writes.run(() => {
        if ('dead' in target) return sql.retryDead.run(now, now).changes;
        return sql.retryOne.run(now, now, target.id, target.id).changes;
      }, true);
    },

    close() {
      writes.close();
      db.close();
      return Promise.resolve();
    },
  };
}
