// `aircall-gen inbox`: look into and repair the durable queue of a receiver, in sqlite mode (a file) or redis
// mode (`--redis URL`). It opens the queue with the receiver's own queue modules (runtime/receiver/queue,
// compiled into dist/queue), so the two can never disagree on the format.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../../errors.js';
import type { Io } from '../io.js';

export interface InboxFlags {
  db?: string;
  redis?: string;
  prefix?: string;
  json?: boolean;
  state?: string;
  limit?: string;
  dead?: boolean;
  done?: boolean;
  olderThan?: string;
}

type State = 'pending' | 'running' | 'done' | 'dead';
const STATES: readonly State[] = ['pending', 'running', 'done', 'dead'];

/** The part of the queue contract (runtime/receiver/queue/contract.ts) the CLI uses; a test checks they agree. */
export interface InboxQueue {
  status(now: number): Promise<{ counts: Readonly<Record<State, number>>; oldestPendingMs: number | null }>;
  list(
    state: State,
    limit: number,
  ): Promise<
    {
      key: string;
      event: string;
      state: State;
      attempts: number;
      receivedAt: number;
      updatedAt: number;
      availableAt: number;
      lastError: string | null;
    }[]
  >;
  retry(target: { id: string } | { dead: true }, now: number): Promise<number>;
  purge(state: 'done' | 'dead', now: number, olderThanMs: number): Promise<number>;
  close(): Promise<void>;
}

/** The compiled queue module's exports used here. */
export interface QueueModule {
  createSqliteQueue(options: { file: string; mustExist: boolean }): InboxQueue;
  DEFAULT_QUEUE_FILE: string;
}

/** The compiled Redis backend's exports used here. */
export interface RedisQueueModule {
  createRedisQueue(options: { url: string; prefix: string }): Promise<InboxQueue>;
  DEFAULT_REDIS_PREFIX: string;
}

/** dist/queue/*.js, from dist/cli/commands or src/cli/commands alike (both three levels down). */
const QUEUE_MODULE = new URL('../../../dist/queue/sqlite.js', import.meta.url);
const REDIS_QUEUE_MODULE = new URL('../../../dist/queue/redis.js', import.meta.url);

/** A Redis URL as printed: its password replaced, nothing else changed (as the receiver logs it). */
export function redactRedisUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^@/:]*):[^@/]*@/i, '$1:***@');
}

async function openRedisQueue(flags: InboxFlags & { redis: string }): Promise<{ queue: InboxQueue; file: string }> {
  const mod = (await import(REDIS_QUEUE_MODULE.href)) as RedisQueueModule;
  const prefix = flags.prefix ?? process.env['AIRCALL_REDIS_PREFIX'] ?? mod.DEFAULT_REDIS_PREFIX;
  const where = `${redactRedisUrl(flags.redis)} prefix ${prefix}`;
  if (!/^rediss?:\/\/[^/]/.test(flags.redis)) {
    throw new UserError(`Not a Redis URL: "${redactRedisUrl(flags.redis)}".`, {
      hint: 'Pass --redis with the AIRCALL_REDIS_URL of the receiver, e.g. --redis redis://127.0.0.1:6379.',
    });
  }
  try {
    return { queue: await mod.createRedisQueue({ url: flags.redis, prefix }), file: where };
  } catch (cause) {
    const missing = (cause as Error).name === 'RedisDriverMissingError';
    throw new UserError(
      missing ? (cause as Error).message : `Cannot reach Redis at ${where}: ${(cause as Error).message}`,
      {
        hint: missing ? undefined : "Check --redis (the receiver's AIRCALL_REDIS_URL) and that Redis is running.",
        cause,
      },
    );
  }
}

async function openQueue(flags: InboxFlags): Promise<{ queue: InboxQueue; file: string }> {
  if (flags.redis !== undefined && flags.db !== undefined) {
    throw new UserError('Pass --db (sqlite mode) or --redis (redis mode), not both.');
  }
  if (flags.redis !== undefined) return openRedisQueue({ ...flags, redis: flags.redis });
  if (flags.prefix !== undefined) {
    throw new UserError('--prefix goes with --redis.', {
      hint: 'aircall-gen inbox status --redis redis://127.0.0.1:6379 --prefix aircall',
    });
  }
  const mod = (await import(QUEUE_MODULE.href)) as QueueModule;
  const file = resolve(flags.db ?? process.env['AIRCALL_QUEUE_FILE'] ?? mod.DEFAULT_QUEUE_FILE);
  if (!existsSync(file)) {
    throw new UserError(`No queue file at ${file}.`, {
      hint: 'Pass --db with the AIRCALL_QUEUE_FILE of the receiver (it creates the file when it starts in sqlite mode).',
    });
  }
  try {
    return { queue: mod.createSqliteQueue({ file, mustExist: true }), file };
  } catch (cause) {
    throw new UserError(`Cannot open the queue file: ${(cause as Error).message}`, { location: file, cause });
  }
}

