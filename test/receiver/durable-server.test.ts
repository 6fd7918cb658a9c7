// server.js in sqlite mode (its default), as real processes on a real queue file: kill -9 under load,
// a full queue file, a missing driver, an unusable location, shutdown with handlers running.
import type { ChildProcess } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadSqliteDriver } from '../../runtime/receiver/queue/sqlite-driver.js';
import { waitFor } from '../support/wait.js';
import { withToken } from './support/harness.js';
import { killAll, load, post, SIDE_EFFECT_REGISTRY, sideEffects, startEntry } from './support/processes.js';
import { prepareProject } from './support/project.js';

const project = await prepareProject({ overrides: { 'registry.ts': SIDE_EFFECT_REGISTRY } });
const modules = await project.load();
const callCreated = Object.values(modules.fixtures).find((body) => body['event'] === 'call.created')!;
const workDir = await mkdtemp(join(tmpdir(), 'aircall-durable-server-'));
afterAll(() => rm(workDir, { recursive: true, force: true }));
const Database = loadSqliteDriver();

const children: ChildProcess[] = [];
afterEach(() => killAll(children));

/** A distinct call.created body (its data.id is `n`). */
const bodyFor = (n: number): Record<string, unknown> => ({
  ...callCreated,
  data: { ...(callCreated['data'] as Record<string, unknown>), id: 1_000_000 + n },
});
const idOf = (body: Record<string, unknown>): string => modules.receiver.dedupeKey(body).slice(0, 16);

function startServer(env: Record<string, string>, dir = project.dir) {
  const server = startEntry(dir, 'server.js', { cwd: workDir, env, children });
  const port = server.ready.then((line) => line['port'] as number);
  port.catch(() => undefined); // tests of a refused start await `exited` instead
  return { ...server, port };
}

/** Posts bodies 0..count-1 to `port`; `onAnswer` may stop the load by returning false. */
const loadOn = (port: number, count: number, connections: number, onAnswer: (n: number, status: number) => boolean) =>
  load({ count, connections, portOf: () => port, body: (n) => withToken(bodyFor(n)), onAnswer });

