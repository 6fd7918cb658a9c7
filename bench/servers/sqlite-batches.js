// What both SQLite floors do around their own INSERTs: a WAL database with synchronous=NORMAL and no
// automatic checkpoint, and group commit with the fsync off the event loop. The requests read while an
// fsync runs form one batch, stored in one transaction; then `fdatasync` of the WAL on libuv's pool, and
// the batch is answered only once it has ended.
import { fdatasync, openSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The root project's require: better-sqlite3 comes from its install. */
const rootRequire = createRequire(new URL('../../package.json', import.meta.url));

/** better-sqlite3's entry file, for a thread that loads it on its own (the receiver's checkpointer). */
export const SQLITE_DRIVER_PATH = rootRequire.resolve('better-sqlite3');

export const OK = Buffer.from('{"ok":true}');
export const OK_HEADERS = { 'content-type': 'application/json', 'content-length': OK.length };

/**
 * Opens `file` (new) in WAL mode with `schema`, and its WAL for fdatasync.
 * @param {string} file
 * @param {string} schema
 */
export function openWalDatabase(file, schema) {
  const Database = rootRequire('better-sqlite3');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec(schema);
  return { db, walFd: openSync(`${file}-wal`, 'r+') };
}

/**
 * Group commit over `db`: `push(item)` adds an item to the next batch. A batch runs `store(item)` for each
 * of its items in one transaction, then fdatasyncs the WAL, then `answer(items, results, ok)` with what
 * each `store` returned; `ok` is false, and `results` empty, when the transaction or the fsync failed.
 * @template T, R
 * @param {{ db: any, walFd: number }} database
 * @param {(item: T) => R} store
 * @param {(items: T[], results: R[], ok: boolean) => void} answer
 * @returns {(item: T) => void}
 */
export function groupCommit({ db, walFd }, store, answer) {
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  /** @type {T[]} */
  let batch = [];
  let syncing = false;
  let scheduled = false;

  function flush() {
    scheduled = false;
    if (batch.length === 0) return;
    const items = batch;
    batch = [];
    /** @type {R[]} */
    const results = [];
    try {
      begin.run();
      for (const item of items) results.push(store(item));
      commit.run();
    } catch {
      if (db.inTransaction) db.exec('ROLLBACK');
      answer(items, [], false);
      schedule();
      return;
    }
    syncing = true;
    fdatasync(walFd, (error) => {
      syncing = false;
      answer(items, error === null ? results : [], error === null);
      schedule();
    });
  }

  /** The next batch goes at the end of this turn, or once the fsync in flight has ended. */
  function schedule() {
    if (syncing || scheduled || batch.length === 0) return;
    scheduled = true;
    setImmediate(flush);
  }

  return (item) => {
    batch.push(item);
    schedule();
  };
}
