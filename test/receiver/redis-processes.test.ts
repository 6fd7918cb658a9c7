// The redis mode as real processes on a real Redis: receivers that only acknowledge (AIRCALL_WORKERS=0) and
// separate worker.js processes under load, a worker killed with kill -9, duplicates posted to two receivers
// at once, a private Redis stopped mid-load, and the starts that must be refused. Each test has its own key
// prefix and deletes its keys; the shared Redis on 6379 is never stopped or reconfigured.
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import type { RedisClient } from '../../runtime/receiver/queue/redis-driver.js';
import { createRedisQueue } from '../../runtime/receiver/queue/redis.js';
import { deletePrefix, REDIS_URL, startPrivateRedis, uniquePrefix } from '../queue/support/redis-fixture.js';
import { waitFor } from '../support/wait.js';
import { withToken } from './support/harness.js';
import { killAll, load, post, SIDE_EFFECT_REGISTRY, sideEffects, startEntry } from './support/processes.js';
import { prepareProject } from './support/project.js';

const project = await prepareProject({ overrides: { 'registry.ts': SIDE_EFFECT_REGISTRY } });
const modules = await project.load();
const callCreated = Object.values(modules.fixtures).find((body) => body['event'] === 'call.created')!;
const workDir = await mkdtemp(join(tmpdir(), 'aircall-redis-processes-'));