function rows(file: string, sql: string): Record<string, unknown>[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

describe('server.js in sqlite mode', { timeout: 120_000 }, () => {
  it('kill -9 under load loses no acknowledged delivery: after a restart each is handled, repeats only if running', async () => {
    const queueFile = join(workDir, 'kill.db');
    const effects = join(workDir, 'kill-effects.txt');
    const env = { AIRCALL_QUEUE_FILE: queueFile, SIDE_EFFECTS_FILE: effects, DELAY_MS: '2' };
    const first = startServer(env);
    const port = await first.port;
    const acknowledged = new Set<number>();
    let answered = 0;
    await loadOn(port, 2_400, 50, (n, status) => {
      if (status === 200) acknowledged.add(n);
      if (++answered === 1_200) first.child.kill('SIGKILL'); // mid-load, requests in flight
      return status !== 0 || answered < 1_200; // stop once the server is gone
    });
    await first.exited;
    expect(acknowledged.size).toBeGreaterThanOrEqual(1_000);
    // What was running at the kill: the only deliveries allowed to run twice.
    const running = new Set(
      rows(queueFile, `SELECT substr(key, 1, 16) AS id FROM aircall_jobs WHERE state = 'running'`).map((r) => r['id']),
    );

    const second = startServer(env);
    await second.port;
    const expected = [...acknowledged].map((n) => idOf(bodyFor(n)));
    await waitFor(
      () => expected.every((id) => sideEffects(effects).has(id)),
      'every acknowledged delivery handled',
      60_000,
    );
    await waitFor(
      () =>
        rows(queueFile, `SELECT count(*) AS n FROM aircall_jobs WHERE state IN ('pending', 'running')`)[0]!['n'] === 0,
      'the queue to empty',
      30_000,
    );
    const counts = sideEffects(effects);
    const repeated = [...counts].filter(([, times]) => times > 1).map(([id]) => id);
    for (const id of repeated) expect(running.has(id), `${id} ran twice but was not running at the kill`).toBe(true);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  });

  it('AIRCALL_WORKERS=0 only acknowledges; worker.js on the same file runs the handlers', async () => {
    const queueFile = join(workDir, 'split.db');
    const effects = join(workDir, 'split-effects.txt');
    const env = { AIRCALL_QUEUE_FILE: queueFile, SIDE_EFFECTS_FILE: effects };
    const server = startServer({ ...env, AIRCALL_WORKERS: '0' });
    const port = await server.port;
    expect(server.lines().find((l) => l['msg'] === 'listening')).toMatchObject({ workers: 0 });
    const statuses: number[] = [];
    await loadOn(port, 200, 10, (_n, status) => statuses.push(status) > 0);
    expect(statuses.every((status) => status === 200)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sideEffects(effects).size).toBe(0); // nothing runs in the receiver
    const worker = startEntry(project.dir, 'worker.js', { cwd: workDir, env, children });
    await worker.ready;
    const expected = Array.from({ length: 200 }, (_, n) => idOf(bodyFor(n)));
    await waitFor(
      () => expected.every((id) => sideEffects(effects).get(id) === 1),
      'every delivery handled once',
      30_000,
    );
    // The attempt's line follows its side effect (it is written once the job is marked done).
    await waitFor(() => worker.lines().filter((l) => l['outcome'] === 'handled').length === 200, '200 handled lines');
    for (const proc of [worker, server]) proc.child.kill('SIGTERM');
    for (const proc of [worker, server]) expect((await proc.exited).code).toBe(0);
  });

  it('answers 503 once the queue file is full, and every 200 is a stored row', async () => {
    const queueFile = join(workDir, 'full.db');
    const server = startServer({ AIRCALL_QUEUE_FILE: queueFile, AIRCALL_QUEUE_MAX_MB: '1', DELAY_MS: '60000' });
    const port = await server.port;
    const statuses = new Map<number, number>();
    let refused = 0;
    await loadOn(port, 3_000, 10, (n, status) => {
      statuses.set(n, status);
      if (status === 503) refused++;
      return refused < 20;
    });
    expect(refused).toBeGreaterThanOrEqual(20);
    const stored = new Set(rows(queueFile, 'SELECT substr(key, 1, 16) AS id FROM aircall_jobs').map((r) => r['id']));
    for (const [n, status] of statuses) {
      if (status === 200) expect(stored.has(idOf(bodyFor(n)))).toBe(true);
      if (status === 503) expect(stored.has(idOf(bodyFor(n)))).toBe(false);
    }
    expect(server.lines().some((l) => l['outcome'] === 'failed' && l['reason'] === 'queue')).toBe(true);
  });

  it('a failed fsync of the queue: 503 from then on, exit 1 for the supervisor; the next start handles every 200', async () => {
    const queueFile = join(workDir, 'fsync-fails.db');
    const effects = join(workDir, 'fsync-fails-effects.txt');
    const env = { AIRCALL_QUEUE_FILE: queueFile, SIDE_EFFECTS_FILE: effects };
    const preload = fileURLToPath(new URL('./support/failing-fsync.cjs', import.meta.url));
    const server = startServer({ ...env, NODE_OPTIONS: `--require ${preload}`, FAIL_FSYNC_AFTER: '30' });
    const port = await server.port;
    const agent = new Agent({ keepAlive: true });
    const acknowledged: number[] = [];
    let refused = 0;
    for (let n = 0; n < 200 && refused === 0; n++) {
      const status = await post(port, withToken(bodyFor(20_000 + n)), agent);
      if (status === 200) acknowledged.push(n);
      else if (status === 503) refused++;
      else throw new Error(`delivery ${n}: status ${status}`);
    }
    agent.destroy();
    expect(refused).toBe(1);
    expect(acknowledged.length).toBeGreaterThan(0);
    // Nothing more can be made durable until the file is opened again: the server stops and exits 1.
    const stillRunning = new Promise((resolve) => setTimeout(() => resolve('still running after 15 s'), 15_000));
    expect(await Promise.race([server.exited, stillRunning])).toEqual({ code: 1, signal: null });
    const failed = server.lines().find((l) => l['msg'] === 'queue failed, shutting down');
    expect(failed).toMatchObject({ level: 'error' });
    expect(JSON.stringify(failed)).toMatch(/could not be synced to disk.*EIO/);
    expect(server.lines().at(-1)).toMatchObject({ msg: 'stopped' });

    const again = startServer(env);
    await again.port;
    const expected = acknowledged.map((n) => idOf(bodyFor(20_000 + n)));
    await waitFor(
      () => expected.every((id) => sideEffects(effects).has(id)),
      'every acknowledged delivery handled',
      30_000,
    );
    again.child.kill('SIGTERM');
    expect((await again.exited).code).toBe(0);
  });

  it('SIGTERM lets running handlers finish, leaves the rest pending, exits 0; the next start runs them', async () => {
    const queueFile = join(workDir, 'shutdown.db');
    const effects = join(workDir, 'shutdown-effects.txt');
    const env = {
      AIRCALL_QUEUE_FILE: queueFile,
      SIDE_EFFECTS_FILE: effects,
      DELAY_MS: '400',
      AIRCALL_CONCURRENCY: '2',
    };
    const server = startServer(env);
    const port = await server.port;
    const agent = new Agent({ keepAlive: false });
    const statuses = await Promise.all([0, 1, 2, 3, 4].map((n) => post(port, withToken(bodyFor(10_000 + n)), agent)));
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    await waitFor(
      () => rows(queueFile, `SELECT count(*) AS n FROM aircall_jobs WHERE state = 'running'`)[0]!['n'] === 2,
      'two handlers running',
    );
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
    expect([...sideEffects(effects).values()]).toEqual([1, 1]); // the two running ones finished
    const states = rows(queueFile, 'SELECT state, count(*) AS n FROM aircall_jobs GROUP BY state ORDER BY state');
    expect(states).toEqual([
      { state: 'done', n: 2 },
      { state: 'pending', n: 3 },
    ]);
    const again = startServer(env);
    await again.port;
    await waitFor(() => sideEffects(effects).size === 5, 'the rest handled after the restart');
    again.child.kill('SIGTERM');
    expect((await again.exited).code).toBe(0);
  });

  it('SIGTERM keeps to AIRCALL_SHUTDOWN_TIMEOUT_MS as one bound for stuck requests and stuck handlers together', async () => {
    const queueFile = join(workDir, 'bound.db');
    const timeoutMs = 2_000;
    const env = {
      AIRCALL_QUEUE_FILE: queueFile,
      SIDE_EFFECTS_FILE: join(workDir, 'bound-effects.txt'),
      DELAY_MS: '60000', // a handler that ignores its signal
      AIRCALL_SHUTDOWN_TIMEOUT_MS: String(timeoutMs),
    };
    const server = startServer(env);
    const port = await server.port;
    expect(await post(port, withToken(bodyFor(20_000)), new Agent({ keepAlive: false }))).toBe(200);
    await waitFor(
      () => rows(queueFile, `SELECT count(*) AS n FROM aircall_jobs WHERE state = 'running'`)[0]!['n'] === 1,
      'the handler running',
    );
    // A request whose body never finishes arriving: in flight until the bound.
    const stalled = connect(port, '127.0.0.1');
    stalled.on('error', () => undefined);
    await new Promise((resolve) => stalled.once('connect', resolve));
    stalled.write(
      'POST /aircall/webhook HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stoppedAt = performance.now();
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
    const took = performance.now() - stoppedAt;
    stalled.destroy();
    // Before, the requests had the whole bound and then the handlers had it again (plus grace): over 4.5 s.
    // The bound is 2 s plus about one of grace; the rest of the margin is for a loaded machine.
    expect(took).toBeGreaterThanOrEqual(timeoutMs);
    expect(took).toBeLessThan(timeoutMs + 2_000);
    // The handler cut off is given back, uncounted, for the next start.
    expect(rows(queueFile, 'SELECT state, attempts FROM aircall_jobs')).toEqual([{ state: 'pending', attempts: 0 }]);
  });

  it('exits 2 with the install command and the inline alternative when better-sqlite3 is missing', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'aircall-no-sqlite-'));
    try {
      await cp(project.dir, elsewhere, { recursive: true });
      await writeFile(join(elsewhere, 'package.json'), '{"type":"module"}\n');
      const server = startServer({}, elsewhere);
      const { code } = await server.exited;
      expect(code).toBe(2);
      expect(server.stderr()).toMatch(/npm install better-sqlite3@12/);
      expect(server.stderr()).toMatch(/AIRCALL_QUEUE=inline/);
      const inline = startServer({ AIRCALL_QUEUE: 'inline' }, elsewhere);
      expect(await inline.port).toBeGreaterThan(0); // the inline mode needs nothing
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('exits 2 naming AIRCALL_QUEUE_FILE when the location cannot hold the file', async () => {
    const server = startServer({ AIRCALL_QUEUE_FILE: '/proc/aircall/queue.db' });
    expect((await server.exited).code).toBe(2);
    expect(server.stderr()).toMatch(/cannot open the queue file \/proc\/aircall\/queue\.db \(AIRCALL_QUEUE_FILE\)/);
  });
});
