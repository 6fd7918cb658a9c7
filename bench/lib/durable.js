// Durable mode: acknowledgement throughput with every body distinct (each one is stored, none is a
// duplicate) for the generated receiver in sqlite and redis mode, against bare node:http and a hand-written
// Express + BullMQ server, in the same rounds and settings as the inline section (rounds.js, affinity.js);
// every receiver run is checked (its log, and the queue holds every acknowledged delivery). Then worker
// throughput: a queue filled beforehand, drained by the no-op stub handlers (sqlite: one process; redis:
// 1 and 2 `dist-generated/worker.js` processes).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { distinctBodies } from './distinct-bodies.js';
import { checkDurableLog, countHandled, storedPerRequest, withStored } from './durable-checks.js';
import { fsyncLatency } from './machine.js';
import { ROOT, TMP } from './paths.js';
import { benchSettings } from './rounds.js';
import { HOST, freePort, httpRequest, startServer, stopServer, waitUntil } from './servers.js';
import { checkReceiverLog } from './throughput.js';

export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** How long a drain may take before its run is invalid. */
const DRAIN_LIMIT_MS = 300_000;

const removeDb = (file) => {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
};
const prefixFor = (what) => `bench-${what}-${randomBytes(6).toString('hex')}`;

/** An ioredis client of bench/'s package, connected, or the reason there is none. */
async function connectRedis() {
  let Redis;
  try {
    ({ Redis } = await import('ioredis'));
  } catch (error) {
    return { unavailable: `ioredis cannot be loaded from bench/node_modules (${error.message})` };
  }
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await Promise.race([
      client.connect().then(() => client.ping()),
      new Promise((_resolve, reject) => setTimeout(() => reject(new Error('no answer within 2 s')), 2000)),
    ]);
    return { client };
  } catch (error) {
    client.disconnect();
    return { unavailable: `Redis at ${REDIS_URL} does not answer (${error.message})` };
  }
}

/** Deletes every key under `prefix:` (SCAN + UNLINK; never FLUSHDB: the Redis is shared). Resolves how many. */
async function deleteKeys(redis, prefix) {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

/** The redis backend of the receiver (dist/queue/redis.js, built by `npm run build`), or why it is missing. */
async function redisBackendModule() {
  const file = join(ROOT, 'dist', 'queue', 'redis.js');
  if (!existsSync(file)) return { unavailable: 'dist/queue/redis.js is absent (the Redis backend is not built)' };
  const mod = await import(file);
  if (typeof mod.createRedisQueue !== 'function') return { unavailable: 'dist/queue/redis.js has no createRedisQueue' };
  return { createRedisQueue: mod.createRedisQueue };
}

/**
 * Starts `script` with `env` once and waits for GET /healthz (any answer): undefined when it comes up,
 * else why not (its stderr), e.g. a receiver built without the redis mode refuses AIRCALL_QUEUE=redis.
 */
async function probeStart(script, env) {
  const port = await freePort();
  const server = startServer(script, {
    cwd: TMP,
    env: { ...process.env, ...env, PORT: String(port), HOST },
    stdoutFile: 'pipe',
  });
  server.child.stdout?.resume();
  try {
    await waitUntil(server, () => httpRequest(port, { path: '/healthz' }), { timeoutMs: 15_000 });
    return undefined;
  } catch (error) {
    return error.message.replace(/\s+/g, ' ').trim();
  } finally {
    await stopServer(server);
  }
}

/** Rows of `table` in a SQLite file: the receiver's jobs, or the sqlite floor's deliveries. */
async function sqliteRows(file, table = 'aircall_jobs') {
  const { loadSqliteDriver } = await import(join(ROOT, 'dist', 'queue', 'sqlite-driver.js'));
  const Database = loadSqliteDriver();
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(`SELECT count(*) AS n FROM ${table}`).get().n;
  } finally {
    db.close();
  }
}

/**
 * Jobs in every state of the receiver's Redis queue under `prefix`, through its own backend; when they are
 * not as many as the log's queued lines, also the stored ids the log does not name.
 */
async function redisJobs(createRedisQueue, prefix, logCheck) {
  const queue = await createRedisQueue({ url: REDIS_URL, prefix });
  try {
    const { counts } = await queue.status(Date.now());
    const stored = Object.values(counts).reduce((a, b) => a + b, 0);
    /** @type {string[]} */
    const unlogged = [];
    if (stored !== logCheck.queued && logCheck.ids) {
      for (const state of ['pending', 'running', 'done', 'dead']) {
        for (const job of await queue.list(state, stored + 1)) {
          if (!logCheck.ids.has(job.key.slice(0, 16))) unlogged.push(`${state} ${job.key.slice(0, 16)}`);
        }
      }
    }
    return { stored, unlogged };
  } finally {
    await queue.close();
  }
}