const children: ChildProcess[] = [];
/** Prefixes and Redis URLs whose keys a test left: deleted after it. */
const toClean: { url: string; prefix: string }[] = [];
afterEach(async () => {
  killAll(children);
  for (const { url, prefix } of toClean.splice(0)) {
    const client = new Redis(url, { maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    await deletePrefix(client as unknown as RedisClient, prefix).catch(() => undefined);
    await client.quit().catch(() => client.disconnect());
  }
});
afterAll(() => rm(workDir, { recursive: true, force: true }));

/** A distinct call.created body (its data.id is `n`): each its own object, so order does not serialize them. */
const bodyFor = (n: number): Record<string, unknown> => ({
  ...callCreated,
  data: { ...(callCreated['data'] as Record<string, unknown>), id: 2_000_000 + n },
});
const idOf = (body: Record<string, unknown>): string => modules.receiver.dedupeKey(body).slice(0, 16);

function start(script: 'server.js' | 'worker.js', env: Record<string, string>, dir = project.dir) {
  return startEntry(dir, script, { cwd: workDir, env: { AIRCALL_QUEUE: 'redis', ...env }, children });
}
/** Polls an asynchronous `probe` until it is true; fails naming `what`. */
async function until(probe: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const portOf = async (server: ReturnType<typeof start>): Promise<number> => (await server.ready)['port'] as number;

/** Pending and running jobs under `prefix`, through the backend itself. */
async function unfinished(url: string, prefix: string): Promise<number> {
  const queue = await createRedisQueue({ url, prefix });
  try {
    const { counts } = await queue.status(Date.now());
    return counts.pending + counts.running;
  } finally {
    await queue.close();
  }
}

/** Ids (16 hex) of the jobs BullMQ holds active whose lease is held by process `pid`. */
async function runningIn(client: Redis, prefix: string, pid: number): Promise<Set<string>> {
  const active = await client.lrange(`${prefix}:deliveries:active`, 0, -1);
  const ids = new Set<string>();
  for (const key of active) {
    const leasedBy = await client.hget(`${prefix}:deliveries:x:meta:${key}`, 'pid');
    if (leasedBy === String(pid)) ids.add(key.slice(0, 16));
  }
  return ids;
}

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('redis mode with separate worker processes', { timeout: 240_000 }, () => {
  it('two receivers, two workers, kill -9 of a worker under load: every acknowledged delivery handled, repeats only if running there', async () => {
    const prefix = uniquePrefix();
    toClean.push({ url: REDIS_URL, prefix });
    const effects = join(workDir, `${prefix}-effects.txt`);
    // Once this file exists, the victim's handlers stop after their side effect and never return (see
    // SIDE_EFFECT_REGISTRY): when it is killed, it surely holds jobs it has run but not settled. With all its
    // VICTIM_SLOTS held it claims no more, so what it holds stays put while the test reads it.
    const hold = join(workDir, `${prefix}-hold.txt`);
    const VICTIM_SLOTS = 4;
    const env = { AIRCALL_REDIS_URL: REDIS_URL, AIRCALL_REDIS_PREFIX: prefix, SIDE_EFFECTS_FILE: effects };
    const receivers = [
      start('server.js', { ...env, AIRCALL_WORKERS: '0' }),
      start('server.js', { ...env, AIRCALL_WORKERS: '0' }),
    ];
    const workers = [
      start('worker.js', { ...env, HOLD_FILE: hold, AIRCALL_CONCURRENCY: String(VICTIM_SLOTS) }),
      start('worker.js', env),
    ];
    const ports = await Promise.all(receivers.map(portOf));
    await Promise.all(workers.map((worker) => worker.ready));
    // The shared Redis keeps nothing on disk: the receivers say so at start.
    expect(receivers[0]!.lines().some((l) => l['level'] === 'warn' && /appendonly no/.test(String(l['msg'])))).toBe(
      true,
    );

    const client = new Redis(REDIS_URL);
    let killedPid = 0;
    let runningAtKill = new Set<string>();
    let heldAtKill = new Set<string>();
    let killing: Promise<void> | undefined;
    const acknowledged = new Set<number>();
    const startedAt = Date.now();
    let answered = 0;
    await load({
      count: 5_000,
      connections: 50,
      portOf: (n) => ports[n % 2]!,
      body: (n) => withToken(bodyFor(n)),
      onAnswer: (n, status) => {
        if (status === 200) acknowledged.add(n);
        expect([200, 503]).toContain(status);
        if (++answered === 2_000) {
          const victim = workers[0]!.child;
          killedPid = victim.pid!;
          killing = (async () => {
            // Kill it once every slot of it holds a job mid-run (3000 deliveries are still to come). What it
            // holds is read just before the kill (and again once it is dead, for good measure: the surviving
            // worker may recover its jobs, same host and dead pid, at any time after the kill).
            await writeFile(hold, '');
            await waitFor(() => sideEffects(hold).size === VICTIM_SLOTS, 'every slot of the victim held', 30_000);
            const before = await runningIn(client, prefix, killedPid);
            victim.kill('SIGKILL');
            await workers[0]!.exited;
            heldAtKill = new Set(sideEffects(hold).keys());
            runningAtKill = new Set([...before, ...(await runningIn(client, prefix, killedPid))]);
          })();
        }
        return true;
      },
    });
    const loadMs = Date.now() - startedAt;
    await killing;
    expect(heldAtKill.size).toBe(VICTIM_SLOTS);
    for (const id of heldAtKill) expect(runningAtKill.has(id), `${id} was held but not leased`).toBe(true);
    expect(acknowledged.size).toBe(5_000); // Redis was up all along: every delivery was stored
    const restarted = start('worker.js', env); // its start recovers the leases of the killed process
    await restarted.ready;

    const expected = [...acknowledged].map((n) => idOf(bodyFor(n)));
    // The jobs cut off in the killed worker have their side effect already: wait for them to run again too.
    await waitFor(
      () => {
        const counts = sideEffects(effects);
        return expected.every((id) => counts.has(id)) && [...heldAtKill].every((id) => counts.get(id)! > 1);
      },
      'every acknowledged delivery handled, the cut-off ones again',
      120_000,
      100,
    );
    await until(async () => (await unfinished(REDIS_URL, prefix)) === 0, 'the queue to empty', 10_000);
    const counts = sideEffects(effects);
    const repeated = [...counts].filter(([, times]) => times > 1).map(([id]) => id);
    for (const id of repeated)
      expect(runningAtKill.has(id), `${id} ran twice but was not running in the killed worker`).toBe(true);
    // The handlers the kill cut off after their side effect ran again, once: acknowledged jobs are at least once.
    for (const id of heldAtKill) expect(counts.get(id), `${id} was cut off in the killed worker`).toBe(2);
    expect(counts.size).toBe(5_000);
    console.info(
      `redis e2e: 5000 deliveries over 2 receivers at 50 connections in ${loadMs} ms; ` +
        `${runningAtKill.size} running in the killed worker (${heldAtKill.size} held mid-run), ${repeated.length} ran twice`,
    );

    // The same body posted to both receivers at once, 10 times each: one is queued, one handler runs.
    const twin = bodyFor(9_999_999);
    const agent = new Agent({ keepAlive: false });
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(ports[i % 2]!, withToken(twin), agent)),
    );
    expect(statuses).toEqual(Array(20).fill(200));
    const twinId = idOf(twin);
    await waitFor(() => sideEffects(effects).has(twinId), 'the duplicated delivery handled', 30_000);
    await until(async () => (await unfinished(REDIS_URL, prefix)) === 0, 'the queue to empty', 10_000);
    const queuedLines = receivers
      .flatMap((r) => r.lines())
      .filter((l) => l['id'] === twinId && l['outcome'] === 'queued');
    expect(queuedLines).toHaveLength(1);
    expect(sideEffects(effects).get(twinId)).toBe(1);

    // Graceful stops: exit 0.
    for (const proc of [...receivers, workers[1]!, restarted]) proc.child.kill('SIGTERM');
    for (const proc of [...receivers, workers[1]!, restarted]) expect((await proc.exited).code).toBe(0);
    await client.quit();
  });

  it('a private Redis stopped mid-load: 503 (never 2xx) while it is down, 2xx once it is back, nothing acknowledged lost', async () => {
    const dir = await mkdtemp(join(workDir, 'redis-'));
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const startRedis = () => {
      const child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'yes',
          '--appendfsync',
          'always',
          '--dir',
          dir,
        ],
        { stdio: 'ignore' },
      );
      children.push(child);
      return child;
    };
    const redisUp = async () => {
      const client = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
      client.on('error', () => undefined);
      try {
        for (let i = 0; i < 200; i++) {
          if ((await client.ping().catch(() => '')) === 'PONG') return;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        throw new Error(`redis-server on ${port} did not start`);
      } finally {
        client.disconnect();
      }
    };
    let redis = startRedis();
    await redisUp();
    const prefix = uniquePrefix();
    toClean.push({ url, prefix });
    const effects = join(workDir, `${prefix}-effects.txt`);
    const receiver = start('server.js', {
      AIRCALL_REDIS_URL: url,
      AIRCALL_REDIS_PREFIX: prefix,
      SIDE_EFFECTS_FILE: effects,
    });
    const receiverPort = await portOf(receiver);
    // appendonly yes, appendfsync always, noeviction: nothing to warn about.
    expect(receiver.lines().filter((l) => l['level'] === 'warn')).toEqual([]);

    // 'restarting': the new redis-server may already answer while we wait for its PING; not checked.
    type Phase = 'up' | 'down' | 'restarting' | 'back';
    let phase: Phase = 'up';
    const sentIn = new Map<number, Phase>();
    const answers: { n: number; status: number; sent: Phase; answered: Phase }[] = [];
    let backOk = 0;
    let downAnswered = 0; // sent and answered while Redis was down
    let stopping: Promise<unknown> | undefined;
    await load({
      count: 1_000_000,
      connections: 20,
      portOf: () => receiverPort,
      body: (n) => {
        sentIn.set(n, phase);
        return withToken(bodyFor(n));
      },
      onAnswer: (n, status) => {
        answers.push({ n, status, sent: sentIn.get(n)!, answered: phase });
        if (sentIn.get(n) === 'down' && phase === 'down') downAnswered++;
        if (answers.length === 200 && phase === 'up') {
          redis.kill('SIGKILL'); // appendfsync always: what Redis acknowledged is on disk already
          stopping = new Promise((resolve) => redis.once('exit', resolve)).then(async () => {
            phase = 'down';
            // Requests keep coming while it is down: some are sent and answered then.
            await waitFor(() => downAnswered >= 50, 'answers while Redis is down', 20_000);
            phase = 'restarting';
            redis = startRedis();
            await redisUp();
            phase = 'back';
          });
        }
        if (phase === 'back' && status === 200) backOk++;
        return backOk < 100;
      },
    });
    await stopping;
    // A request sent and answered while Redis was down could not be stored: it must be a 503.
    const whileDown = answers.filter((a) => a.sent === 'down' && a.answered === 'down');
    expect(whileDown.length).toBeGreaterThan(0);
    expect(new Set(whileDown.map((a) => a.status))).toEqual(new Set([503]));
    expect(backOk).toBeGreaterThanOrEqual(100); // connections in flight when the load stopped add a few

    // The receiver's own workers handle every acknowledged delivery once Redis is back, the claims the outage
    // cut off included: taken from BullMQ but not leased when Redis went away, they are locked for a whole
    // lease (a minute) under the receiver's token, and the receiver takes them back itself on reconnect. The
    // wait is shorter than that lock: a cut-off claim left to its lock would time out here.
    const acknowledged = answers.filter((a) => a.status === 200).map((a) => idOf(bodyFor(a.n)));
    const client = new Redis(url);
    let waiting: string[] = [];
    await until(
      async () => {
        const handled = sideEffects(effects);
        waiting = acknowledged.filter((id) => !handled.has(id));
        return waiting.length === 0;
      },
      'every acknowledged delivery handled',
      40_000,
    ).catch(async (error: Error) => {
      // Say where the deliveries still waiting are: the BullMQ set holding each, its lease and its lock.
      const where = await Promise.all(
        waiting.slice(0, 5).map(async (id) => {
          // The job's own hash (its id is the full dedupe key); the meta hash exists only from its first claim.
          const [job] = (await client.keys(`${prefix}:deliveries:${id}*`)).filter((k) => /:[0-9a-f]{64}$/.test(k));
          if (job === undefined) return `${id}: not stored`;
          const key = job.slice(job.lastIndexOf(':') + 1);
          const meta = `${prefix}:deliveries:x:meta:${key}`;
          const sets: string[] = [];
          for (const list of ['wait', 'active', 'paused'])
            if ((await client.lpos(`${prefix}:deliveries:${list}`, key)) !== null) sets.push(list);
          for (const zset of ['delayed', 'prioritized', 'completed', 'failed'])
            if ((await client.zscore(`${prefix}:deliveries:${zset}`, key)) !== null) sets.push(zset);
          const lock = await client.pttl(`${prefix}:deliveries:${key}:lock`);
          return `${id}: in ${sets.join(', ') || 'none'}, ${JSON.stringify(await client.hgetall(meta))}, lock ${lock} ms`;
        }),
      );
      throw new Error(`${error.message}: ${waiting.length} waiting, e.g. ${where.join('; ')}`);
    });
    console.info(
      `redis down e2e: ${answers.length} answers, ${acknowledged.length} acknowledged, ` +
        `${whileDown.filter((a) => a.status === 503).length} 503 while down`,
    );
    receiver.child.kill('SIGTERM');
    expect((await receiver.exited).code).toBe(0);
    await deletePrefix(client as unknown as RedisClient, prefix);
    await client.quit();
    toClean.splice(0);
    redis.kill('SIGTERM');
  });
});

