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

  it('migrates a version 1 file: its jobs stay, their keys still dedupe, and the key-only index is gone', async () => {
    const file = join(dir, 'v1.db');
    const v1 = new Database(file);
    v1.pragma('journal_mode = WAL');
    // The tables as version 1 wrote them (the key UNIQUE on its own).
    v1.exec(`
      CREATE TABLE aircall_jobs (seq INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, event TEXT NOT NULL,
        object_key TEXT, ts REAL NOT NULL, body TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done', 'dead')),
        attempts INTEGER NOT NULL DEFAULT 0, available_at INTEGER NOT NULL, received_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL, lease_owner TEXT, lease_pid INTEGER, lease_until INTEGER, last_error TEXT);
      CREATE INDEX aircall_jobs_due ON aircall_jobs (state, available_at, seq);
      CREATE INDEX aircall_jobs_object ON aircall_jobs (object_key, state, ts, seq) WHERE object_key IS NOT NULL;
      CREATE TABLE aircall_objects (object_key TEXT PRIMARY KEY, handled_ts REAL NOT NULL, updated_at INTEGER NOT NULL);
    `);
    const now = Date.now();
    const stored = [job({ id: 1 }), job({ id: null, n: 2 })];
    const insert = v1.prepare(
      `INSERT INTO aircall_jobs (key, event, object_key, ts, body, state, attempts, available_at, received_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)`,
    );
    for (const j of stored) insert.run(j.key, j.event, j.objectKey, j.timestamp, j.body, now, now, now);
    v1.pragma('user_version = 1');
    v1.close();

    const queue = createSqliteQueue({ file });
    for (const j of stored) expect(await queue.enqueue(j, now)).toBe('duplicate');
    expect(await queue.enqueue(job({ id: 3 }), now)).toBe('queued');
    const claimed = await queue.claim(10, now);
    expect(claimed.map((c) => c.key).sort()).toEqual([...stored.map((j) => j.key), job({ id: 3 }).key].sort());
    for (const c of claimed) await queue.complete(c.key, now);
    expect((await queue.status(now)).counts.done).toBe(3);
    await queue.close();

    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const indexes = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'aircall_jobs' ORDER BY name`)
      .all();
    expect(indexes).toEqual([
      { name: 'aircall_jobs_due' },
      { name: 'aircall_jobs_key' },
      { name: 'aircall_jobs_object' },
    ]);
    db.close();
  });

  it('dedupes jobs without an object too, concurrent ones included', async () => {
    const file = join(dir, 'no-object.db');
    const queue = createSqliteQueue({ file });
    const j = job({ id: null, n: 7 });
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => queue.enqueue(j, Date.now())));
    expect(outcomes.filter((o) => o === 'queued')).toHaveLength(1);
    expect(await queue.enqueue(j, Date.now())).toBe('duplicate');
    await queue.close();
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

  it('claims with one prepared statement per limit, the limit in its text: never a bound LIMIT', async () => {
    // A LIMIT bound as a parameter makes this SQLite re-parse and re-plan the statement at every run
    // (callgrind: about 340k instructions per claim instead of 70k); the limit goes into the SQL instead.
    const prepared: string[] = [];
    const Base = loadSqliteDriver();
    const driver = class extends Base {
      override prepare(sql: string) {
        prepared.push(sql);
        return super.prepare(sql);
      }
    };
    const queue = createSqliteQueue({ file: join(dir, 'claim-limit.db'), driver });
    const now = Date.now();
    await Promise.all(Array.from({ length: 6 }, (_, n) => queue.enqueue(job({ n, id: n }), now)));
    const claimQueries = () => prepared.filter((sql) => sql.includes('FROM aircall_jobs j'));
    expect(claimQueries()).toEqual([]); // prepared when first needed

    expect(await queue.claim(2, now)).toHaveLength(2);
    expect(await queue.claim(2, now)).toHaveLength(2);
    expect(await queue.claim(1, now)).toHaveLength(1);
    expect(await queue.claim(2, now)).toHaveLength(1); // one job left
    expect(await queue.claim(0, now)).toEqual([]);
    const texts = claimQueries();
    expect(texts).toHaveLength(2);
    expect(texts.map((sql) => /LIMIT (\S+)\s*$/.exec(sql)?.[1])).toEqual(['2', '1']);
    await queue.close();
  });

  it('a claim limit that is not an integer is refused on its own, and the writes it would have joined go on', async () => {
    const queue = createSqliteQueue({ file: join(dir, 'claim-bad-limit.db') });
    const now = Date.now();
    const [refused, stored] = await Promise.allSettled([queue.claim(1.5, now), queue.enqueue(job({ id: 31 }), now)]);
    expect(refused).toMatchObject({ status: 'rejected', reason: expect.any(RangeError) });
    expect(stored).toEqual({ status: 'fulfilled', value: 'queued' });
    expect(await queue.claim(5, now)).toHaveLength(1);
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

  it('a full file fails the delivery that does not fit, not the settles committed beside it', async () => {
    const file = join(dir, 'full-batch.db');
    const queue = createSqliteQueue({ file, maxBytes: 64 * 1024 });
    const now = Date.now();
    const handled = job({ id: null, n: 1 }); // no object: completing it writes no new row
    await queue.enqueue(handled, now);
    const [claimed] = await queue.claim(1, now);
    expect(claimed?.key).toBe(handled.key);
    const padding = 'x'.repeat(3_000);
    for (let n = 2; ; n++) {
      const j = job({ n });
      const stored = await queue.enqueue({ ...j, body: j.body + padding }, now).then(
        () => true,
        () => false,
      );
      if (!stored) break;
    }
    // One batch: the completion of a handled job, and a delivery the full file refuses.
    const refused = job({ n: 9_999 });
    const [completed, enqueued] = await Promise.allSettled([
      queue.complete(handled.key, now + 1),
      queue.enqueue({ ...refused, body: refused.body + padding }, now + 1),
    ]);
    expect(enqueued.status).toBe('rejected');
    expect(String((enqueued as PromiseRejectedResult).reason)).toMatch(/full/i);
    expect(completed.status).toBe('fulfilled');
    expect((await queue.list('done', 10)).map((summary) => summary.key)).toEqual([handled.key]);
    expect(await queue.recover(now + 120_000, 12)).toBe(0); // nothing left running to be run again
    await queue.close();
  });

  it('a settle that fails keeps the job leased here: settling it again stores it, and nothing recovers it', async () => {
    const file = join(dir, 'settle-again.db');
    const queue = createSqliteQueue({ file });
    const now = Date.now();
    const handled = job({ id: 5 });
    await queue.enqueue(handled, now);
    await queue.claim(1, now);
    // The completion's statement fails inside its batch (as a full page or an I/O error would).
    const other = new Database(file);
    other.exec(`CREATE TRIGGER refuse_done BEFORE UPDATE OF state ON aircall_jobs WHEN NEW.state = 'done'
      BEGIN SELECT RAISE(ABORT, 'cannot store the completion'); END`);
    await expect(queue.complete(handled.key, now + 1)).rejects.toThrow(/cannot store the completion/);
    other.exec('DROP TRIGGER refuse_done');
    other.close();
    await queue.renewLeases([handled.key], now + 30_000);
    expect(await queue.recover(now + 70_000, 12)).toBe(0); // still leased here, and renewed
    await queue.complete(handled.key, now + 70_001);
    expect((await queue.status(now)).counts).toMatchObject({ running: 0, done: 1 });
    await queue.close();
  });

  it('a lease held in another process space (another container, also pid 1) waits for its expiry', async () => {
    const file = join(dir, 'other-space.db');
    const queue = createSqliteQueue({ file, leaseMs: 60_000 });
    const now = Date.now();
    await queue.enqueue(job({ id: 6 }), now);
    await queue.enqueue(job({ id: 7 }), now);
    await queue.claim(10, now);
    const db = new Database(file);
    // Same pid as this process, a pid that is not alive here: both would count as gone were they from here.
    db.prepare(
      `UPDATE aircall_jobs SET lease_owner = 'elsewhere@other-host#pid:[1]', lease_pid = ? WHERE object_key = 'call:6'`,
    ).run(process.pid);
    db.prepare(
      `UPDATE aircall_jobs SET lease_owner = 'elsewhere@other-host#pid:[1]', lease_pid = 999999999 WHERE object_key = 'call:7'`,
    ).run();
    db.close();
    expect(await queue.recover(now + 1_000, 12)).toBe(0);
    expect(await queue.recover(now + 61_000, 12)).toBe(2);
    await queue.close();
  });

  it('a queue file reached through a symlink has its WAL synced by group commit, beside the real file', async () => {
    const { mkdir, symlink } = await import('node:fs/promises');
    const real = join(dir, 'real');
    await mkdir(real);
    const target = join(real, 'queue.db');
    const link = join(dir, 'linked.db');
    new Database(target).close();
    await symlink(target, link);
    const opened: InstanceType<typeof Database>[] = [];
    const driver = class extends Database {
      constructor(...args: ConstructorParameters<typeof Database>) {
        super(...args);
        opened.push(this);
      }
    };
    const queue = createSqliteQueue({ file: link, driver });
    await queue.enqueue(job({ id: 8 }), Date.now());
    // SQLite keeps the WAL beside the real file. Group commit found it: the connection commits without
    // syncing (NORMAL, 1) and the fsync is group commit's; had it not, each commit would sync (FULL, 2).
    expect(statSync(`${target}-wal`).isFile()).toBe(true);
    expect(() => statSync(`${link}-wal`)).toThrow();
    expect(opened[0]!.pragma('synchronous', { simple: true })).toBe(1);
    await queue.close();
  });

  it('a failed fsync of the WAL rejects its writes and every later one (nothing more is acknowledged)', async () => {
    const file = join(dir, 'sync-fails.db');
    const db = openQueueDatabase({ file });
    const fd = openSync(join(dir, 'not-the-wal'), 'w');
    closeSync(fd); // fdatasync on it fails with EBADF, as a failing disk would fail it
    const writes = createGroupCommit(db, { walFd: fd });
    const insert = db.prepare(`INSERT INTO aircall_objects (object_key, handled_ts, updated_at) VALUES (?, 1, 1)`);
    expect(writes.failure()).toBeUndefined();
    await expect(writes.run(() => insert.run('a'), true)).rejects.toBeInstanceOf(QueueSyncError);
    // Only a restart mends it: the failure stays, for the health check and the entries' exit.
    expect(writes.failure()).toBeInstanceOf(QueueSyncError);
    await expect(writes.run(() => insert.run('b'), false)).rejects.toBeInstanceOf(QueueSyncError);
    expect(writes.failure()?.message).toMatch(/could not be synced to disk .*restart the receiver/);
    await writes.close();
    db.close();
  });

  /** Records the longest gap between 5 ms ticks of the event loop until stopped. */
  function loopWatch(): { stop(): number } {
    let last = performance.now();
    let longest = 0;
    const timer = setInterval(() => {
      const at = performance.now();
      longest = Math.max(longest, at - last);
      last = at;
    }, 5);
    return {
      stop() {
        clearInterval(timer);
        return Math.max(longest, performance.now() - last);
      },
    };
  }

  /** A queue holding one job, and another connection holding its write lock (BEGIN IMMEDIATE). */
  async function queueWithLockHeld(name: string, busyTimeoutMs: number) {
    const file = join(dir, `${name}.db`);
    const queue = createSqliteQueue({ file, busyTimeoutMs });
    await queue.enqueue(job({ n: 1, id: 1 }), Date.now());
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    return { queue, other };
  }

  it('a write lock held by another connection is waited for on timers, not on the event loop', async () => {
    // Same thread: if SQLite's busy handler slept on the event loop, the other connection could never let go.
    const { queue, other } = await queueWithLockHeld('held-lock', 5_000);
    const watch = loopWatch();
    let settled = false;
    const stored = queue.enqueue(job({ n: 2, id: 2 }), Date.now()).finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(settled).toBe(false);
    other.exec('COMMIT');
    other.close();
    expect(await stored).toBe('queued');
    expect(watch.stop()).toBeLessThan(150);
    expect((await queue.status(Date.now())).counts.pending).toBe(2);
    await queue.close();
  });

  it('a write lock held past busyTimeoutMs fails the batch, stores nothing of it, and the next write succeeds', async () => {
    const { queue, other } = await queueWithLockHeld('held-too-long', 200);
    const watch = loopWatch();
    const started = performance.now();
    const refused = await queue.enqueue(job({ n: 2, id: 2 }), Date.now()).then(
      () => undefined,
      (error: unknown) => error,
    );
    const waited = performance.now() - started;
    expect(watch.stop()).toBeLessThan(150);
    expect((refused as { code?: string } | undefined)?.code).toMatch(/^SQLITE_BUSY/);
    expect(waited).toBeGreaterThanOrEqual(190);
    expect(waited).toBeLessThan(1_500);
    other.exec('ROLLBACK');
    other.close();
    expect((await queue.status(Date.now())).counts.pending).toBe(1);
    // Nothing of the failed batch was stored: the same delivery is new, not a duplicate.
    expect(await queue.enqueue(job({ n: 2, id: 2 }), Date.now())).toBe('queued');
    await queue.close();
  });

  it('close waits for a batch that waits for the write lock, and the batch is stored', async () => {
    const { queue, other } = await queueWithLockHeld('close-while-locked', 5_000);
    const stored = queue.enqueue(job({ n: 2, id: 2 }), Date.now());
    await new Promise((resolve) => setTimeout(resolve, 20));
    let closed = false;
    const closing = queue.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closed).toBe(false);
    other.exec('COMMIT');
    expect(await stored).toBe('queued');
    await closing;
    const count = other.prepare(`SELECT count(*) AS n FROM aircall_jobs`).get() as { n: number };
    expect(count.n).toBe(2);
    other.close();
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
