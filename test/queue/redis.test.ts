// The Redis (BullMQ) backend: the shared contract suite, plus what is Redis's own: several connections
// (processes) on one queue, Redis down at enqueue, the durability warnings, a missing driver.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, connect, createServer as createNetServer, type Socket } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis as IORedis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { QUEUE_DEFAULTS, type QueueBackend } from '../../runtime/receiver/queue/contract.js';
import {
  createRedisQueue,
  type RedisQueueBackend,
  redisDurabilityWarnings,
} from '../../runtime/receiver/queue/redis.js';
import {
  loadRedisDriver,
  type RedisDriver,
  RedisDriverMissingError,
} from '../../runtime/receiver/queue/redis-driver.js';
import { createWorkerPool } from '../../runtime/receiver/queue/worker.js';
import { processSpace } from '../../runtime/receiver/queue/process-space.js';
import { waitFor } from '../support/wait.js';
import { describeQueueContract, job } from './support/contract-suite.js';
import {
  deletePrefix,
  type PrivateRedis,
  REDIS_URL,
  redisFactory,
  startPrivateRedis,
  uniquePrefix,
} from './support/redis-fixture.js';

describeQueueContract('redis', redisFactory);

const { Redis } = loadRedisDriver();
const admin = new Redis(REDIS_URL);
/** The same connection with all of ioredis's commands (the driver's type names only those the backend uses). */
const probe = admin as unknown as IORedis;
const prefixes: string[] = [];
const handles: QueueBackend[] = [];
const servers: PrivateRedis[] = [];

/**
 * A backend on the shared Redis under `prefix` (a fresh one by default), closed and cleaned after the test;
 * `driver` swaps in hooked BullMQ classes.
 */
async function open(
  prefix = uniquePrefix(),
  url = REDIS_URL,
  driver?: RedisDriver,
  options: { dedupeWindowMs?: number } = {},
): Promise<RedisQueueBackend> {
  if (!prefixes.includes(prefix)) prefixes.push(prefix);
  const backend = await createRedisQueue({ url, prefix, commandTimeoutMs: 1_000, driver, ...options });
  handles.push(backend);
  return backend;
}

/** The real driver, but every job its Queue's `getJobs` returns goes through `hook` first (to wrap its methods). */
function hookJobs(
  hook: (job: NonNullable<Awaited<ReturnType<InstanceType<RedisDriver['Queue']>['getJobs']>>[number]>) => void,
): RedisDriver {
  const real = loadRedisDriver();
  class HookedQueue extends (real.Queue as unknown as new (
    ...args: ConstructorParameters<typeof real.Queue>
  ) => InstanceType<typeof real.Queue>) {
    override async getJobs(...args: Parameters<InstanceType<typeof real.Queue>['getJobs']>) {
      const jobs = await super.getJobs(...args);
      for (const found of jobs) if (found !== undefined) hook(found);
      return jobs;
    }
  }
  return { ...real, Queue: HookedQueue as unknown as typeof real.Queue };
}

/**
 * The real driver, but `race` runs (once) just before this handle first removes a finished job, or just
 * after (`when`), whichever way the backend removes it: a job's own `remove`, or a `clean` of BullMQ's
 * finished sets.
 */
function raceRemoving(
  race: () => Promise<void>,
  when: 'before' | 'after' = 'before',
): { driver: RedisDriver; ran: () => boolean } {
  let pending: (() => Promise<void>) | undefined = race;
  const first = async (): Promise<void> => {
    const run = pending;
    pending = undefined;
    await run?.();
  };
  const around = async <T>(remove: () => Promise<T>): Promise<T> => {
    if (when === 'before') await first();
    const result = await remove();
    if (when === 'after') await first();
    return result;
  };
  const hooked = hookJobs((found) => {
    const remove = found.remove.bind(found);
    found.remove = () => around(remove);
  });
  const HookedQueue = hooked.Queue as unknown as new (
    ...args: ConstructorParameters<typeof hooked.Queue>
  ) => InstanceType<typeof hooked.Queue>;
  class CleaningQueue extends HookedQueue {
    override clean(...args: Parameters<InstanceType<typeof hooked.Queue>['clean']>) {
      return around(() => super.clean(...args));
    }
  }
  return {
    driver: { ...hooked, Queue: CleaningQueue as unknown as typeof hooked.Queue },
    ran: () => pending === undefined,
  };
}

/**
 * A delivery handled on a backend with a short dedupe window, and the window then past (its marker and meta
 * expire with it, counted from its receipt): the same body again, `again`, is a new delivery.
 */
async function handledAndForgotten(prefix: string, id: number, windowMs: number) {
  const receiver = await open(prefix, REDIS_URL, undefined, { dedupeWindowMs: windowMs });
  const first = { ...job({ id }), receivedAt: Date.now() };
  expect(await receiver.enqueue(first, Date.now())).toBe('queued');
  await claimWithin(receiver, 5_000, 'the first delivery');
  await receiver.complete(first.key, Date.now());
  await new Promise((resolve) => setTimeout(resolve, windowMs + 100));
  return { receiver, again: { ...first, receivedAt: Date.now() } };
}