describe('redis mode: SIGTERM under load', { timeout: 120_000 }, () => {
  it('an acknowledge-only receiver logs every delivery it stored, answers those whose client waits, then exits', async () => {
    const prefix = uniquePrefix();
    toClean.push({ url: REDIS_URL, prefix });
    const receiver = start('server.js', {
      AIRCALL_REDIS_URL: REDIS_URL,
      AIRCALL_REDIS_PREFIX: prefix,
      AIRCALL_WORKERS: '0',
    });
    const port = await portOf(receiver);
    const answers = new Map<number, number>();
    // Clients that go away with their requests in flight (as a load generator does when it stops), just
    // before the SIGTERM: their connections no longer hold the server open, but their stores still run.
    const leaving = new Agent({ keepAlive: true, maxSockets: 100 });
    const abandoned = new Set<string>();
    let stopping = false;
    await load({
      count: 20_000,
      connections: 32,
      portOf: () => port,
      body: (n) => withToken(bodyFor(n)),
      onAnswer: (n, status) => {
        answers.set(n, status);
        if (answers.size === 300 && !stopping) {
          stopping = true;
          for (let n = 100_000; n < 100_100; n++) {
            abandoned.add(idOf(bodyFor(n)));
            void post(port, withToken(bodyFor(n)), leaving);
          }
          // Once the first of them is logged, the others are being stored.
          void waitFor(
            () => receiver.lines().some((line) => abandoned.has(String(line['id']))),
            'an abandoned delivery to be stored',
            10_000,
            1,
          ).then(() => {
            leaving.destroy();
            receiver.child.kill('SIGTERM');
          });
        }
        return status !== 0;
      },
    });
    expect((await receiver.exited).code).toBe(0);
    const client = new Redis(REDIS_URL);
    // Stored: held in an inbox batch (a BullMQ job of the inbox queue, its data listing the deliveries),
    // which is where an acknowledge-only receiver leaves them; or, once spread, a job of its own (a hash
    // named by the 64-hex dedupe key).
    const stored = new Set(
      (await client.keys(`${prefix}:deliveries:*`))
        .filter((name) => /:deliveries:[0-9a-f]{64}$/.test(name))
        .map((name) => name.slice(-64).slice(0, 16)),
    );
    let batches = 0;
    for (const name of await client.keys(`${prefix}:inbox:*`)) {
      if (!/:inbox:[0-9a-f-]{36}$/.test(name)) continue;
      batches++;
      const data = JSON.parse((await client.hget(name, 'data')) ?? '{}') as { deliveries?: { key: string }[] };
      for (const delivery of data.deliveries ?? []) stored.add(delivery.key.slice(0, 16));
    }
    await client.quit();
    expect(batches).toBeGreaterThan(0);
    const answered = new Set([...answers].filter(([, status]) => status === 200).map(([n]) => idOf(bodyFor(n))));
    const logged = new Set(
      receiver
        .lines()
        .filter((line) => line['outcome'] === 'queued')
        .map((line) => line['id']),
    );
    expect(stored.size).toBeGreaterThan(300);
    // Stored means logged, and answered 200 unless its client went away first.
    expect([...stored].filter((id) => !logged.has(id))).toEqual([]);
    expect([...stored].filter((id) => !answered.has(id) && !abandoned.has(id))).toEqual([]);
    expect([...answered].filter((id) => !stored.has(id))).toEqual([]);
  });
});

