// The floor under the redis mode: what one BullMQ job costs, client CPU (this process) and redis-server CPU,
// when stored with `queue.add` (50 at a time, as 50 connections of an Express server would) or with
// `queue.addBulk` of 50; and the same figures for the receiver's own Redis backend (dist/queue/redis.js, or
// the builds named on the command line), 50 concurrent enqueues at a time. Runs a private redis-server on a
// free port (no persistence), so that no other user of the shared Redis is measured.
// Usage: node bench/bullmq-floor.js [--jobs N] [--rounds R] [label=path/to/dist/queue/redis.js ...]
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { BODY_EXAMPLE, ROOT } from './lib/paths.js';

const argv = process.argv.slice(2);
const flag = (/** @type {string} */ name, /** @type {number} */ fallback) => {
  const at = argv.indexOf(name);
  return at === -1 ? fallback : Number(argv[at + 1]);
};
const JOBS = flag('--jobs', 10_000);
const ROUNDS = flag('--rounds', 3);
const AT_ONCE = 50;
const builds = argv.filter((arg) => arg.includes('='));
if (builds.length === 0) builds.push(`receiver=${join(ROOT, 'dist', 'queue', 'redis.js')}`);

const example = JSON.parse(readFileSync(BODY_EXAMPLE, 'utf8'));
let nextId = 100_000_000;
const body = () => ({ ...example, data: { ...example.data, id: nextId++ } });

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  await new Promise((resolve) => server.close(() => resolve(undefined)));
  return port;
}

const port = await freePort();
const child = spawn(
  'redis-server',
  ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
  {
    stdio: 'ignore',
  },
);
const url = `redis://127.0.0.1:${port}`;
const admin = new Redis(url, { maxRetriesPerRequest: null });
for (let tries = 0; ; tries++) {
  try {
    await admin.ping();
    break;
  } catch (error) {
    if (tries > 100) throw error;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** redis-server's CPU seconds (user + system), from /proc (the same as INFO cpu, without a command). */
function redisCpu() {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks (USER_HZ 100)
}

/**
 * Runs `work` (which stores `JOBS` jobs) and returns µs per job of this process and of redis-server.
 * @param {() => Promise<void>} work
 */
async function measure(work) {
  const redisBefore = redisCpu();
  const before = process.cpuUsage();
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  const used = process.cpuUsage(before);
  const redisUsed = redisCpu() - redisBefore;
  return {
    client: (used.user + used.system) / JOBS,
    redis: (redisUsed * 1e6) / JOBS,
    perSecond: (JOBS * 1000) / ms,
  };
}

/** @type {Record<string, () => Promise<() => Promise<void>>>} */
const cases = {
  'bullmq add, 50 at a time': async () => {
    const connection = new Redis(url, { maxRetriesPerRequest: null });
    const queue = new Queue('floor', { connection, prefix: `redspeed-add-${nextId}` });
    const bodies = Array.from({ length: JOBS }, body);
    return async () => {
      for (let at = 0; at < JOBS; at += AT_ONCE)
        await Promise.all(bodies.slice(at, at + AT_ONCE).map((data) => queue.add(data.event, data)));
      await queue.close();
      connection.disconnect();
    };
  },
  'bullmq addBulk of 50': async () => {
    const connection = new Redis(url, { maxRetriesPerRequest: null });
    const queue = new Queue('floor', { connection, prefix: `redspeed-bulk-${nextId}` });
    const bodies = Array.from({ length: JOBS }, body);
    return async () => {
      for (let at = 0; at < JOBS; at += AT_ONCE)
        await queue.addBulk(bodies.slice(at, at + AT_ONCE).map((data) => ({ name: data.event, data })));
      await queue.close();
      connection.disconnect();
    };
  },
  // The jobs as the receiver stores them: id = dedupe key, the body as canonical JSON text, its options.
  'bullmq addBulk of 50, receiver-shaped jobs': async () => {
    const connection = new Redis(url, { maxRetriesPerRequest: null });
    const queue = new Queue('floor', { connection, prefix: `redspeed-shaped-${nextId}` });
    const jobs = Array.from({ length: JOBS }, (_, seq) => {
      const data = body();
      const text = JSON.stringify(data);
      return {
        name: data.event,
        data: {
          event: data.event,
          objectKey: `call:${data.data.id}`,
          timestamp: data.timestamp,
          body: text,
          receivedAt: Date.now(),
          seq,
        },
        opts: {
          jobId: createHash('sha256').update(text).digest('hex'),
          delay: 0,
          attempts: 1,
          removeOnComplete: { age: 86_400 },
          removeOnFail: false,
          stackTraceLimit: 0,
        },
      };
    });
    return async () => {
      for (let at = 0; at < JOBS; at += AT_ONCE) await queue.addBulk(jobs.slice(at, at + AT_ONCE));
      await queue.close();
      connection.disconnect();
    };
  },
};
for (const build of builds) {
  const [label, file] = build.split('=');
  cases[`${label}: enqueue, 50 at a time`] = async () => {
    const { createRedisQueue } = await import(pathToFileURL(file).href);
    const backend = await createRedisQueue({ url, prefix: `redspeed-rx-${nextId}` });
    const jobs = Array.from({ length: JOBS }, () => {
      const data = body();
      const text = JSON.stringify(data);
      return {
        key: createHash('sha256').update(text).digest('hex'),
        event: data.event,
        objectKey: `call:${data.data.id}`,
        timestamp: data.timestamp,
        body: text,
        receivedAt: Date.now(),
      };
    });
    return async () => {
      for (let at = 0; at < JOBS; at += AT_ONCE) {
        const outcomes = await Promise.all(jobs.slice(at, at + AT_ONCE).map((job) => backend.enqueue(job, Date.now())));
        if (outcomes.some((outcome) => outcome !== 'queued')) throw new Error(`not queued: ${outcomes.join(' ')}`);
      }
      await backend.close();
    };
  };
}

const median = (/** @type {number[]} */ values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
try {
  /** @type {Record<string, { client: number, redis: number, perSecond: number }[]>} */
  const results = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, prepare] of Object.entries(cases)) {
      const work = await prepare();
      results[name] = [...(results[name] ?? []), await measure(work)];
      await admin.flushall(); // the private server only
    }
  }
  console.log(
    `${JOBS} jobs per case, ${ROUNDS} rounds (medians); load average ${(await import('node:os'))
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
  console.log('| case | client CPU µs/job | redis-server CPU µs/job | jobs/s |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [name, runs] of Object.entries(results)) {
    const m = (/** @type {'client' | 'redis' | 'perSecond'} */ k) => median(runs.map((r) => r[k]));
    console.log(`| ${name} | ${m('client').toFixed(1)} | ${m('redis').toFixed(1)} | ${Math.round(m('perSecond'))} |`);
  }
} finally {
  admin.disconnect();
  child.kill('SIGKILL');
}
