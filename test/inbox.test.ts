// `aircall-gen inbox`: status, list, retry and purge on a real queue file written by the receiver's queue module.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisQueue } from '../runtime/receiver/queue/redis.js';
import { loadRedisDriver } from '../runtime/receiver/queue/redis-driver.js';
import { createSqliteQueue } from '../runtime/receiver/queue/sqlite.js';
import type { InboxQueue, QueueModule, RedisQueueModule } from '../src/cli/commands/inbox.js';
import { formatAge, parseDuration } from '../src/cli/commands/inbox.js';
import { cli } from './support/cli.js';
import { job } from './queue/support/contract-suite.js';
import { deletePrefix, REDIS_URL, uniquePrefix } from './queue/support/redis-fixture.js';

// The CLI declares the part of the queue it uses; the runtime's module must fit it (a compile error otherwise).
const fits: QueueModule['createSqliteQueue'] = createSqliteQueue satisfies (options: {
  file: string;
  mustExist: boolean;
}) => InboxQueue;
const fitsRedis: RedisQueueModule['createRedisQueue'] = createRedisQueue satisfies (options: {
  url: string;
  prefix: string;
}) => Promise<InboxQueue>;

const dir = await mkdtemp(join(tmpdir(), 'aircall-inbox-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A queue file with one delivery in each state: pending, running, done, dead. */
async function populated(name: string) {
  const file = join(dir, name);
  const queue = fits({ file, mustExist: false }) as ReturnType<typeof createSqliteQueue>;
  const now = Date.now();
  const jobs = [1, 2, 3, 4].map((id) => job({ id }));
  for (const j of jobs) await queue.enqueue({ ...j, receivedAt: now - 60_000 }, now);
  const [running, done, dead] = await queue.claim(3, now);
  await queue.complete(done!.key, now - 10 * 86_400_000); // finished ten days ago
  await queue.fail(dead!.key, 'Error: CRM said 500', null, now);
  await queue.close();
  return { file, running: running!, dead: dead!, pending: jobs[3]! };
}

describe('aircall-gen inbox', () => {
  it('status counts each state and gives the oldest pending age', async () => {
    const { file } = await populated('status.db');
    const json = await cli(['inbox', 'status', '--db', file, '--json']);
    expect(json.code).toBe(0);
    const status = JSON.parse(json.stdout);
    expect(status.counts).toEqual({ pending: 1, running: 1, done: 1, dead: 1 });
    expect(status.oldestPendingMs).toBeGreaterThanOrEqual(60_000);
    const text = await cli(['inbox', 'status', '--db', file]);
    expect(text.stdout).toMatch(/pending\s+1 {2}\(oldest 1m/);
    expect(text.stdout).toMatch(/dead\s+1/);
  });

  it('list --state dead shows the id, event, attempts and last error', async () => {
    const { file, dead } = await populated('list.db');
    const result = await cli(['inbox', 'list', '--state', 'dead', '--db', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(dead.key.slice(0, 16));
    expect(result.stdout).toMatch(/call\.created {2}attempts 1 .* Error: CRM said 500/);
    expect((await cli(['inbox', 'list', '--state', 'sleeping', '--db', file])).code).toBe(2);
  });

  it('retry <id> brings a dead delivery back to pending; --dead brings all; an unknown id exits 1', async () => {
    const { file, dead } = await populated('retry.db');
    const one = await cli(['inbox', 'retry', dead.key.slice(0, 16), '--db', file]);
    expect(one).toMatchObject({ code: 0, stdout: '1 delivery back to pending' });
    const status = JSON.parse((await cli(['inbox', 'status', '--db', file, '--json'])).stdout);
    expect(status.counts).toMatchObject({ pending: 2, dead: 0 });
    expect((await cli(['inbox', 'retry', 'deadbeefdeadbeef', '--db', file])).code).toBe(1);
    expect((await cli(['inbox', 'retry', '--dead', '--db', file])).stdout).toBe('0 deliveries back to pending');
    expect((await cli(['inbox', 'retry', '--db', file])).code).toBe(2);
    expect((await cli(['inbox', 'retry', 'not-an-id', '--db', file])).code).toBe(2);
  });

  it('purge --done --older-than removes old done deliveries only', async () => {
    const { file } = await populated('purge.db');
    expect((await cli(['inbox', 'purge', '--done', '--older-than', '30d', '--db', file])).stdout).toBe(
      '0 done deliveries removed',
    );
    expect((await cli(['inbox', 'purge', '--done', '--older-than', '7d', '--db', file])).stdout).toBe(
      '1 done delivery removed',
    );
    expect((await cli(['inbox', 'purge', '--older-than', '7d', '--db', file])).code).toBe(2);
  });

  it('a missing queue file is a user error naming it, and nothing is created', async () => {
    const file = join(dir, 'missing.db');
    const result = await cli(['inbox', 'status', '--db', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`No queue file at ${file}`);
    expect(existsSync(file)).toBe(false);
  });

  it.each([
    ['500ms', 500],
    ['45s', 45_000],
    ['30m', 1_800_000],
    ['12h', 43_200_000],
    ['7d', 604_800_000],
  ])('parseDuration(%s)', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('parseDuration refuses other text; formatAge keeps two units', () => {
    expect(() => parseDuration('7 days')).toThrow(/Not a duration/);
    expect(formatAge(800)).toBe('800ms');
    expect(formatAge(3 * 86_400_000 + 4 * 3_600_000 + 5_000)).toBe('3d 4h');
  });
});

describe('aircall-gen inbox --redis', () => {
  const prefixes: string[] = [];
  afterAll(async () => {
    const client = new (loadRedisDriver().Redis)(REDIS_URL);
    for (const prefix of prefixes) await deletePrefix(client, prefix);
    await client.quit();
  });

  /** A queue under a fresh prefix with one delivery in each state, as in the file test above. */
  async function populatedRedis() {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const queue = (await fitsRedis({ url: REDIS_URL, prefix })) as Awaited<ReturnType<typeof createRedisQueue>>;
    const now = Date.now();
    const jobs = [1, 2, 3, 4].map((id) => job({ id }));
    for (const j of jobs) await queue.enqueue({ ...j, receivedAt: now - 60_000 }, now);
    const [running, done, dead] = await queue.claim(3, now);
    await queue.complete(done!.key, now - 10 * 86_400_000);
    await queue.fail(dead!.key, 'Error: CRM said 500', null, now);
    await queue.close();
    const flags = ['--redis', REDIS_URL, '--prefix', prefix];
    return { flags, prefix, running: running!, dead: dead! };
  }

  it('status, list, retry and purge work on the Redis queue of a prefix', async () => {
    const { flags, prefix, dead } = await populatedRedis();
    const status = await cli(['inbox', 'status', ...flags, '--json']);
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout);
    expect(parsed.counts).toEqual({ pending: 1, running: 1, done: 1, dead: 1 });
    expect(parsed.file).toBe(`${REDIS_URL} prefix ${prefix}`);
    expect(parsed.oldestPendingMs).toBeGreaterThanOrEqual(60_000);

    const list = await cli(['inbox', 'list', '--state', 'dead', ...flags]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(dead.key.slice(0, 16));
    expect(list.stdout).toMatch(/Error: CRM said 500/);

    expect(await cli(['inbox', 'retry', dead.key.slice(0, 16), ...flags])).toMatchObject({
      code: 0,
      stdout: '1 delivery back to pending',
    });
    expect((await cli(['inbox', 'retry', 'deadbeefdeadbeef', ...flags])).code).toBe(1);
    const after = JSON.parse((await cli(['inbox', 'status', ...flags, '--json'])).stdout);
    expect(after.counts).toMatchObject({ pending: 2, dead: 0 });

    expect((await cli(['inbox', 'purge', '--done', '--older-than', '30d', ...flags])).stdout).toBe(
      '0 done deliveries removed',
    );
    expect((await cli(['inbox', 'purge', '--done', '--older-than', '7d', ...flags])).stdout).toBe(
      '1 done delivery removed',
    );
  });

  it('an unreachable Redis is a user error naming the URL (never its password); --db with --redis is refused', async () => {
    const result = await cli([
      'inbox',
      'status',
      '--redis',
      'redis://:hunter2@127.0.0.1:1',
      '--prefix',
      'nothing-here',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Cannot reach Redis at redis://:***@127.0.0.1:1 prefix nothing-here');
    expect(result.stderr).not.toContain('hunter2');
    expect((await cli(['inbox', 'status', '--redis', REDIS_URL, '--db', 'x.db'])).code).toBe(2);
    expect((await cli(['inbox', 'status', '--prefix', 'p'])).code).toBe(2);
  });
});
