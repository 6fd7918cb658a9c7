// Redis backends under their own key prefix on the machine's Redis (127.0.0.1:6379 unless REDIS_URL says
// otherwise), for the contract suite. Each backend reaches Redis through a small TCP proxy, so that
// `breakStorage` can cut it off (Redis down, as far as that backend can tell) without touching the server
// other tests share. Cleanup deletes the prefix's keys (SCAN + DEL), never the whole database.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { loadRedisDriver, type RedisClient } from '../../../runtime/receiver/queue/redis-driver.js';
import { createRedisQueue } from '../../../runtime/receiver/queue/redis.js';
import type { QueueBackend } from '../../../runtime/receiver/queue/contract.js';
import type { BackendFactory } from './contract-suite.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh prefix, so that tests can share one Redis. */
export function uniquePrefix(): string {
  return `aircall-test-${randomBytes(6).toString('hex')}`;
}

/** Deletes every key under `prefix` (SCAN + DEL: never FLUSHALL). */
export async function deletePrefix(client: RedisClient, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, found] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (found.length > 0) deleted += await client.del(...found);
  } while (cursor !== '0');
  return deleted;
}

/** A TCP proxy to Redis that can be cut: every connection through it dropped, new ones refused. */
async function proxy(target: URL): Promise<{ url: string; cut(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 6379), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}`,
    cut: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

export const redisFactory: BackendFactory = async (options = {}) => {
  const prefix = uniquePrefix();
  const through = await proxy(new URL(REDIS_URL));
  const open = (url: string) => createRedisQueue({ url, prefix, commandTimeoutMs: 1_000, ...options });
  const backend = await open(through.url);
  const handles: QueueBackend[] = [backend];
  return {
    backend,
    async reopen() {
      const other = await open(REDIS_URL);
      handles.push(other);
      return other;
    },
    breakStorage: () => through.cut(),
    async cleanup() {
      await through.cut();
      for (const handle of handles) await handle.close().catch(() => undefined);
      const { Redis } = loadRedisDriver();
      const client = new Redis(REDIS_URL);
      try {
        await deletePrefix(client, prefix);
      } finally {
        await client.quit();
      }
    },
  };
};

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  /** SIGKILL: the server is gone at once, as after a crash. */
  kill(): Promise<void>;
  /**
   * SIGSTOP: the server keeps its connections but answers nothing, as behind a network partition (a
   * command then waits until its own timeout, and one without a timeout for ever). `kill` still ends it.
   */
  freeze(): void;
}

/**
 * A redis-server of this test's own, on a free port, keeping nothing on disk unless `args` say otherwise:
 * for tests that stop Redis or need another configuration than the shared server's.
 */
export async function startPrivateRedis(args: string[] = [], port?: number): Promise<PrivateRedis> {
  const at = port ?? (await freePort());
  const child = spawn(
    'redis-server',
    ['--port', String(at), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `redis://127.0.0.1:${at}`;
  const { Redis } = loadRedisDriver();
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    const up = await probe.ping().then(
      () => true,
      () => false,
    );
    probe.disconnect();
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not start on port ${at}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    port: at,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    freeze() {
      child.kill('SIGSTOP');
    },
  };
}
