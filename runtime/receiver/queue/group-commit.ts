// Group commit: the writes asked for during one event-loop turn run in one transaction, with one fsync.
// better-sqlite3 is synchronous, so a commit holds the event loop for its fsync (a few ms); fifty
// acknowledgements sharing it is what keeps the receiver fast, and requests arriving meanwhile simply
// wait in the socket buffers for the next batch.
import type { SqliteDatabase, SqliteStatement } from './sqlite-driver.js';

interface Pending {
  readonly write: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupCommit {
  /**
   * Runs `write` inside the next batch's transaction; resolves with its result once that transaction is
   * committed, rejects if the batch fails (then nothing of it is stored). `durable`: the commit must be
   * fsynced (synchronous=FULL) before it resolves; otherwise NORMAL is enough (in WAL mode a kill -9
   * loses nothing either way; a power cut may lose such a write, which only makes a handler run again).
   */
  run<T>(write: () => T, durable: boolean): Promise<T>;
  /** Runs what is waiting now; later calls reject. */
  close(): void;
}

export class QueueClosedError extends Error {
  override readonly name = 'QueueClosedError';
  constructor() {
    super('the queue is closed');
  }
}

export function createGroupCommit(db: SqliteDatabase): GroupCommit {
  let batch: Pending[] = [];
  let durableBatch = false;
  let scheduled = false;
  let closed = false;
  let synchronous: 'FULL' | 'NORMAL' | undefined;
  const begin: SqliteStatement = db.prepare('BEGIN IMMEDIATE');
  const commit: SqliteStatement = db.prepare('COMMIT');

  const setSynchronous = (wanted: 'FULL' | 'NORMAL'): void => {
    if (synchronous === wanted) return;
    db.pragma(`synchronous = ${wanted}`);
    synchronous = wanted;
  };

  const flush = (): void => {
    scheduled = false;
    const writes = batch;
    const durable = durableBatch;
    batch = [];
    durableBatch = false;
    if (writes.length === 0) return;
    const results: unknown[] = [];
    try {
      setSynchronous(durable ? 'FULL' : 'NORMAL');
      begin.run();
      for (const pending of writes) results.push(pending.write());
      commit.run();
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      for (const pending of writes) pending.reject(error);
      return;
    }
    writes.forEach((pending, index) => pending.resolve(results[index]));
  };

  return {
    run<T>(write: () => T, durable: boolean): Promise<T> {
      if (closed) return Promise.reject(new QueueClosedError());
      return new Promise<T>((resolve, reject) => {
        batch.push({ write, resolve: resolve as (value: unknown) => void, reject });
        if (durable) durableBatch = true;
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    close() {
      if (closed) return;
      flush();
      closed = true;
    },
  };
}