/** Claims one job, again and again (a failing claim counts as finding none), until one comes; fails after `timeoutMs`. */
async function claimWithin(backend: QueueBackend, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const claimed = await backend.claim(1, Date.now()).catch(() => []);
    if (claimed.length > 0) return claimed;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A proxy in front of Redis that, once armed with `cutAfter(text)`, lets the first command naming `text` run
 * in Redis but drops the connection before its reply: the command ran, its caller never heard. Armed with
 * `holdAfter(text)`, it holds Redis's replies from that command on until `release()`: they come too late.
 * With `delayMs`, every chunk to Redis waits that long first (a distant Redis: each round trip costs it).
 */
async function cuttingProxy(delayMs = 0) {
  const target = new URL(REDIS_URL);
  let cutFor: string | undefined;
  let holdFor: string | undefined;
  let holding = false;
  const held: [Socket, Buffer][] = [];
  let cuts = 0;
  const counted = new Map<string, number>();
  const sockets = new Set<Socket>();
  const proxy = createNetServer((client) => {
    const upstream = connect(Number(target.port || 6379), target.hostname);
    sockets.add(client).add(upstream);
    let cutting = false;
    client.on('data', (chunk) => {
      for (const [text, n] of counted) if (chunk.includes(text)) counted.set(text, n + 1);
      if (cutFor !== undefined && chunk.includes(cutFor)) {
        cutFor = undefined;
        cutting = true;
      }
      if (holdFor !== undefined && chunk.includes(holdFor)) {
        holdFor = undefined;
        holding = true;
      }
      if (delayMs === 0) upstream.write(chunk);
      else setTimeout(() => upstream.write(chunk), delayMs);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (holding) {
        held.push([client, chunk]);
        return;
      }
      if (!cutting) {
        client.write(chunk);
        return;
      }
      cuts++;
      client.destroy();
      upstream.destroy();
    });
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    cutAfter(text: string): void {
      cutFor = text;
    },
    holdAfter(text: string): void {
      holdFor = text;
    },
    /** Sends the held replies on, late, and holds no more. */
    release(): void {
      holding = false;
      for (const [client, chunk] of held.splice(0)) if (!client.destroyed) client.write(chunk);
    },
    cuts: () => cuts,
    /** From now on, counts the chunks sent to Redis that contain `text`; returns the count so far. */
    count(text: string): number {
      if (!counted.has(text)) counted.set(text, 0);
      return counted.get(text) ?? 0;
    },
    async close(): Promise<void> {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}

afterEach(async () => {
  for (const handle of handles.splice(0)) await handle.close().catch(() => undefined);
  for (const server of servers.splice(0)) await server.kill();
  for (const prefix of prefixes.splice(0)) await deletePrefix(admin, prefix);
});
afterAll(() => admin.quit());

describe('redis backend', () => {
  it('two connections on one queue: concurrent identical enqueues store one job', async () => {
    const prefix = uniquePrefix();
    const [a, b] = [await open(prefix), await open(prefix)];
    const same = job({ n: 42 });
    const now = Date.now();
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).enqueue(same, now)));
    expect(outcomes.filter((o) => o === 'queued')).toHaveLength(1);
    expect((await b.status(now)).counts.pending).toBe(1);
  });

  it('two connections claiming: never two jobs of one object at once, oldest first', async () => {
    const prefix = uniquePrefix();
    const [a, b] = [await open(prefix), await open(prefix)];
    const now = Date.now();
    for (const timestamp of [30, 10, 20]) await a.enqueue(job({ id: 7, timestamp }), now);
    await a.enqueue(job({ id: 8, timestamp: 1 }), now);
    const [fromA, fromB] = await Promise.all([a.claim(10, now), b.claim(10, now)]);
    const seven = [...fromA, ...fromB].filter((c) => c.objectKey === 'call:7');
    expect(seven.map((c) => c.timestamp)).toEqual([10]);
    expect([...fromA, ...fromB].map((c) => c.objectKey).sort()).toEqual(['call:7', 'call:8']);
    const holder = fromA.includes(seven[0]!) ? a : b;
    await holder.complete(seven[0]!.key, now);
    // The parked ones were promoted when call:7@10 settled: the other connection gets the next one now.
    const next = await (holder === a ? b : a).claim(10, now);
    expect(next.map((c) => `${c.objectKey}@${c.timestamp}`)).toEqual(['call:7@20']);
  });

  it('a worker pool handles every job once, one at a time per object, in timestamp order', async () => {
    const backend = await open();
    const now = Date.now();
    const jobs = Array.from({ length: 60 }, (_, n) => job({ id: n % 6, timestamp: 1_000 - n, n }));
    for (const j of jobs) expect(await backend.enqueue(j, now)).toBe('queued');
    const runningPerObject = new Map<string, number>();
    const order = new Map<string, number[]>();
    let overlap = false;
    const pool = createWorkerPool({
      backend,
      concurrency: 4,
      pollMs: 20,
      run: async (claimed) => {
        const object = claimed.objectKey!;
        if (runningPerObject.get(object)) overlap = true;
        runningPerObject.set(object, 1);
        await new Promise((resolve) => setTimeout(resolve, 2));
        order.set(object, [...(order.get(object) ?? []), claimed.timestamp]);
        runningPerObject.set(object, 0);
        return { outcome: 'handled' };
      },
    });
    await pool.start();
    await pool.whenIdle();
    await pool.stop(1_000);
    expect(overlap).toBe(false);
    expect([...order.values()].flat()).toHaveLength(60);
    for (const timestamps of order.values()) {
      expect(timestamps).toEqual([...timestamps].sort((x, y) => x - y));
    }
    expect((await backend.status(Date.now())).counts).toMatchObject({ pending: 0, running: 0, done: 60 });
  });

  it('a worker pool in another process is woken by an enqueue there, not by its next poll', async () => {
    const prefix = uniquePrefix();
    const [receiver, workers] = [await open(prefix), await open(prefix)];
    const handled: string[] = [];
    const pool = createWorkerPool({
      backend: workers,
      pollMs: 60_000, // a poll would come far too late for the wait below
      run: async (claimed) => {
        handled.push(claimed.key);
        return { outcome: 'handled' };
      },
    });
    await pool.start();
    await new Promise((resolve) => setTimeout(resolve, 200)); // the pool is asleep
    const added = job({ n: 9 });
    await receiver.enqueue(added, Date.now());
    await waitFor(() => handled.length > 0, 'the job to be handled', 10_000);
    expect(handled).toEqual([added.key]);
    await pool.stop(1_000);
  });

  it('jobs claimed by a process killed with kill -9 are recovered at once on this machine, not before', async () => {
    const prefix = uniquePrefix();
    const backend = await open(prefix);
    const now = Date.now();
    for (const id of [1, 2, 3]) await backend.enqueue(job({ id }), now);
    // A worker in its own process (the compiled queue module, as `node dist/worker.js` would load it)
    // claims two jobs, says so, and hangs as if in a handler.
    const script = `
      const { createRedisQueue } = await import(${JSON.stringify(new URL('../../dist/queue/redis.js', import.meta.url).href)});
      const queue = await createRedisQueue({ url: ${JSON.stringify(REDIS_URL)}, prefix: ${JSON.stringify(prefix)} });
      const claimed = await queue.claim(2, Date.now());
      console.log(claimed.length);
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const [line] = (await once(child.stdout!, 'data')) as [Buffer];
    expect(line.toString().trim()).toBe('2');
    // Alive and within its lease: nothing to recover.
    expect(await backend.recover(Date.now(), 12)).toBe(0);
    child.kill('SIGKILL');
    await exited;
    expect(await backend.recover(Date.now(), 12)).toBe(2);
    const again = await backend.claim(10, Date.now());
    expect(again.map((c) => c.objectKey).sort()).toEqual(['call:1', 'call:2', 'call:3']);
    expect(again.filter((c) => c.attempt === 2)).toHaveLength(2); // the killed attempts counted
  });

  it('a job taken from BullMQ but not yet leased (a claim in progress) is not recovered while its lock holds', async () => {
    // A claim takes the job from BullMQ (getNextJob: active, locked) and writes its lease a few round trips
    // later: a recover in between, in any process, must not hand the job out a second time.
    const prefix = uniquePrefix();
    const backend = await open(prefix);
    const added = job({ id: 5 });
    await backend.enqueue(added, Date.now());
    expect(await backend.spreadInbox(Date.now())).toBe(1); // its job, from its inbox batch
    const { Worker } = loadRedisDriver();
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const claimer = new Worker('deliveries', null, { connection, prefix, autorun: false, lockDuration: 60_000 });
    try {
      const taken = await claimer.getNextJob('claim-in-progress', { block: false });
      expect(taken?.id).toBe(added.key);
      expect(await backend.recover(Date.now(), 12)).toBe(0);
      expect(await backend.claim(10, Date.now())).toEqual([]);
      // The claimer died before writing the lease: once its BullMQ lock has expired, the job comes back.
      await admin.del(`${prefix}:deliveries:${added.key}:lock`);
      expect(await backend.recover(Date.now(), 12)).toBe(1);
      expect((await backend.claim(10, Date.now())).map((c) => c.key)).toEqual([added.key]);
    } finally {
      await claimer.close();
      await connection.quit();
    }
  });

  it('a claim cut off after BullMQ handed out its job (a lost reply) is taken back at once by its own process, not when the lock expires', async () => {
    // The first getNextJob takes a job (active, locked with the handle's token for a whole lease) and then
    // fails, as when Redis goes away before its reply: the claim fails with the job taken but not leased.
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const real = loadRedisDriver();
    let cut = true;
    class CutWorker extends (real.Worker as unknown as new (
      ...args: ConstructorParameters<typeof real.Worker>
    ) => InstanceType<typeof real.Worker>) {
      override async getNextJob(token: string, options?: { block?: boolean }) {
        const job = await super.getNextJob(token, options);
        // Delivery jobs only (inbox batches are taken by a worker of this class too).
        if (job !== undefined && cut && (this as unknown as { name: string }).name === 'deliveries') {
          cut = false;
          throw new Error('Connection is closed.');
        }
        return job;
      }
    }
    const backend = await open(prefix, REDIS_URL, { ...real, Worker: CutWorker as unknown as typeof real.Worker });
    const added = job({ id: 21 });
    await backend.enqueue(added, Date.now());
    await expect(backend.claim(1, Date.now())).rejects.toThrow('Connection is closed.');
    expect(await probe.pttl(`${prefix}:deliveries:${added.key}:lock`)).toBeGreaterThan(30_000);
    // No lock deleted, no recover called: the handle takes its job back by itself.
    const again = await claimWithin(backend, 5_000, 'the cut-off job to be claimable again');
    expect(again.map((c) => [c.key, c.attempt])).toEqual([[added.key, 1]]);
    await backend.complete(added.key, Date.now());
    expect((await backend.status(Date.now())).counts).toMatchObject({ pending: 0, running: 0, done: 1 });
  });

  it('a take of an inbox batch cut off after BullMQ handed it out (a lost reply) is given back by its own process, not when the lock expires', async () => {
    // The spread's getNextJob on the inbox takes the batch (active, locked with the handle's token for a
    // whole lease) and then fails, as when Redis goes away before its reply: the claim fails with the batch
    // taken and not spread. Its deliveries are acknowledged: they must be claimable again right away.
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const real = loadRedisDriver();
    let cutBatch: string | undefined;
    class CutWorker extends (real.Worker as unknown as new (
      ...args: ConstructorParameters<typeof real.Worker>
    ) => InstanceType<typeof real.Worker>) {
      override async getNextJob(token: string, options?: { block?: boolean }) {
        const job = await super.getNextJob(token, options);
        // Inbox batches only (delivery jobs are taken by a worker of this class too).
        if (job?.id !== undefined && cutBatch === undefined && (this as unknown as { name: string }).name === 'inbox') {
          cutBatch = job.id;
          throw new Error('Connection is closed.');
        }
        return job;
      }
    }
    const backend = await open(prefix, REDIS_URL, { ...real, Worker: CutWorker as unknown as typeof real.Worker });
    const added = [job({ id: 22 }), job({ id: 23 })];
    await Promise.all(added.map((delivery) => backend.enqueue(delivery, Date.now())));
    await expect(backend.claim(2, Date.now())).rejects.toThrow('Connection is closed.');
    expect(cutBatch).toBeDefined();
    expect(await probe.pttl(`${prefix}:inbox:${cutBatch}:lock`)).toBeGreaterThan(30_000);
    // Still acknowledged and pending while it is held: never counted as gone.
    expect((await backend.status(Date.now())).counts).toMatchObject({ pending: 2, running: 0 });
    // No lock deleted, no recover called: the handle gives the batch back by itself, and a claim spreads it.
    const again = await claimWithin(backend, 5_000, 'the cut-off batch to be spread and claimable');
    const claimed = [...again];
    if (claimed.length < 2) claimed.push(...(await backend.claim(2, Date.now())));
    expect(claimed.map((c) => [c.key, c.attempt]).sort()).toEqual(added.map((delivery) => [delivery.key, 1]).sort());
    for (const delivery of added) await backend.complete(delivery.key, Date.now());
    expect((await backend.status(Date.now())).counts).toMatchObject({ pending: 0, running: 0, done: 2 });
  });

  it.each(['claim', 'spreadInbox'] as const)(
    'a cut-off inbox take whose sweep met another take in flight (of a %s) is given back once that take ends, not when the lock expires',
    async (second) => {
      // The sweep that the failed claim starts reads the inbox while a second take is in flight: it cannot
      // tell the cut-off batch from the one that take may be getting, so it leaves it alone. Once the take
      // ends it must look again; before, nothing did, and the batch waited for its lock (a whole lease).
      const prefix = uniquePrefix();
      prefixes.push(prefix);
      const real = loadRedisDriver();
      const nameOf = (instance: unknown) => (instance as { name: string }).name;
      let cutBatch: string | undefined;
      let takeStarted: (() => void) | undefined;
      const secondTake = new Promise<void>((resolve) => {
        takeStarted = resolve;
      });
      let inboxRead = (): void => undefined;
      const sweepRead = new Promise<void>((resolve) => {
        inboxRead = resolve;
      });
      class CutWorker extends (real.Worker as unknown as new (
        ...args: ConstructorParameters<typeof real.Worker>
      ) => InstanceType<typeof real.Worker>) {
        override async getNextJob(token: string, options?: { block?: boolean }) {
          const inbox = nameOf(this) === 'inbox';
          if (inbox && cutBatch !== undefined && takeStarted !== undefined) {
            const started = takeStarted;
            takeStarted = undefined;
            started();
            await sweepRead;
            await new Promise((resolve) => setTimeout(resolve, 200)); // the sweep decides meanwhile
          }
          const job = await super.getNextJob(token, options);
          if (job?.id !== undefined && cutBatch === undefined && inbox) {
            cutBatch = job.id;
            throw new Error('Connection is closed.');
          }
          return job;
        }
      }
      class ReadingQueue extends (real.Queue as unknown as new (
        ...args: ConstructorParameters<typeof real.Queue>
      ) => InstanceType<typeof real.Queue>) {
        override async getJobs(...args: Parameters<InstanceType<typeof real.Queue>['getJobs']>) {
          const sweeping = nameOf(this) === 'inbox' && cutBatch !== undefined && [args[0]].flat().includes('active');
          if (sweeping) await secondTake;
          const jobs = await super.getJobs(...args);
          if (sweeping) inboxRead();
          return jobs;
        }
      }
      const backend = await open(prefix, REDIS_URL, {
        ...real,
        Worker: CutWorker as unknown as typeof real.Worker,
        Queue: ReadingQueue as unknown as typeof real.Queue,
      });
      const added = [job({ id: 24 }), job({ id: 25 })];
      await Promise.all(added.map((delivery) => backend.enqueue(delivery, Date.now())));
      await expect(backend.claim(2, Date.now())).rejects.toThrow('Connection is closed.');
      if (second === 'spreadInbox') {
        // No claim follows to ask for a sweep: the end of the spread's take must run it.
        expect(await backend.spreadInbox(Date.now())).toBe(0); // the only batch is the cut one, held
        // Given back: out of the inbox's active list (a move with token '0' leaves its lock key behind).
        const deadline = Date.now() + 5_000;
        while ((await probe.lrange(`${prefix}:inbox:active`, 0, -1)).includes(cutBatch ?? '')) {
          if (Date.now() > deadline) throw new Error('the cut-off batch is still active 5 s after the spread');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      const again = await claimWithin(backend, 5_000, 'the cut-off batch, once the take in flight ended');
      expect(takeStarted).toBeUndefined(); // the second take did run while the sweep read the inbox
      const claimed = [...again];
      if (claimed.length < 2) claimed.push(...(await backend.claim(2, Date.now())));
      expect(claimed.map((c) => [c.key, c.attempt]).sort()).toEqual(added.map((delivery) => [delivery.key, 1]).sort());
      for (const delivery of added) await backend.complete(delivery.key, Date.now());
      expect((await backend.status(Date.now())).counts).toMatchObject({ pending: 0, running: 0, done: 2 });
    },
  );

  it('Redis restarted while a claim waits for its job: the job a lost reply took is taken back on reconnect', async () => {
    // A private Redis with an fsynced append-only file, killed and restarted between BullMQ handing out a job
    // and the claim seeing it: the claim's getNextJob is sent again once Redis is back (as ioredis resends
    // a command whose reply was lost) and takes the next job; the first stays active under the handle's lock.
    const dir = await mkdtemp(join(tmpdir(), 'aircall-redfix-'));
    const args = ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir];
    let server = await startPrivateRedis(args);
    servers.push(server);
    const prefix = uniquePrefix();
    const real = loadRedisDriver();
    let restart = true;
    class RestartingWorker extends (real.Worker as unknown as new (
      ...args: ConstructorParameters<typeof real.Worker>
    ) => InstanceType<typeof real.Worker>) {
      override async getNextJob(token: string, options?: { block?: boolean }) {
        const job = await super.getNextJob(token, options);
        if (job === undefined || !restart || (this as unknown as { name: string }).name !== 'deliveries') return job;
        restart = false;
        await server.kill(); // its reply lost, as far as the claim can tell
        server = await startPrivateRedis(args, server.port);
        servers.push(server);
        return super.getNextJob(token, options);
      }
    }
    const backend = await open(prefix, server.url, {
      ...real,
      Worker: RestartingWorker as unknown as typeof real.Worker,
    });
    try {
      const [first, second] = [job({ id: 31 }), job({ id: 32 })];
      await backend.enqueue(first, Date.now());
      await backend.enqueue(second, Date.now());
      // Both are delivery jobs before the claim: a spread after the restart would go out on the receiver's
      // connection, which fails fast while it reconnects (that claim would fail, and be retried by the pool).
      expect(await backend.spreadInbox(Date.now())).toBe(2);
      const claimed = await backend.claim(1, Date.now());
      expect(claimed.map((c) => c.key)).toEqual([second.key]);
      const again = await claimWithin(backend, 10_000, 'the job the lost reply took to be claimable again');
      expect(again.map((c) => [c.key, c.attempt])).toEqual([[first.key, 1]]);
    } finally {
      await backend.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a recover racing with a completion (its settle first, the completion's move first): the marker still expires with the window", async () => {
    // The recoverer clears the lease; the holder's completion then finds no lease of its own, but its move
    // to completed comes before the recoverer's move back to wait (which fails). The job is done: its dedupe
    // marker and meta must expire with the window, and its object's order must no longer name it.
    const prefix = uniquePrefix();
    const holder = await open(prefix);
    let beforeMove: () => Promise<void> = async () => undefined;
    const hooked = hookJobs((found) => {
      const move = found.moveToWait.bind(found);
      found.moveToWait = async (token?: string) => {
        await beforeMove();
        return move(token);
      };
    });
    const recoverer = await open(prefix, REDIS_URL, hooked);
    const added = { ...job({ id: 41 }), receivedAt: Date.now() }; // the window counts from its receipt
    await holder.enqueue(added, Date.now());
    const [taken] = await holder.claim(1, Date.now());
    expect(taken?.key).toBe(added.key);
    // The lease as a process of this machine that has died leaves it (the holder itself stays open, to
    // complete in the race below).
    const gone = spawn(process.execPath, ['-e', '0']);
    await once(gone, 'exit');
    await probe.hset(`${prefix}:deliveries:x:meta:${added.key}`, { pid: String(gone.pid) });
    let raced = false;
    beforeMove = async () => {
      beforeMove = async () => undefined;
      await holder.complete(added.key, Date.now());
      raced = true;
    };
    // Its holder's process is gone: the lease counts as abandoned. Its move back to wait then finds the
    // job completed (BullMQ's move with token '0' leaves it there).
    // The completion's move came first: the recoverer's move to wait moved nothing, and says so.
    expect(await recoverer.recover(Date.now(), 12)).toBe(0);
    expect(raced).toBe(true);
    expect((await holder.status(Date.now())).counts).toMatchObject({ pending: 0, running: 0, done: 1 });
    const base = `${prefix}:deliveries:x:`;
    for (const key of [`${base}dedupe:${added.key}`, `${base}meta:${added.key}`]) {
      const ttl = await probe.pttl(key);
      expect(ttl, key).toBeGreaterThan(0);
      expect(ttl, key).toBeLessThanOrEqual(24 * 3_600_000);
    }
    expect(await probe.zcard(`${base}obj:call:41`)).toBe(0);
    expect(await holder.enqueue(added, Date.now())).toBe('duplicate');
  });

  it('release clears its lease before the job moves: a claimer that takes the job at once keeps its lease', async () => {
    // A driver whose jobs run `afterMove` right after BullMQ moved them back to wait: another handle claims
    // the job there, before the releasing call has returned. A release that cleared the lease only after
    // the move would wipe that claimer's lease and give back its attempt.
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const real = loadRedisDriver();
    let afterMove: () => Promise<void> = async () => undefined;
    class HookedWorker extends (real.Worker as unknown as new (
      ...args: ConstructorParameters<typeof real.Worker>
    ) => InstanceType<typeof real.Worker>) {
      override async getNextJob(token: string, options?: { block?: boolean }) {
        const job = await super.getNextJob(token, options);
        if (job !== undefined) {
          const move = job.moveToWait.bind(job);
          job.moveToWait = async (moveToken?: string) => {
            const moved = await move(moveToken);
            await afterMove();
            return moved;
          };
        }
        return job;
      }
    }
    const releasing = await open(prefix, REDIS_URL, { ...real, Worker: HookedWorker as unknown as typeof real.Worker });
    const claimer = await open(prefix);
    const added = job({ id: 11 });
    await releasing.enqueue(added, Date.now());
    const [first] = await releasing.claim(1, Date.now());
    expect(first?.key).toBe(added.key);
    let second: Awaited<ReturnType<QueueBackend['claim']>> = [];
    afterMove = async () => {
      second = await claimer.claim(1, Date.now());
    };
    await releasing.release(added.key, Date.now());
    expect(second.map((c) => [c.key, c.attempt])).toEqual([[added.key, 1]]);
    const meta = await admin.hgetall(`${prefix}:deliveries:x:meta:${added.key}`);
    expect(meta).toMatchObject({ attempts: '1', pid: String(process.pid) });
    expect(meta['owner']).not.toBe('');
    expect(Number(meta['until'])).toBeGreaterThan(Date.now());
    // The claimer still holds it: recover finds nothing abandoned, and it completes normally.
    expect(await claimer.recover(Date.now(), 12)).toBe(0);
    await claimer.complete(added.key, Date.now());
    expect((await claimer.status(Date.now())).counts).toMatchObject({ pending: 0, running: 0, done: 1 });
  });

  it('status: the oldest pending job may be a retry waiting in the delayed set, behind newer waiting ones', async () => {
    const backend = await open();
    const now = Date.now();
    for (const [id, ago] of [
      [1, 30_000],
      [2, 20_000],
      [3, 10_000],
    ] as const) {
      await backend.enqueue({ ...job({ id }), receivedAt: now - ago }, now);
    }
    expect((await backend.status(now)).oldestPendingMs).toBe(30_000);
    const [oldest] = await backend.claim(1, now);
    expect(oldest?.objectKey).toBe('call:1');
    await backend.fail(oldest!.key, 'Error: later', now + 60_000, now);
    const { counts, oldestPendingMs } = await backend.status(now);
    expect(counts).toMatchObject({ pending: 3, running: 0 });
    expect(oldestPendingMs).toBe(30_000);
  });

  it('Redis down: enqueue rejects within the command bound, and works again once Redis is back', async () => {
    const server = await startPrivateRedis();
    servers.push(server);
    const backend = await open(uniquePrefix(), server.url);
    expect(await backend.enqueue(job({ n: 1 }), Date.now())).toBe('queued');
    await server.kill();
    const started = Date.now();
    await expect(backend.enqueue(job({ n: 2 }), Date.now())).rejects.toThrow();
    // Deliveries arriving together are stored as one batch: every one of them is refused.
    const batch = await Promise.allSettled(
      Array.from({ length: 20 }, (_, n) => backend.enqueue(job({ n: 100 + n }), Date.now())),
    );
    expect(batch.map((result) => result.status)).toEqual(Array(20).fill('rejected'));
    // Not queued in ioredis's offline queue until Redis returns: the receiver answers 503 at once.
    expect(Date.now() - started).toBeLessThan(5_000);
    const again = await startPrivateRedis([], server.port);
    servers.push(again);
    let outcome: string | undefined;
    for (let tries = 0; tries < 100 && outcome === undefined; tries++) {
      outcome = await backend.enqueue(job({ n: 2 }), Date.now()).catch(() => undefined);
      if (outcome === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The restarted server kept nothing (no AOF here): job 2 was never acknowledged, so it is new.
    expect(outcome).toBe('queued');
  });

  it('a reservation whose reply a dropped connection cut off is never answered as a duplicate without a job (503)', async () => {
    const proxy = await cuttingProxy();
    try {
      const prefix = uniquePrefix();
      const backend = await open(prefix, proxy.url);
      const delivery = job({ n: 7 });
      proxy.cutAfter(delivery.key);
      // ioredis sends the reservation again once connected: it finds its own marker. Before, that read as
      // 'duplicate' (200) with no job stored anywhere; a duplicate now needs its job in Redis.
      await expect(backend.enqueue(delivery, Date.now())).rejects.toThrow(/not in Redis/);
      expect(proxy.cuts()).toBe(1);
      expect(await probe.exists(`${prefix}:deliveries:${delivery.key}`)).toBe(0);
      // Aircall's retry is refused too (503) while the orphaned reservation is young; never a bare 200.
      await expect(backend.enqueue(delivery, Date.now())).rejects.toThrow(/not in Redis/);
      // The connection works on: another delivery is stored.
      expect(await backend.enqueue(job({ n: 8 }), Date.now())).toBe('queued');
    } finally {
      await proxy.close();
    }
  });

  it('enqueues made while a reservation is in flight go out together, after 20 ms at most', async () => {
    // Every chunk to Redis is delayed 300 ms: the first reservation is answered long after the others
    // arrive. Each reservation names the queue's enqueue counter (its first key), so the chunks naming it
    // count the reservations sent.
    const proxy = await cuttingProxy(300);
    try {
      const prefix = uniquePrefix();
      const backend = await open(prefix, proxy.url);
      const seq = `${prefix}:deliveries:x:seq`;
      proxy.count(seq);
      const now = Date.now();
      const first = backend.enqueue(job({ n: 1 }), now);
      await new Promise((resolve) => setTimeout(resolve, 5));
      // Ten more, each in an event-loop turn of its own (one batch each, were turns the only rule).
      const later: Promise<string>[] = [];
      for (let n = 2; n <= 11; n++) {
        later.push(backend.enqueue(job({ n }), now));
        await new Promise((resolve) => setImmediate(resolve));
      }
      // Not held back until the first is answered (300 ms): sent together once 20 ms have passed.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(proxy.count(seq)).toBeGreaterThanOrEqual(2);
      expect(proxy.count(seq)).toBeLessThanOrEqual(3);
      expect(await first).toBe('queued');
      expect(await Promise.all(later)).toEqual(Array(10).fill('queued'));
      expect(proxy.count(seq)).toBeLessThanOrEqual(3);
      expect((await backend.status(Date.now())).counts.pending).toBe(11);
    } finally {
      await proxy.close();
    }
  });

  it('a lease script whose reply a dropped connection cut off, sent again by ioredis, counts its attempt once', async () => {
    const proxy = await cuttingProxy();
    try {
      const prefix = uniquePrefix();
      const backend = await open(prefix, proxy.url);
      const delivery = job({ id: 51 });
      expect(await backend.enqueue(delivery, Date.now())).toBe('queued');
      // The first command naming the job's meta key is the lease script: it runs, its reply is lost, and
      // the worker's connection (which waits for Redis) sends it again once reconnected.
      proxy.cutAfter(`x:meta:${delivery.key}`);
      const claimed = await backend.claim(1, Date.now());
      expect(proxy.cuts()).toBe(1);
      expect(claimed.map((c) => [c.key, c.attempt])).toEqual([[delivery.key, 1]]);
      expect(await admin.hget(`${prefix}:deliveries:x:meta:${delivery.key}`, 'attempts')).toBe('1');
      await backend.complete(delivery.key, Date.now());
      expect((await backend.status(Date.now())).counts).toMatchObject({ running: 0, done: 1 });
    } finally {
      await proxy.close();
    }
  });

  it('a sweep reads the leases and locks of all active jobs together, not one round trip per job', async () => {
    // 40 jobs taken from BullMQ by a claimer still holding their locks (claims in progress: nothing to
    // recover). Every command to Redis is delayed 40 ms: one round trip per active job would take 1.6 s.
    const prefix = uniquePrefix();
    const backend = await open(prefix);
    const now = Date.now();
    const added = Array.from({ length: 40 }, (_, n) => job({ n: 1_000 + n }));
    for (const delivery of added) expect(await backend.enqueue(delivery, now)).toBe('queued');
    expect(await backend.spreadInbox(now)).toBe(40);
    const { Worker } = loadRedisDriver();
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const claimer = new Worker('deliveries', null, { connection, prefix, autorun: false, lockDuration: 60_000 });
    const proxy = await cuttingProxy(40);
    try {
      for (const _ of added) expect(await claimer.getNextJob('claim-in-progress', { block: false })).toBeDefined();
      const sweeper = await open(prefix, proxy.url);
      const started = Date.now();
      expect(await sweeper.recover(Date.now(), 12)).toBe(0);
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      await claimer.close();
      await connection.quit();
      await proxy.close();
    }
  });

  it('deliveries acknowledged together are held as one inbox batch until a claim spreads them: pending, listed and deduped meanwhile', async () => {
    const prefix = uniquePrefix();
    const backend = await open(prefix);
    const now = Date.now();
    const deliveries = Array.from({ length: 5 }, (_, n) => job({ id: 600 + n }));
    // Enqueued in one event-loop turn: one reservation, one inbox batch.
    expect(await Promise.all(deliveries.map((d) => backend.enqueue(d, now)))).toEqual(Array(5).fill('queued'));
    expect(await probe.llen(`${prefix}:inbox:wait`)).toBe(1);
    expect(await probe.hlen(`${prefix}:deliveries:x:inbox`)).toBe(1);
    for (const d of deliveries) expect(await probe.exists(`${prefix}:deliveries:${d.key}`)).toBe(0);
    const keys = deliveries.map((d) => d.key).sort();
    expect((await backend.status(now)).counts).toMatchObject({ pending: 5, running: 0 });
    expect((await backend.list('pending', 10)).map((s) => s.key).sort()).toEqual(keys);
    expect((await backend.list('pending', 2)).length).toBe(2);
    // A delivery held in a batch is stored: its retry is a duplicate (answered 200, not run twice).
    expect(await backend.enqueue(deliveries[0]!, now)).toBe('duplicate');
    const claimed = await backend.claim(10, now);
    expect(claimed.map((c) => [c.key, c.attempt]).sort()).toEqual(keys.map((key) => [key, 1]));
    expect(await probe.llen(`${prefix}:inbox:wait`)).toBe(0);
    expect(await probe.llen(`${prefix}:inbox:active`)).toBe(0);
    expect(await probe.hlen(`${prefix}:deliveries:x:inbox`)).toBe(0);
    expect((await backend.status(now)).counts).toMatchObject({ pending: 0, running: 5 });
  });

  it('a spread cut off by a process that died is given back by recover (at once on this machine, else when its lock expires), and adds no job twice', async () => {
    const prefix = uniquePrefix();
    const backend = await open(prefix);
    const now = Date.now();
    const first = [job({ id: 650 }), job({ id: 651 }), job({ id: 652 })];
    expect(await Promise.all(first.map((d) => backend.enqueue(d, now)))).toEqual(Array(3).fill('queued'));
    const second = [job({ id: 660 }), job({ id: 661 })];
    expect(await Promise.all(second.map((d) => backend.enqueue(d, now)))).toEqual(Array(2).fill('queued'));
    const { Worker, Queue } = loadRedisDriver();
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const takers = new Worker('inbox', null, { connection, prefix, autorun: false, lockDuration: 60_000 });
    const deliveriesQueue = new Queue('deliveries', { connection, prefix });
    try {
      // Process A (on this machine, gone now) took the first batch and added one job of it before dying.
      const gone = spawn(process.execPath, ['-e', '0']);
      await once(gone, 'exit');
      await probe.hset(`${prefix}:deliveries:x:procs`, { 'taker-a': `${processSpace()} ${gone.pid}` });
      const batchA = (await takers.getNextJob('taker-a', { block: false })) as unknown as {
        data: { deliveries: { key: string; event: string }[] };
      };
      expect(batchA.data.deliveries.map((d) => d.key)).toEqual(first.map((d) => d.key));
      const { key, ...data } = batchA.data.deliveries[0]!;
      await deliveriesQueue.add(data.event, data as never, { jobId: key });
      // Process B, on another machine, took the second batch and is silent.
      await probe.hset(`${prefix}:deliveries:x:procs`, { 'taker-b': 'elsewhere 1' });
      expect(await takers.getNextJob('taker-b', { block: false })).toBeDefined();
      // Held by their takers: the claim finds only the job A added; both batches count as pending.
      expect((await backend.claim(10, now)).map((c) => c.key)).toEqual([first[0]!.key]);
      expect((await backend.status(now)).counts).toMatchObject({ pending: 5, running: 1 });
      // Recover gives back A's batch (its taker is gone), not B's (its lock holds).
      expect(await backend.recover(now, 12)).toBe(0);
      expect((await backend.claim(10, now)).map((c) => c.key).sort()).toEqual([first[1]!.key, first[2]!.key].sort());
      expect(await probe.hexists(`${prefix}:deliveries:x:procs`, 'taker-a')).toBe(0);
      expect(await backend.claim(10, now)).toEqual([]);
      // B's lock expires: the next recover gives its batch back.
      const [batchB] = await probe.lrange(`${prefix}:inbox:active`, 0, -1);
      await admin.del(`${prefix}:inbox:${batchB}:lock`);
      await backend.recover(now, 12);
      expect((await backend.claim(10, now)).map((c) => c.key).sort()).toEqual(second.map((d) => d.key).sort());
      // Spreading A's batch again added nothing twice: five jobs, each claimed once (attempt 1).
      expect((await backend.status(now)).counts).toMatchObject({ pending: 0, running: 5 });
      for (const d of [...first, ...second]) {
        expect(await admin.hget(`${prefix}:deliveries:x:meta:${d.key}`, 'attempts')).toBe('1');
      }
    } finally {
      await takers.close();
      await deliveriesQueue.close();
      await connection.quit();
    }
  });

  it('procs lines: written again each lease while spreading, dropped once ten leases old unless their process holds a batch', async () => {
    const prefix = uniquePrefix();
    const backend = await open(prefix);
    const procs = `${prefix}:deliveries:x:procs`;
    const lease = QUEUE_DEFAULTS.leaseMs;
    const t0 = Date.now();
    // This handle says who it is before its first spread, and again once its line is a lease old.
    await backend.enqueue(job({ id: 690 }), t0);
    await backend.claim(1, t0);
    const [own] = Object.keys(await probe.hgetall(procs));
    expect(await probe.hget(procs, own!)).toBe(`${processSpace()} ${process.pid} ${t0}`);
    await backend.claim(1, t0 + lease - 1);
    expect(await probe.hget(procs, own!)).toBe(`${processSpace()} ${process.pid} ${t0}`);
    await backend.claim(1, t0 + lease);
    expect(await probe.hget(procs, own!)).toBe(`${processSpace()} ${process.pid} ${t0 + lease}`);

    // Processes on other machines (their life cannot be checked here): one silent for ten leases and
    // holding nothing, one from an earlier version (no time), one recent, one old but holding a batch.
    const now = t0 + lease;
    const old = now - 10 * lease - 1;
    await probe.hset(procs, {
      'far-silent': `elsewhere 11 ${old}`,
      'far-legacy': 'elsewhere 12',
      'far-recent': `elsewhere 13 ${now - 10 * lease}`,
      'far-holding': `elsewhere 14 ${old}`,
    });
    await backend.enqueue(job({ id: 691 }), now);
    const { Worker } = loadRedisDriver();
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const takers = new Worker('inbox', null, { connection, prefix, autorun: false, lockDuration: 60_000 });
    try {
      expect(await takers.getNextJob('far-holding', { block: false })).toBeDefined();
      await backend.recover(now, 12);
      expect(Object.keys(await probe.hgetall(procs)).sort()).toEqual(['far-holding', 'far-recent', own!].sort());
    } finally {
      await takers.close();
      await connection.quit();
    }
  });

  it('a place left in its object order by a reservation that stored nothing does not hold its delivery back', async () => {
    const prefix = uniquePrefix();
    const backend = await open(prefix);
    const held = job({ id: 680 });
    const order = `${prefix}:deliveries:x:obj:call:680`;
    // What a reservation whose receiver died before the add (or whose reply was lost) leaves: a place
    // ahead of the one the stored delivery gets, naming the same key, and no job.
    await probe.set(`${prefix}:deliveries:x:seq`, '5');
    await probe.zadd(order, held.timestamp, `${'1'.padStart(16, '0')}:${held.key}`);
    expect(await backend.enqueue(held, Date.now())).toBe('queued');
    const claimed = await backend.claim(10, Date.now());
    expect(claimed.map((c) => [c.key, c.attempt])).toEqual([[held.key, 1]]);
    expect(await probe.zrange(order, '0', '-1')).toEqual([`${'6'.padStart(16, '0')}:${held.key}`]);
  });

  it("an add whose reply is lost keeps its reservation: the delivery is stored, so Aircall's retry is a duplicate", async () => {
    const prefix = uniquePrefix();
    const proxy = await cuttingProxy();
    try {
      const receiver = await open(prefix, proxy.url);
      const worker = await open(prefix);
      const delivery = job({ id: 690 });
      proxy.holdAfter('"deliveries":['); // the inbox add runs; its reply comes too late
      await expect(receiver.enqueue(delivery, Date.now())).rejects.toThrow(/timed out/i); // a 503
      proxy.release();
      let runs = 0;
      const runAll = async (): Promise<void> => {
        for (const claimed of await worker.claim(10, Date.now())) {
          if (claimed.key === delivery.key) runs++;
          await worker.complete(claimed.key, Date.now());
        }
      };
      await runAll();
      expect(runs).toBe(1); // the add had run: the delivery was stored
      expect(await receiver.enqueue(delivery, Date.now())).toBe('duplicate');
      await runAll();
      expect(runs).toBe(1);
    } finally {
      await proxy.close();
    }
  });

  it('inbox retry resets the attempts before the job can be claimed again', async () => {
    const prefix = uniquePrefix();
    let claimer: QueueBackend | undefined;
    const attemptsRightAfterMove: number[] = [];
    // A worker that claims the job the moment BullMQ has moved it back to wait.
    const hooked = hookJobs((found) => {
      const retry = found.retry.bind(found);
      found.retry = async (...retryArgs: Parameters<typeof retry>) => {
        await retry(...retryArgs);
        for (const claimed of (await claimer?.claim(1, Date.now())) ?? []) {
          attemptsRightAfterMove.push(claimed.attempt);
        }
      };
    });
    const operator = await open(prefix, REDIS_URL, hooked);
    claimer = await open(prefix);
    const dead = job({ id: 700 });
    await claimer.enqueue(dead, Date.now());
    for (let attempt = 1; attempt <= 3; attempt++) {
      const [claimed] = await claimWithin(claimer, 5_000, `attempt ${attempt}`);
      expect(claimed!.attempt).toBe(attempt);
      await claimer.fail(dead.key, 'Error: down', attempt === 3 ? null : Date.now(), Date.now());
    }
    expect((await claimer.status(Date.now())).counts.dead).toBe(1);
    expect(await operator.retry({ dead: true }, Date.now())).toBe(1);
    expect(attemptsRightAfterMove).toEqual([1]);
  });

  it('purge of done jobs leaves a new delivery of the same key that came in while it ran (its job and its marker)', async () => {
    const prefix = uniquePrefix();
    const windowMs = 300;
    // The same body again comes after the purge has chosen the done job, before it removes it; spread into
    // its own job and given back to waiting, where BullMQ would remove it by id.
    const { receiver, again } = await handledAndForgotten(prefix, 720, windowMs);
    const { driver, ran } = raceRemoving(async () => {
      expect(await receiver.enqueue(again, Date.now())).toBe('queued');
      const [spread] = await claimWithin(receiver, 5_000, 'the new delivery');
      await receiver.release(spread!.key, Date.now());
    });
    const purger = await open(prefix, REDIS_URL, driver, { dedupeWindowMs: windowMs });
    await purger.purge('done', Date.now(), 0);
    expect(ran()).toBe(true);
    expect((await receiver.status(Date.now())).counts).toMatchObject({ pending: 1, done: 0 });
    expect(await receiver.enqueue(again, Date.now())).toBe('duplicate');
    const [back] = await claimWithin(receiver, 5_000, 'the new delivery again');
    expect(back!.key).toBe(again.key);
  });

  it('a new delivery of the same body just after a purge removed its done job keeps its marker', async () => {
    const prefix = uniquePrefix();
    const windowMs = 300;
    const { receiver, again } = await handledAndForgotten(prefix, 722, windowMs);
    // Between BullMQ's removal of the done job and the purge's own cleanup of its keys.
    const { driver, ran } = raceRemoving(async () => {
      expect(await receiver.enqueue(again, Date.now())).toBe('queued');
    }, 'after');
    const purger = await open(prefix, REDIS_URL, driver, { dedupeWindowMs: windowMs });
    expect(await purger.purge('done', Date.now(), 0)).toBe(1);
    expect(ran()).toBe(true);
    expect(await receiver.enqueue(again, Date.now())).toBe('duplicate');
    expect((await receiver.status(Date.now())).counts).toMatchObject({ pending: 1, done: 0 });
  });

  it('purge of dead jobs leaves a job that inbox retry brought back while it ran', async () => {
    const prefix = uniquePrefix();
    const operator = await open(prefix);
    const dead = job({ id: 721 });
    await operator.enqueue(dead, Date.now());
    await claimWithin(operator, 5_000, 'the delivery');
    await operator.fail(dead.key, 'Error: down', null, Date.now());
    const { driver, ran } = raceRemoving(async () => {
      expect(await operator.retry({ id: dead.key }, Date.now())).toBe(1);
    });
    const purger = await open(prefix, REDIS_URL, driver);
    expect(await purger.purge('dead', Date.now() + 1_000, 0)).toBe(0);
    expect(ran()).toBe(true);
    expect((await operator.status(Date.now())).counts).toMatchObject({ pending: 1, dead: 0 });
    expect(await operator.enqueue(dead, Date.now())).toBe('duplicate');
    const [back] = await claimWithin(operator, 5_000, 'the retried delivery');
    expect(back).toMatchObject({ key: dead.key, attempt: 1 });
  });

  it('list gives at most the limit, whichever of BullMQ states its pending jobs are in', async () => {
    const prefix = uniquePrefix();
    const backend = await open(prefix);
    const now = Date.now();
    const deliveries = [710, 711, 712, 713].map((id) => job({ id }));
    for (const delivery of deliveries) await backend.enqueue(delivery, now);
    expect(await backend.claim(10, now)).toHaveLength(4);
    await backend.fail(deliveries[0]!.key, 'Error: later', now + 60_000, now); // delayed
    await backend.fail(deliveries[1]!.key, 'Error: later', now + 60_000, now);
    await backend.release(deliveries[2]!.key, now); // waiting
    await backend.release(deliveries[3]!.key, now);
    expect((await backend.status(now)).counts.pending).toBe(4);
    expect(await backend.list('pending', 2)).toHaveLength(2);
    expect(await backend.list('pending', 10)).toHaveLength(4);
  });

  it('a reservation past its take-over age is not taken over while its inbox batch is there', async () => {
    const prefix = uniquePrefix();
    const backend = await open(prefix);
    const now = Date.now();
    const held = job({ id: 670 });
    expect(await backend.enqueue(held, now)).toBe('queued');
    const marker = `${prefix}:deliveries:x:dedupe:${held.key}`;
    const value = (await admin.get(marker))!;
    expect(value).toMatch(/^adding \d+ \S+ \S+$/);
    // As old as can be, its batch still waiting: the delivery is stored, a retry of it is a duplicate.
    await admin.set(marker, value.replace(/^adding \d+/, 'adding 1'));
    expect(await backend.enqueue(held, now)).toBe('duplicate');
    // A reservation whose adder died before its batch came (no job, no batch) is taken over once old.
    const lost = job({ id: 671 });
    await admin.set(`${prefix}:deliveries:x:dedupe:${lost.key}`, 'adding 1 gone-owner never-added');
    expect(await backend.enqueue(lost, now)).toBe('queued');
    // A marker in the format of earlier versions (no batch) is taken over as before.
    const older = job({ id: 672 });
    await admin.set(`${prefix}:deliveries:x:dedupe:${older.key}`, 'adding 1 gone-owner');
    expect(await backend.enqueue(older, now)).toBe('queued');
    expect((await backend.status(now)).counts.pending).toBe(3);
  });

  it('cannot start when Redis is unreachable', async () => {
    const server = await startPrivateRedis();
    await server.kill();
    await expect(
      createRedisQueue({ url: server.url, prefix: uniquePrefix(), commandTimeoutMs: 500 }),
    ).rejects.toThrow();
  });

  describe('durability warnings', () => {
    const warningsFor = async (args: string[]): Promise<string[]> => {
      const server = await startPrivateRedis(['--dir', '/tmp', ...args]);
      servers.push(server);
      return redisDurabilityWarnings(server.url);
    };

    it('none with an fsynced append-only file and noeviction', async () => {
      expect(
        await warningsFor([
          '--appendonly',
          'yes',
          '--appendfilename',
          `aircall-${uniquePrefix()}.aof`,
          '--appenddirname',
          `aircall-${uniquePrefix()}`,
          '--appendfsync',
          'everysec',
          '--maxmemory-policy',
          'noeviction',
        ]),
      ).toEqual([]);
    });

    it('no append-only file, and an eviction policy', async () => {
      const warnings = await warningsFor(['--maxmemory-policy', 'allkeys-lru']);
      expect(warnings).toHaveLength(2);
      expect(warnings[0]).toMatch(/appendonly no.*restart loses/);
      expect(warnings[1]).toMatch(/maxmemory-policy allkeys-lru.*noeviction/);
    });

    it('appendfsync no', async () => {
      const warnings = await warningsFor([
        '--appendonly',
        'yes',
        '--appenddirname',
        `aircall-${uniquePrefix()}`,
        '--appendfsync',
        'no',
        '--maxmemory-policy',
        'noeviction',
      ]);
      expect(warnings).toEqual([expect.stringMatching(/appendfsync no.*everysec/)]);
    });

    it("a clock more than a second off Redis's, ahead or behind", async () => {
      const server = await startPrivateRedis(['--dir', '/tmp', '--maxmemory-policy', 'noeviction']);
      servers.push(server);
      const driver = loadRedisDriver();
      const ahead = await redisDurabilityWarnings(server.url, driver, () => Date.now() + 45_000);
      expect(ahead.filter((w) => /clock/.test(w))).toEqual([
        expect.stringMatching(/clock is 4[45]\.\d s ahead of Redis's.*lease \(40 s by default\).*run twice.*NTP/),
      ]);
      const behind = await redisDurabilityWarnings(server.url, driver, () => Date.now() - 3_000);
      expect(behind.filter((w) => /clock/.test(w))).toEqual([
        expect.stringMatching(/clock is [23]\.\d s behind Redis's/),
      ]);
      // Within the bound (and the machine's own clock, which is Redis's): no clock warning.
      const close = await redisDurabilityWarnings(server.url, driver, () => Date.now() + 500);
      expect(close.filter((w) => /clock/.test(w))).toEqual([]);
    });

    it('TIME disabled: the configuration is still checked, and one warning says to check the clocks', async () => {
      const warnings = await warningsFor(['--rename-command', 'TIME', '', '--maxmemory-policy', 'noeviction']);
      expect(warnings).toEqual([
        expect.stringMatching(/appendonly no/),
        expect.stringMatching(/could not read Redis's clock.*NTP/),
      ]);
    });

    it('CONFIG disabled: one warning saying what to check', async () => {
      const warnings = await warningsFor(['--rename-command', 'CONFIG', '']);
      expect(warnings).toEqual([expect.stringMatching(/could not read.*appendonly yes.*noeviction/)]);
    });
  });

  it('a driver that cannot load names the packages and the other modes', () => {
    const error = new RedisDriverMissingError(new Error('Cannot find module'));
    expect(error.message).toMatch(/npm install bullmq ioredis/);
    expect(error.message).toMatch(/AIRCALL_QUEUE=sqlite/);
    expect(error.message).toMatch(/AIRCALL_QUEUE=inline/);
  });
});
