// Floor under the redis mode: the least a BullMQ-backed acknowledgement with one job per delivery does, so
// that "redis / bare" can be read against what per-delivery BullMQ jobs allow on this machine. (The receiver
// stores a turn's deliveries as one inbox job and spreads them on the workers, so it can run above this.)
// node:http, read the body, `JSON.parse`; the requests read in one event-loop turn go to Redis together in
// one `queue.addBulk` (one job each), and each is answered 200 once that addBulk resolved (503 if it
// failed). Nothing else: no token check, no validation, no dedupe, no per-object order, no log line.
// Env: PORT, HOST, BENCH_REDIS_URL, BENCH_REDIS_PREFIX, BENCH_QUEUE_NAME.
import { createServer } from 'node:http';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { listen } from './listen.js';

const connection = new Redis(process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
const queue = new Queue(process.env.BENCH_QUEUE_NAME ?? 'aircall', {
  connection,
  prefix: process.env.BENCH_REDIS_PREFIX ?? 'bull',
});

const OK = Buffer.from('{"ok":true}');
const HEADERS = { 'content-type': 'application/json', 'content-length': OK.length };

/** @type {{ event: Record<string, unknown>, res: import('node:http').ServerResponse }[]} */
let batch = [];

function flush() {
  const sent = batch;
  batch = [];
  queue.addBulk(sent.map(({ event }) => ({ name: String(event.event), data: event }))).then(
    () => {
      for (const { res } of sent) res.writeHead(200, HEADERS).end(OK);
    },
    () => {
      for (const { res } of sent) res.writeHead(503).end();
    },
  );
}

const server = createServer((req, res) => {
  /** @type {Buffer[]} */
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    let event;
    try {
      event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400).end();
      return;
    }
    batch.push({ event, res });
    if (batch.length === 1) setImmediate(flush);
  });
});

listen(server, async () => {
  await queue.close();
  connection.disconnect();
});
