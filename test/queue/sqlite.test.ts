// The SQLite backend: the shared contract suite, plus what is SQLite's own (file format, pragmas, size bound).
import { closeSync, openSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createGroupCommit, QueueSyncError } from '../../runtime/receiver/queue/group-commit.js';
import { createSqliteQueue, openQueueDatabase } from '../../runtime/receiver/queue/sqlite.js';
import { loadSqliteDriver, SqliteDriverMissingError } from '../../runtime/receiver/queue/sqlite-driver.js';
import { SCHEMA_VERSION } from '../../runtime/receiver/queue/sqlite-schema.js';
import { describeQueueContract, job } from './support/contract-suite.js';
import { sqliteFactory } from './support/sqlite-fixture.js';

describeQueueContract('sqlite', sqliteFactory);

const Database = loadSqliteDriver();

const dir = await mkdtemp(join(tmpdir(), 'aircall-sqlite-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('sqlite backend', () => {
  it('uses WAL and stamps the schema version', async () => {
    const file = join(dir, 'wal.db');
    const queue = createSqliteQueue({ file });
    await queue.enqueue(job(), Date.now());
    await queue.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT count(*) AS n FROM aircall_jobs').get()).toEqual({ n: 1 });
    db.close();
  });

  it('refuses a file written by a newer format', () => {
    const file = join(dir, 'newer.db');
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => createSqliteQueue({ file })).toThrow(/newer than this receiver's/);
  });

  it('enqueues that arrive together share one transaction', async () => {
    const file = join(dir, 'group.db');
    const queue = createSqliteQueue({ file });
    const watcher = new Database(file, { readonly: true });
    const before = watcher.pragma('data_version', { simple: true });
    const jobs = Array.from({ length: 50 }, (_, n) => job({ n, id: n }));
    const outcomes = await Promise.all(jobs.map((j) => queue.enqueue(j, Date.now())));
    expect(outcomes.every((o) => o === 'queued')).toBe(true);
    // data_version moves once per commit by another connection: one commit for the fifty.
    expect(Number(watcher.pragma('data_version', { simple: true })) - Number(before)).toBe(1);
    watcher.close();
    await queue.close();
  });

  it('past maxBytes, enqueue rejects (full disk) and what was acknowledged stays', async () => {
    const file = join(dir, 'full.db');
    const queue = createSqliteQueue({ file, maxBytes: 64 * 1024 });
    const padding = 'x'.repeat(2_000);
    let stored = 0;
    let refused: unknown;
    for (let n = 0; n < 200 && refused === undefined; n++) {
      const j = job({ n });
      await queue.enqueue({ ...j, body: j.body + padding }, Date.now()).then(
        () => stored++,
        (error: unknown) => (refused = error),
      );
    }
    expect(String(refused)).toMatch(/full/i);
    expect((await queue.status(Date.now())).counts.pending).toBe(stored);
    await queue.close();
  });

  it('a failed fsync of the WAL rejects its writes and every later one (nothing more is acknowledged)', async () => {
    const file = join(dir, 'sync-fails.db');
    const db = openQueueDatabase({ file });
    const fd = openSync(join(dir, 'not-the-wal'), 'w');
    closeSync(fd); // fdatasync on it fails with EBADF, as a failing disk would fail it
    const writes = createGroupCommit(db, fd);
    const insert = db.prepare(`INSERT INTO aircall_objects (object_key, handled_ts, updated_at) VALUES (?, 1, 1)`);
    await expect(writes.run(() => insert.run('a'), true)).rejects.toBeInstanceOf(QueueSyncError);
    await expect(writes.run(() => insert.run('b'), false)).rejects.toBeInstanceOf(QueueSyncError);
    await writes.close();
    db.close();
  });

  it('checkpoints on its own thread: the rows reach the database file while the queue stays open', async () => {
    const file = join(dir, 'checkpoint.db');
    const queue = createSqliteQueue({ file });
    const before = statSync(file).size;
    await Promise.all(Array.from({ length: 100 }, (_, n) => queue.enqueue(job({ n, id: n }), Date.now())));
    // The receiver's own connection never checkpoints (wal_autocheckpoint = 0): only the thread can grow the file.
    const deadline = Date.now() + 10_000;
    while (statSync(file).size === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(statSync(file).size).toBeGreaterThan(before);
    await queue.close();
  });

  it('a driver that cannot load names the package and the inline alternative', async () => {
    expect(typeof loadSqliteDriver()).toBe('function');
    const error = new SqliteDriverMissingError(new Error('Cannot find module'));
    expect(error.message).toMatch(/npm install better-sqlite3@12/);
    expect(error.message).toMatch(/AIRCALL_QUEUE=inline/);
  });
});