describe('worker.js', { timeout: 120_000 }, () => {
  it('SIGTERM lets running handlers finish, leaves the rest pending, exits 0; attempts are logged as the server logs them', async () => {
    const prefix = uniquePrefix();
    toClean.push({ url: REDIS_URL, prefix });
    const effects = join(workDir, `${prefix}-effects.txt`);
    const env = { AIRCALL_REDIS_URL: REDIS_URL, AIRCALL_REDIS_PREFIX: prefix, SIDE_EFFECTS_FILE: effects };
    const receiver = start('server.js', { ...env, AIRCALL_WORKERS: '0' });
    const port = await portOf(receiver);
    const worker = start('worker.js', { ...env, DELAY_MS: '1500', AIRCALL_CONCURRENCY: '2' });
    await worker.ready;
    const agent = new Agent({ keepAlive: false });
    const bodies = [0, 1, 2, 3, 4].map((n) => bodyFor(50_000 + n));
    expect(await Promise.all(bodies.map((body) => post(port, withToken(body), agent)))).toEqual([
      200, 200, 200, 200, 200,
    ]);
    const status = async () => {
      const queue = await createRedisQueue({ url: REDIS_URL, prefix });
      try {
        return (await queue.status(Date.now())).counts;
      } finally {
        await queue.close();
      }
    };
    await until(async () => (await status()).running === 2, 'two handlers running', 20_000);
    worker.child.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
    expect([...sideEffects(effects).values()]).toEqual([1, 1]); // the two running ones finished
    expect(await status()).toMatchObject({ running: 0, done: 2, pending: 3 });
    const handled = worker.lines().filter((l) => l['outcome'] === 'handled');
    expect(handled).toHaveLength(2);
    expect(handled[0]).toMatchObject({ event: 'call.created', attempt: 1 });
    expect(bodies.map(idOf)).toContain(handled[0]!['id']);
    expect(typeof handled[0]!['ms']).toBe('number');

    const again = start('worker.js', env);
    await waitFor(() => sideEffects(effects).size === 5, 'the rest handled by the next worker', 30_000);
    expect([...sideEffects(effects).values()]).toEqual([1, 1, 1, 1, 1]);
    for (const proc of [again, receiver]) proc.child.kill('SIGTERM');
    for (const proc of [again, receiver]) expect((await proc.exited).code).toBe(0);
  });
});

