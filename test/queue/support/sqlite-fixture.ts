// SQLite backends on temporary files, for the contract suite and the worker tests.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadSqliteDriver,
  type SqliteDatabase,
  type SqliteDriver,
} from '../../../runtime/receiver/queue/sqlite-driver.js';
import { createSqliteQueue } from '../../../runtime/receiver/queue/sqlite.js';
import type { BackendFactory } from './contract-suite.js';

/** A better-sqlite3 constructor that remembers the connections it opened. */
function recordingDriver(opened: SqliteDatabase[]): SqliteDriver {
  const Database = loadSqliteDriver();
  return class extends Database {
    constructor(...args: ConstructorParameters<SqliteDriver>) {
      super(...args);
      opened.push(this);
    }
  };
}

export const sqliteFactory: BackendFactory = async (options = {}) => {
  const dir = await mkdtemp(join(tmpdir(), 'aircall-queue-'));
  const file = join(dir, 'queue.db');
  const opened: SqliteDatabase[] = [];
  const driver = recordingDriver(opened);
  const open = () => createSqliteQueue({ file, driver, ...options });
  const backend = open();
  const handles = [backend];
  return {
    backend,
    async reopen() {
      const other = open();
      handles.push(other);
      return other;
    },
    async breakStorage() {
      // What a read-only file does to every write; the connection of `backend` is the first one opened.
      opened[0]!.pragma('query_only = 1');
    },
    async cleanup() {
      for (const handle of handles) await handle.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
};
