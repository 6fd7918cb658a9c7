// Baseline for the redis mode: what a user would write by hand to put Aircall webhooks on a BullMQ queue.
// Express with express.json(), a constant-time token check, then `await queue.add(...)` on the same Redis;
// 200 once BullMQ resolved the add (the job is in Redis), 503 when it failed. No validation, no dedupe.
// Env: PORT, HOST, AIRCALL_WEBHOOK_TOKEN, BENCH_REDIS_URL, BENCH_REDIS_PREFIX, BENCH_QUEUE_NAME.
import { timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { Queue } from 'bullmq';
import express from 'express';
import { Redis } from 'ioredis';
import { listen } from './listen.js';

const expected = Buffer.from(process.env.AIRCALL_WEBHOOK_TOKEN ?? '');
if (expected.length === 0) throw new Error('AIRCALL_WEBHOOK_TOKEN is not set');

/** @param {unknown} token */
function tokenOk(token) {
  if (typeof token !== 'string') return false;
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const connection = new Redis(process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
const queue = new Queue(process.env.BENCH_QUEUE_NAME ?? 'aircall', {
  connection,
  prefix: process.env.BENCH_REDIS_PREFIX ?? 'bull',
});

const app = express();
app.use(express.json());
app.post('/aircall/webhook', async (req, res) => {
  const { token, ...event } = req.body ?? {};
  if (!tokenOk(token)) {
    res.sendStatus(401);
    return;
  }
  try {
    await queue.add(String(event.event), event);
    res.json({ ok: true });
  } catch {
    res.sendStatus(503);
  }
});

listen(createServer(app), async () => {
  await queue.close();
  connection.disconnect();
});