describe('redis mode: SIGTERM with Redis not answering', { timeout: 60_000 }, () => {
  it('worker.js exits anyway once past the shutdown timeout and its grace: exit 1, `shutdown timed out`', async () => {
    const redis = await startPrivateRedis();
    try {
      const prefix = uniquePrefix();
      const worker = start('worker.js', {
        AIRCALL_REDIS_URL: redis.url,
        AIRCALL_REDIS_PREFIX: prefix,
        AIRCALL_SHUTDOWN_TIMEOUT_MS: '500',
      });
      await worker.ready;
      // Frozen, not killed: with a killed server, closing sometimes ended at once (exit 0, seen once in a
      // CI run), as ioredis may count a QUIT done when its socket closes. A frozen one never answers, so
      // closing the worker's connection (no command timeout) cannot end and the watchdog must.
      redis.freeze();
      const stoppedAt = Date.now();
      worker.child.kill('SIGTERM');
      const exit = await worker.exited;
      expect(exit.code).toBe(1);
      expect(Date.now() - stoppedAt).toBeLessThan(30_000);
      expect(worker.lines().map((line) => line['msg'])).toContain('shutdown timed out');
    } finally {
      await redis.kill();
    }
  });
});

describe('redis mode: refused starts', { timeout: 60_000 }, () => {
  it('exits 2 naming the URL when Redis cannot be reached', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    for (const script of ['server.js', 'worker.js'] as const) {
      const proc = start(script, { AIRCALL_REDIS_URL: url });
      expect((await proc.exited).code).toBe(2);
      expect(proc.stderr()).toContain(`cannot reach Redis at ${url} (AIRCALL_REDIS_URL)`);
    }
  });

  it('exits 2 with the install command and the sqlite and inline alternatives when bullmq is missing', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'aircall-no-bullmq-'));
    try {
      await cp(project.dir, elsewhere, { recursive: true });
      await writeFile(join(elsewhere, 'package.json'), '{"type":"module"}\n');
      for (const script of ['server.js', 'worker.js'] as const) {
        const proc = start(script, {}, elsewhere);
        expect((await proc.exited).code).toBe(2);
        expect(proc.stderr()).toMatch(/npm install bullmq ioredis/);
        expect(proc.stderr()).toMatch(/AIRCALL_QUEUE=sqlite/);
        expect(proc.stderr()).toMatch(/AIRCALL_QUEUE=inline/);
      }
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('worker.js refuses the inline mode: there is no queue to work on', async () => {
    const proc = start('worker.js', { AIRCALL_QUEUE: 'inline' });
    expect((await proc.exited).code).toBe(2);
    expect(proc.stderr()).toMatch(/AIRCALL_QUEUE=inline has no queue to work on/);
  });
});