/** Jobs of the hand-written server's BullMQ queue (any state). */
async function bullmqJobs(prefix, name) {
  const { Queue } = await import('bullmq');
  const { Redis } = await import('ioredis');
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(name, { connection, prefix });
  try {
    const counts = await queue.getJobCounts();
    return Object.values(counts).reduce((a, b) => a + b, 0);
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

/** A server of the rounds, or, when `why` is set, the same key and label marked unavailable with that reason. */
const serverOrWhy = (key, label, why, config) => (why ? { key, label, unavailable: why } : { key, label, ...config() });

/** The acknowledgement servers; each unavailable one says why. */
async function ackServers({
  receiverScript,
  receiverUnavailable,
  receiverEnv,
  bodies,
  redis,
  backend,
  token,
  connections,
}) {
  const bareStdout = join(TMP, 'durable-bare-stdout.log');
  /** @type {any[]} */
  const servers = [
    {
      key: 'bare',
      label: 'bare node:http + JSON.parse',
      script: join(ROOT, 'bench', 'servers', 'bare.js'),
      env: {},
      stdoutFile: bareStdout,
      bodies,
    },
  ];
  // The receiver with the handler in the request and nothing stored, on the same distinct bodies: what the
  // receiver's own work costs (token, parse, validation, log line, the no-op stub), apart from any queue.
  const inlineStdout = join(TMP, 'durable-inline-stdout.log');
  servers.push(
    serverOrWhy('inline', 'receiver, inline mode', receiverUnavailable, () => ({
      script: receiverScript,
      env: { ...receiverEnv, AIRCALL_QUEUE: 'inline' },
      stdoutFile: inlineStdout,
      bodies,
      perRun: async () => ({
        check: async (outcome) => {
          const c = checkReceiverLog(inlineStdout, outcome, connections);
          if (c === undefined) return { ok: false, summary: 'the run never reached the load' };
          const summary = c.why ?? `${c.deliveries} delivery lines for ${c.requests} requests (slack ${c.slack})`;
          return {
            ok: c.matched && outcome.exit === 0,
            summary: outcome.exit === 0 ? summary : `${summary}; exit ${outcome.exit}`,
          };
        },
      }),
    })),
  );
  let run = 0;
  const sqliteFloorStdout = join(TMP, 'durable-sqlite-floor-stdout.log');
  servers.push({
    key: 'sqliteFloor',
    label: 'sqlite floor (store only)',
    script: join(ROOT, 'bench', 'servers', 'sqlite-floor.js'),
    env: {},
    stdoutFile: sqliteFloorStdout,
    bodies,
    perRun: async () => {
      const file = join(TMP, `durable-floor-${++run}.db`);
      removeDb(file);
      return {
        env: { BENCH_SQLITE_FILE: file },
        check: async (outcome) => storedPerRequest(outcome, connections, await sqliteRows(file, 'deliveries'), 'rows'),
        cleanup: async () => removeDb(file),
      };
    },
  });
  // The floor plus the acknowledgement's mandatory work, each part the receiver's own code (dist-generated/):
  // what the contract costs before the receiver's own structure (indexes for order, workers) is added.
  const contractFloorStdout = join(TMP, 'durable-sqlite-contract-floor-stdout.log');
  servers.push(
    serverOrWhy(
      'sqliteContractFloor',
      'sqlite contract floor (acknowledgement work only)',
      receiverUnavailable,
      () => ({
        script: join(ROOT, 'bench', 'servers', 'sqlite-contract-floor.js'),
        env: { AIRCALL_WEBHOOK_TOKEN: token },
        stdoutFile: contractFloorStdout,
        bodies,
        perRun: async () => {
          const file = join(TMP, `durable-contract-floor-${++run}.db`);
          removeDb(file);
          return {
            env: { BENCH_SQLITE_FILE: file },
            check: async (outcome) =>
              storedPerRequest(outcome, connections, await sqliteRows(file, 'deliveries'), 'rows'),
            cleanup: async () => removeDb(file),
          };
        },
      }),
    ),
  );
  /** The receiver in sqlite mode, a new queue file per run, checked against its log and the file's rows. */
  const sqliteReceiver = (key, label, env) => {
    if (receiverUnavailable) return { key, label, unavailable: receiverUnavailable };
    const stdoutFile = join(TMP, `durable-${key}-stdout.log`);
    return {
      key,
      label,
      script: receiverScript,
      env: { ...receiverEnv, AIRCALL_QUEUE: 'sqlite', ...env },
      stdoutFile,
      bodies,
      perRun: async () => {
        const file = join(TMP, `durable-${key}-${++run}.db`);
        removeDb(file);
        return {
          env: { AIRCALL_QUEUE_FILE: file },
          check: async (outcome) =>
            withStored(checkDurableLog(stdoutFile, outcome, connections), await sqliteRows(file), 'rows'),
          cleanup: async () => removeDb(file),
        };
      },
    };
  };
  // Handlers run in this process too (no-op stubs); one at a time, to keep out of the acknowledgements' way.
  servers.push(sqliteReceiver('sqlite', 'receiver, sqlite mode', { AIRCALL_CONCURRENCY: '1' }));
  // The same with the in-process workers off: acknowledgement alone, as the redis receiver is measured.
  servers.push(sqliteReceiver('sqliteAckOnly', 'receiver, sqlite mode, acknowledge only', { AIRCALL_WORKERS: '0' }));

  const redisWhy =
    receiverUnavailable ??
    redis.unavailable ??
    backend.unavailable ??
    (await probeRedisReceiver(receiverScript, receiverEnv));
  const versions = await packageVersions(['express', 'bullmq', 'ioredis']);
  /**
   * A BullMQ server's runs (the floor, Express): a prefix of its own each, and, as it has no log, the queue
   * must hold one job per answered request (plus the in-flight slack); its keys are deleted after.
   */
  const bullmqPerRun = (what) => async () => {
    const prefix = prefixFor(what);
    return {
      env: { BENCH_REDIS_PREFIX: prefix },
      check: async (outcome) => storedPerRequest(outcome, connections, await bullmqJobs(prefix, 'aircall'), 'jobs'),
      cleanup: async () => {
        await deleteKeys(redis.client, prefix);
      },
    };
  };
  const bullmqFloorStdout = join(TMP, 'durable-bullmq-floor-stdout.log');
  const bullmqFloorWhy = redis.unavailable ?? versions.unavailable;
  const bullmqFloorLabel = `bullmq ${versions.bullmq ?? '?'} floor (addBulk only)`;
  servers.push(
    serverOrWhy('bullmqFloor', bullmqFloorLabel, bullmqFloorWhy, () => ({
      script: join(ROOT, 'bench', 'servers', 'bullmq-addbulk.js'),
      env: { BENCH_REDIS_URL: REDIS_URL, BENCH_QUEUE_NAME: 'aircall' },
      stdoutFile: bullmqFloorStdout,
      bodies,
      perRun: bullmqPerRun('floor'),
    })),
  );
  const redisStdout = join(TMP, 'durable-redis-stdout.log');
  servers.push(
    serverOrWhy('redis', 'receiver, redis mode', redisWhy, () => ({
      script: receiverScript,
      // The receiver only acknowledges (AIRCALL_WORKERS=0): workers are measured apart, below.
      env: { ...receiverEnv, AIRCALL_QUEUE: 'redis', AIRCALL_REDIS_URL: REDIS_URL, AIRCALL_WORKERS: '0' },
      stdoutFile: redisStdout,
      bodies,
      perRun: async () => {
        const prefix = prefixFor('rx');
        return {
          env: { AIRCALL_REDIS_PREFIX: prefix },
          check: async (outcome) => {
            const logCheck = checkDurableLog(redisStdout, outcome, connections);
            const { stored, unlogged } = await redisJobs(backend.createRedisQueue, prefix, logCheck);
            return withStored(logCheck, stored, 'jobs', unlogged);
          },
          cleanup: async () => {
            await deleteKeys(redis.client, prefix);
          },
        };
      },
    })),
  );

  const expressStdout = join(TMP, 'durable-express-bullmq-stdout.log');
  const expressWhy = redis.unavailable ?? versions.unavailable;
  const expressLabel = `express ${versions.express ?? '?'} + bullmq ${versions.bullmq ?? '?'}`;
  servers.push(
    serverOrWhy('expressBullmq', expressLabel, expressWhy, () => ({
      script: join(ROOT, 'bench', 'servers', 'express-bullmq.js'),
      env: { AIRCALL_WEBHOOK_TOKEN: token, BENCH_REDIS_URL: REDIS_URL, BENCH_QUEUE_NAME: 'aircall' },
      stdoutFile: expressStdout,
      bodies,
      perRun: bullmqPerRun('bullmq'),
    })),
  );
  return servers;
}

async function probeRedisReceiver(receiverScript, receiverEnv) {
  const prefix = prefixFor('probe');
  const why = await probeStart(receiverScript, {
    ...receiverEnv,
    AIRCALL_QUEUE: 'redis',
    AIRCALL_REDIS_URL: REDIS_URL,
    AIRCALL_REDIS_PREFIX: prefix,
    AIRCALL_WORKERS: '0',
  });
  const { client } = await connectRedis();
  if (client) {
    await deleteKeys(client, prefix);
    client.disconnect();
  }
  return why === undefined ? undefined : `the receiver does not start with AIRCALL_QUEUE=redis: ${why}`;
}

async function packageVersions(names) {
  /** @type {Record<string, string> & { unavailable?: string }} */
  const versions = {};
  for (const name of names) {
    const file = join(ROOT, 'bench', 'node_modules', name, 'package.json');
    if (!existsSync(file)) {
      versions.unavailable = `${name} is not installed in bench/ (npm ci --prefix bench)`;
      continue;
    }
    versions[name] = JSON.parse(readFileSync(file, 'utf8')).version;
  }
  return versions;
}

/** Fills a queue with `count` distinct deliveries through the receiver's own queue module. */
async function fillQueue(queue, count, example) {
  const { canonicalJson, keyOfCanonical } = await import(join(ROOT, 'dist', 'queue', 'dedupe-key.js'));
  const now = Date.now();
  const batch = 500;
  for (let start = 0; start < count; start += batch) {
    const writes = [];
    for (let n = start; n < Math.min(count, start + batch); n++) {
      const id = 800_000_000 + n;
      const body = canonicalJson({ ...example, data: { ...example.data, id } });
      writes.push(
        queue.enqueue(
          {
            key: keyOfCanonical(body),
            event: example.event,
            objectKey: `call:${id}`,
            timestamp: example.timestamp,
            body,
            receivedAt: now,
          },
          now,
        ),
      );
    }
    const outcomes = await Promise.all(writes);
    const notQueued = outcomes.filter((o) => o !== 'queued').length;
    if (notQueued > 0) throw new Error(`filling the queue: ${notQueued} enqueues answered other than queued`);
  }
}

/**
 * Starts `processes` (script + env each) on a filled queue and polls `remaining()` until nothing is left:
 * handled deliveries per second from the first spawn (process start included) to the poll that saw the
 * queue empty. Valid only when the workers' logs have exactly one "handled" line per delivery.
 */
async function drain({ name, processes, remaining, count }) {
  const started = performance.now();
  const running = processes.map((p, i) =>
    startServer(p.script, {
      cwd: TMP,
      env: { ...process.env, ...p.env },
      stdoutFile: join(TMP, `workers-${name}-${i + 1}.log`),
    }),
  );
  try {
    let left = count;
    let exited = false;
    for (const r of running) r.exited.then(() => (exited = true));
    while (left > 0 && !exited && performance.now() - started < DRAIN_LIMIT_MS) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      left = await remaining();
    }
    const seconds = (performance.now() - started) / 1000;
    if (exited && left > 0) {
      const why = running
        .map((r) => r.stderr().trim())
        .filter(Boolean)
        .join(' / ');
      return { name, invalid: `a worker process exited with ${left} deliveries left: ${why.slice(0, 400)}` };
    }
    if (left > 0) return { name, invalid: `${left} of ${count} not handled after ${DRAIN_LIMIT_MS / 1000} s` };
    return { name, count, seconds, perSecond: count / seconds };
  } finally {
    // Stopped before the logs are read: the log writer flushes on exit.
    await Promise.all(running.map((r) => stopServer(r)));
  }
}

async function finishDrain(result, files, count, log) {
  if (result.invalid) {
    log(`  workers ${result.name}: INVALID: ${result.invalid}`);
    return result;
  }
  const { handled, otherAttempts, repeated } = countHandled(files);
  const checked = { ...result, handled, otherAttempts };
  if (handled !== count || otherAttempts > 0) {
    const again = repeated.length > 0 ? `; handled twice: ${repeated.slice(0, 3).join(', ')}` : '';
    checked.invalid = `${handled} "handled" lines and ${otherAttempts} other attempt lines for ${count} deliveries${again}`;
  }
  log(
    `  workers ${result.name}: ${count} in ${result.seconds.toFixed(2)} s = ${Math.round(result.perSecond)}/s; log: ${handled} handled, ${otherAttempts} other attempts${checked.invalid ? ' INVALID' : ''}`,
  );
  return checked;
}

async function sqliteWorkers({ receiverScript, receiverEnv, example, workerJobs, log }) {
  const file = join(TMP, 'workers.db');
  removeDb(file);
  const { createSqliteQueue } = await import(join(ROOT, 'dist', 'queue', 'sqlite.js'));
  const filling = createSqliteQueue({ file });
  await fillQueue(filling, workerJobs, example);
  await filling.close();
  const { loadSqliteDriver } = await import(join(ROOT, 'dist', 'queue', 'sqlite-driver.js'));
  const Database = loadSqliteDriver();
  const reader = new Database(file, { readonly: true });
  const left = reader.prepare(`SELECT count(*) AS n FROM aircall_jobs WHERE state != 'done'`);
  const port = await freePort();
  try {
    const result = await drain({
      name: 'sqlite',
      processes: [
        {
          script: receiverScript,
          env: { ...receiverEnv, AIRCALL_QUEUE: 'sqlite', AIRCALL_QUEUE_FILE: file, PORT: String(port), HOST },
        },
      ],
      remaining: async () => left.get().n,
      count: workerJobs,
    });
    return await finishDrain(result, [join(TMP, 'workers-sqlite-1.log')], workerJobs, log);
  } finally {
    reader.close();
    removeDb(file);
  }
}

async function redisWorkers({ workers, workerScript, receiverEnv, example, workerJobs, redis, backend, log }) {
  const prefix = prefixFor(`w${workers}`);
  const queue = await backend.createRedisQueue({ url: REDIS_URL, prefix });
  try {
    await fillQueue(queue, workerJobs, example);
    const env = { ...receiverEnv, AIRCALL_QUEUE: 'redis', AIRCALL_REDIS_URL: REDIS_URL, AIRCALL_REDIS_PREFIX: prefix };
    const name = `redis-${workers}`;
    const result = await drain({
      name,
      processes: Array.from({ length: workers }, () => ({ script: workerScript, env })),
      remaining: async () => {
        const { counts } = await queue.status(Date.now());
        return counts.pending + counts.running;
      },
      count: workerJobs,
    });
    const files = Array.from({ length: workers }, (_, i) => join(TMP, `workers-${name}-${i + 1}.log`));
    return await finishDrain(result, files, workerJobs, log);
  } finally {
    await queue.close();
    await deleteKeys(redis.client, prefix);
  }
}

/** Every durable figure: the acknowledgement settings (shared, pinned) and worker throughput. */
export async function benchDurable({
  receiverScript,
  receiverUnavailable,
  workerScript,
  receiverEnv,
  example,
  token,
  rounds,
  connections,
  duration,
  warmup,
  cores,
  workerJobs,
  log,
}) {
  const redis = await connectRedis();
  const backend = redis.unavailable ? { unavailable: redis.unavailable } : await redisBackendModule();
  const bodies = distinctBodies(example, token);
  const fsync = fsyncLatency(TMP);
  log(
    `  fdatasync of ${fsync.bytes / 1024} KB appends in ${TMP}: p50 ${fsync.p50.toFixed(3)} ms, p90 ${fsync.p90.toFixed(3)} ms, p99 ${fsync.p99.toFixed(3)} ms`,
  );
  try {
    const servers = await ackServers({
      receiverScript,
      receiverUnavailable,
      receiverEnv,
      bodies,
      redis,
      backend,
      token,
      connections,
    });
    for (const s of servers.filter((s) => s.unavailable)) log(`  ${s.key}: unavailable: ${s.unavailable}`);
    const common = { connections, duration, warmup, log };
    const settings = await benchSettings({ title: 'durable, ', servers, rounds, cores, common });

    log('\n-- durable, worker throughput (no-op stub handlers)');
    const workers = [];
    workers.push(
      receiverUnavailable
        ? { name: 'sqlite', unavailable: receiverUnavailable }
        : await sqliteWorkers({ receiverScript, receiverEnv, example, workerJobs, log }).catch((error) => ({
            name: 'sqlite',
            invalid: error.message,
          })),
    );
    const workerWhy =
      receiverUnavailable ??
      redis.unavailable ??
      backend.unavailable ??
      (existsSync(workerScript)
        ? undefined
        : `${workerScript.slice(ROOT.length + 1)} is absent (no worker entry in generated/)`);
    for (const n of [1, 2]) {
      if (workerWhy) {
        workers.push({ name: `redis-${n}`, unavailable: workerWhy });
        continue;
      }
      workers.push(
        await redisWorkers({ workers: n, workerScript, receiverEnv, example, workerJobs, redis, backend, log }).catch(
          (error) => ({
            name: `redis-${n}`,
            invalid: error.message,
          }),
        ),
      );
    }
    return { settings, workers, bodies: bodies.made, workerJobs: workerJobs, fsync };
  } finally {
    redis.client?.disconnect();
  }
}