async function withQueue(
  flags: InboxFlags,
  use: (queue: InboxQueue, file: string) => Promise<number>,
): Promise<number> {
  const { queue, file } = await openQueue(flags);
  try {
    return await use(queue, file);
  } finally {
    await queue.close();
  }
}

/** `7d`, `12h`, `30m`, `45s`, `500ms` -> milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (match === null) {
    throw new UserError(`Not a duration: "${text}".`, { hint: 'Write a number and a unit: 500ms, 45s, 30m, 12h, 7d.' });
  }
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

/** A duration as a person reads it: `3d 4h`, `12m 5s`, `800ms`. */
export function formatAge(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  const parts: string[] = [];
  let rest = Math.floor(ms / 1_000);
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) parts.push(`${Math.floor(rest / size)}${unit}`);
    rest %= size;
  }
  return parts.slice(0, 2).join(' ');
}

export function inboxStatusCommand(flags: InboxFlags, io: Io): Promise<number> {
  return withQueue(flags, async (queue, file) => {
    const status = await queue.status(Date.now());
    if (flags.json) {
      io.out(JSON.stringify({ file, ...status }));
      return 0;
    }
    io.out(file);
    for (const state of STATES) {
      const oldest =
        state === 'pending' && status.oldestPendingMs !== null ? `  (oldest ${formatAge(status.oldestPendingMs)})` : '';
      io.out(`  ${state.padEnd(8)}${String(status.counts[state]).padStart(8)}${oldest}`);
    }
    return 0;
  });
}

function stateFrom(text: string | undefined): State {
  const state = (text ?? 'dead') as State;
  if (!STATES.includes(state)) {
    throw new UserError(`Unknown state "${text}".`, { hint: `Use --state with one of ${STATES.join(', ')}.` });
  }
  return state;
}

export function inboxListCommand(flags: InboxFlags, io: Io): Promise<number> {
  const state = stateFrom(flags.state);
  const limit = Number(flags.limit ?? '100');
  if (!Number.isInteger(limit) || limit < 1) throw new UserError(`--limit must be a positive integer.`);
  return withQueue(flags, async (queue) => {
    const jobs = await queue.list(state, limit);
    if (flags.json) {
      for (const job of jobs) io.out(JSON.stringify({ id: job.key.slice(0, 16), ...job }));
      return 0;
    }
    if (jobs.length === 0) io.out(`no ${state} deliveries`);
    for (const job of jobs) {
      const error = job.lastError === null ? '' : `  ${job.lastError}`;
      const when = new Date(job.updatedAt).toISOString();
      io.out(`${job.key.slice(0, 16)}  ${job.event}  attempts ${job.attempts}  ${when}${error}`);
    }
    return 0;
  });
}

export function inboxRetryCommand(id: string | undefined, flags: InboxFlags, io: Io): Promise<number> {
  if ((id === undefined) === !flags.dead) {
    throw new UserError('Name one delivery id, or pass --dead for every dead one.', {
      hint: 'aircall-gen inbox retry 3f2a9c0d1e4b5a6c   or   aircall-gen inbox retry --dead',
    });
  }
  if (id !== undefined && !/^[0-9a-f]{8,64}$/.test(id)) {
    throw new UserError(`Not a delivery id: "${id}".`, { hint: 'Use the id of a log line or of `inbox list`.' });
  }
  return withQueue(flags, async (queue) => {
    const changed = await queue.retry(id === undefined ? { dead: true } : { id }, Date.now());
    if (changed === 0 && id !== undefined) {
      io.err(`no dead or waiting delivery with id ${id}`);
      return 1;
    }
    io.out(`${changed} ${changed === 1 ? 'delivery' : 'deliveries'} back to pending`);
    return 0;
  });
}

export function inboxPurgeCommand(flags: InboxFlags, io: Io): Promise<number> {
  if (flags.done === flags.dead) {
    throw new UserError('Say what to purge: --done or --dead.', {
      hint: 'aircall-gen inbox purge --done --older-than 7d',
    });
  }
  const state = flags.done ? 'done' : 'dead';
  const olderThanMs = parseDuration(flags.olderThan ?? '0ms');
  return withQueue(flags, async (queue) => {
    const removed = await queue.purge(state, Date.now(), olderThanMs);
    io.out(`${removed} ${state} ${removed === 1 ? 'delivery' : 'deliveries'} removed`);
    return 0;
  });
}
