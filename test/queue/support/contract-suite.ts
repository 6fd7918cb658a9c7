// The queue contract (runtime/receiver/queue/contract.ts), as tests any backend must pass: call
// `describeQueueContract` with a factory for the backend under test (SQLite now; Redis/BullMQ next).
import { afterEach, describe, expect, it } from 'vitest';
import type { NewJob, QueueBackend } from '../../../runtime/receiver/queue/contract.js';
import { dedupeKey } from '../../../runtime/receiver/queue/dedupe-key.js';

export interface BackendFactoryOptions {
  dedupeWindowMs?: number;
  leaseMs?: number;
}

/** Opens a fresh, empty backend; `reopen` opens another handle on the same storage (a restarted process). */
export interface BackendFixture {
  backend: QueueBackend;
  reopen(): Promise<QueueBackend>;
  /** Makes the storage refuse writes (full disk, read-only...), for the 503 path. */
  breakStorage(): Promise<void>;
  cleanup(): Promise<void>;
}

export type BackendFactory = (options?: BackendFactoryOptions) => Promise<BackendFixture>;

/**
 * The suite's clock: every `now` is passed in, so times are fake and exact. A backend that can only wait on
 * the wall clock (BullMQ's delays, Redis key expiry) gets the caller's durations carried over to it, so
 * where a test needs time to pass it also waits that long for real: {@link elapse}, kept short.
 */
const T0 = Date.UTC(2026, 0, 1);

/** Lets `ms` of wall-clock time pass, beside the fake clock's step of the same length. */
function elapse(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms + 50));
}

/** A job for object `resource/id` at `timestamp`, with a key from its content. */
export function job(fields: { id?: number | null; timestamp?: number; n?: number; event?: string } = {}): NewJob {
  const body = {
    resource: 'call',
    event: fields.event ?? 'call.created',
    timestamp: fields.timestamp ?? 1_700_000_000,
    data: { id: fields.id ?? 1, n: fields.n ?? 0 },
  };
  return {
    key: dedupeKey(body),
    event: body.event,
    objectKey: fields.id === null ? null : `call:${body.data.id}`,
    timestamp: body.timestamp,
    body: JSON.stringify(body),
    receivedAt: T0,
  };
}

export function describeQueueContract(name: string, factory: BackendFactory): void {
  describe(`queue contract: ${name}`, () => {
    const open: BackendFixture[] = [];
    const fixture = async (options?: BackendFactoryOptions): Promise<BackendFixture> => {
      const made = await factory(options);
      open.push(made);
      return made;
    };
    afterEach(async () => {
      for (const made of open.splice(0)) await made.cleanup();
    });

    it('enqueues once per key: a second enqueue, and concurrent ones, are duplicates', async () => {
      const { backend } = await fixture();
      const a = job({ n: 1 });
      expect(await backend.enqueue(a, T0)).toBe('queued');
      expect(await backend.enqueue(a, T0 + 1)).toBe('duplicate');
      const b = job({ n: 2 });
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => backend.enqueue(b, T0)));
      expect(outcomes.filter((o) => o === 'queued')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(19);
      expect((await backend.status(T0)).counts.pending).toBe(2);
    });

    it('forgets a done key after the dedupe window', async () => {
      const { backend } = await fixture({ dedupeWindowMs: 1_000 });
      const a = job();
      await backend.enqueue(a, T0);
      const [claimed] = await backend.claim(1, T0);
      await backend.complete(claimed!.key, T0);
      expect(await backend.enqueue(a, T0 + 500)).toBe('duplicate');
      await elapse(1_000);
      expect(await backend.enqueue({ ...a, receivedAt: T0 + 2_000 }, T0 + 2_000)).toBe('queued');
    });

    it('claims due jobs only, counts the attempt, and gives the stored body without token', async () => {
      const { backend } = await fixture();
      await backend.enqueue(job({ id: 1 }), T0);
      await backend.enqueue({ ...job({ id: 2 }), receivedAt: T0 + 10_000 }, T0);
      const claimed = await backend.claim(10, T0);
      expect(claimed.map((c) => c.objectKey)).toEqual(['call:1']);
      expect(claimed[0]).toMatchObject({ attempt: 1, event: 'call.created', superseded: false });
      expect(JSON.parse(claimed[0]!.body)).not.toHaveProperty('token');
      expect((await backend.status(T0)).counts).toEqual({ pending: 1, running: 1, done: 0, dead: 0 });
      expect(await backend.nextDueAt()).toBe(T0 + 10_000);
    });

    it('per object: one at a time, oldest timestamp first; other objects run alongside', async () => {
      const { backend } = await fixture();
      await backend.enqueue(job({ id: 7, timestamp: 30 }), T0);
      await backend.enqueue(job({ id: 7, timestamp: 10 }), T0);
      await backend.enqueue(job({ id: 7, timestamp: 20 }), T0);
      await backend.enqueue(job({ id: 8, timestamp: 5 }), T0);
      await backend.enqueue(job({ id: null, n: 1 }), T0);
      await backend.enqueue(job({ id: null, n: 2 }), T0);
      const first = await backend.claim(10, T0);
      expect(first.map((c) => `${c.objectKey}@${c.timestamp}`).sort()).toEqual([
        'call:7@10',
        'call:8@5',
        'null@1700000000',
        'null@1700000000',
      ]);
      expect(await backend.claim(10, T0)).toEqual([]); // call:7 is running
      const seven = first.find((c) => c.objectKey === 'call:7')!;
      await backend.complete(seven.key, T0);
      const next = await backend.claim(10, T0);
      expect(next.map((c) => c.timestamp)).toEqual([20]);
    });

    it('a pending job in backoff holds back later ones of its object', async () => {
      const { backend } = await fixture();
      await backend.enqueue(job({ id: 3, timestamp: 1 }), T0);
      await backend.enqueue(job({ id: 3, timestamp: 2 }), T0);
      const [first] = await backend.claim(10, T0);
      await backend.fail(first!.key, 'Error: CRM down', T0 + 1_000, T0);
      expect(await backend.claim(10, T0 + 1)).toEqual([]);
      await elapse(1_000);
      const again = await backend.claim(10, T0 + 1_000);
      expect(again.map((c) => [c.timestamp, c.attempt])).toEqual([[1, 2]]);
    });

    it('marks a job superseded when a newer one of its object was handled first', async () => {
      const { backend } = await fixture();
      await backend.enqueue(job({ id: 5, timestamp: 200 }), T0);
      const [newer] = await backend.claim(1, T0);
      await backend.complete(newer!.key, T0);
      await backend.enqueue(job({ id: 5, timestamp: 100 }), T0); // arrives late
      await backend.enqueue(job({ id: 5, timestamp: 300 }), T0);
      const [stale] = await backend.claim(10, T0);
      expect(stale).toMatchObject({ timestamp: 100, superseded: true });
      await backend.complete(stale!.key, T0);
      const [fresh] = await backend.claim(10, T0);
      expect(fresh).toMatchObject({ timestamp: 300, superseded: false });
    });

    it('fail with no retry time makes a job dead with its error; retry brings it back', async () => {
      const { backend } = await fixture();
      const a = job();
      await backend.enqueue(a, T0);
      await backend.claim(1, T0);
      await backend.fail(a.key, 'Error: gave up', null, T0 + 5);
      const [dead] = await backend.list('dead', 10);
      expect(dead).toMatchObject({ key: a.key, attempts: 1, lastError: 'Error: gave up', state: 'dead' });
      expect(await backend.retry({ id: a.key.slice(0, 16) }, T0 + 10)).toBe(1);
      const [back] = await backend.claim(1, T0 + 10);
      expect(back).toMatchObject({ key: a.key, attempt: 1 });
      await backend.fail(a.key, 'Error: again', null, T0 + 20);
      expect(await backend.retry({ dead: true }, T0 + 30)).toBe(1);
      expect((await backend.status(T0 + 30)).counts.pending).toBe(1);
      await expect(backend.retry({ id: 'zz' }, T0)).rejects.toThrow(/not a delivery id/);
    });

    it('release gives a job back without counting the attempt', async () => {
      const { backend } = await fixture();
      await backend.enqueue(job(), T0);
      const [claimed] = await backend.claim(1, T0);
      await backend.release(claimed!.key, T0);
      const [again] = await backend.claim(1, T0);
      expect(again!.attempt).toBe(1);
    });

    it('a restart recovers the leases of the process that died; past maxAttempts they are dead', async () => {
      const first = await fixture();
      await first.backend.enqueue(job({ id: 1 }), T0);
      await first.backend.enqueue(job({ id: 2 }), T0);
      const claimed = await first.backend.claim(10, T0);
      expect(claimed).toHaveLength(2);
      // The handle closed with its leases held: what a process that died leaves (same pid, another start).
      await first.backend.close();
      const second = await first.reopen();
      expect(await second.recover(T0, 1)).toBe(2);
      const dead = await second.list('dead', 10);
      expect(dead).toHaveLength(2); // each had used its one attempt
      expect(dead[0]!.lastError).toMatch(/stopped before it ended/);
      await second.retry({ dead: true }, T0);
      const again = await second.claim(10, T0);
      expect(again).toHaveLength(2);
      await second.close();
      const third = await first.reopen();
      expect(await third.recover(T0, 12)).toBe(2);
      expect((await third.status(T0)).counts.pending).toBe(2);
      await third.close();
    });

    it('the unexpired lease of a handle still open (in this process, same pid) is never taken back', async () => {
      const { backend, reopen } = await fixture({ leaseMs: 60_000 });
      await backend.enqueue(job({ id: 1 }), T0);
      const [claimed] = await backend.claim(1, T0);
      expect(claimed).toBeDefined();
      const other = await reopen();
      expect(await other.recover(T0 + 1_000, 12)).toBe(0);
      expect(await other.claim(10, T0 + 1_000)).toEqual([]);
      expect((await other.status(T0 + 1_000)).counts.running).toBe(1);
      // Once expired, it is anyone's to take back.
      expect(await other.recover(T0 + 61_000, 12)).toBe(1);
      await other.close();
    });

    it('renewed leases are kept; expired ones are recovered even from a live holder', async () => {
      const { backend, reopen } = await fixture({ leaseMs: 1_000 });
      await backend.enqueue(job(), T0);
      const [claimed] = await backend.claim(1, T0);
      await backend.renewLeases([claimed!.key], T0 + 900);
      expect(await backend.recover(T0 + 1_500, 12)).toBe(0);
      expect(await backend.recover(T0 + 2_000, 12)).toBe(1);
      const other = await reopen();
      expect((await other.status(T0)).counts.pending).toBe(1);
      await other.close();
    });

    it('a complete after another process took the lease back changes nothing, nor the watermark', async () => {
      const { backend, reopen } = await fixture({ leaseMs: 1_000 });
      const late = job({ id: 7, timestamp: 200 });
      await backend.enqueue(late, T0);
      await backend.claim(1, T0);
      const other = await reopen();
      expect(await other.recover(T0 + 2_000, 12)).toBe(1);
      await backend.complete(late.key, T0 + 2_500); // its handler ended after the lease was gone
      expect((await other.status(T0 + 2_500)).counts).toMatchObject({ pending: 1, done: 0 });
      await other.enqueue(job({ id: 7, timestamp: 100 }), T0 + 2_500);
      const [older] = await other.claim(10, T0 + 2_500);
      // Had the late complete counted, timestamp 200 would be handled and this one superseded.
      expect(older).toMatchObject({ timestamp: 100, superseded: false });
      await other.close();
    });

    it('purges done jobs older than asked, but none inside the dedupe window', async () => {
      const { backend } = await fixture({ dedupeWindowMs: 3_000 });
      const a = job({ id: 1 });
      const b = { ...job({ id: 2 }), receivedAt: T0 + 4_000 };
      await backend.enqueue(a, T0);
      await backend.enqueue(b, T0 + 4_000);
      await backend.claim(10, T0 + 4_000);
      await backend.complete(a.key, T0);
      await backend.complete(b.key, T0 + 5_000);
      expect(await backend.purge('done', T0 + 6_000, 2_000)).toBe(1); // a: older than the window too
      expect((await backend.status(T0)).counts.done).toBe(1);
      // b was received 2 s ago: inside the 3 s window, so it stays whatever olderThanMs says.
      expect(await backend.purge('done', T0 + 6_000, 0)).toBe(0);
      expect((await backend.status(T0)).counts.done).toBe(1);
      expect(await backend.purge('done', T0 + 8_001, 0)).toBe(1);
      expect((await backend.status(T0)).counts.done).toBe(0);
      // Their keys are forgotten with them: the same bodies again are new deliveries.
      expect(await backend.enqueue(a, T0 + 8_001)).toBe('queued');
      expect(await backend.enqueue(b, T0 + 8_001)).toBe('queued');
    });

    it('purging done jobs drops the watermarks of objects handled before the window, and keeps newer ones', async () => {
      const { backend } = await fixture({ dedupeWindowMs: 1_000 });
      const old = job({ id: 31, timestamp: 200 });
      const recent = job({ id: 32, timestamp: 200 });
      await backend.enqueue(old, T0);
      await backend.enqueue(recent, T0);
      expect(await backend.claim(10, T0)).toHaveLength(2);
      await backend.complete(old.key, T0);
      await backend.complete(recent.key, T0 + 1_500);
      await backend.purge('done', T0 + 2_000, 0);
      await backend.enqueue(job({ id: 31, timestamp: 100 }), T0 + 2_000);
      await backend.enqueue(job({ id: 32, timestamp: 100 }), T0 + 2_000);
      const claimed = await backend.claim(10, T0 + 2_000);
      // call:31 was last handled 2 s ago, before the 1 s window: nothing is known of it any more.
      expect(Object.fromEntries(claimed.map((c) => [c.objectKey, c.superseded]))).toEqual({
        'call:31': false,
        'call:32': true,
      });
    });

    it('purges dead jobs older than asked, whatever the dedupe window', async () => {
      const { backend } = await fixture();
      const a = job({ id: 1 });
      await backend.enqueue(a, T0);
      await backend.claim(1, T0);
      await backend.fail(a.key, 'Error: gave up', null, T0 + 1_000);
      expect(await backend.purge('dead', T0 + 1_500, 1_000)).toBe(0);
      expect(await backend.purge('dead', T0 + 1_500, 0)).toBe(1);
      expect((await backend.status(T0)).counts.dead).toBe(0);
      // A dead job's key counts as seen until it is purged; then the same body is a new delivery.
      expect(await backend.enqueue(a, T0 + 1_500)).toBe('queued');
    });

    it('status gives counts per state and the oldest pending age', async () => {
      const { backend } = await fixture();
      expect(await backend.status(T0)).toEqual({
        counts: { pending: 0, running: 0, done: 0, dead: 0 },
        oldestPendingMs: null,
      });
      await backend.enqueue(job(), T0);
      expect((await backend.status(T0 + 7_000)).oldestPendingMs).toBe(7_000);
    });

    it('a store that cannot write rejects enqueue, and stores nothing', async () => {
      const made = await fixture();
      await made.breakStorage();
      const results = await Promise.allSettled([made.backend.enqueue(job({ n: 1 }), T0)]);
      expect(results[0]!.status).toBe('rejected');
    });

    it('rejects calls after close', async () => {
      const made = await fixture();
      await made.backend.close();
      await expect(made.backend.enqueue(job(), T0)).rejects.toThrow(/closed/);
      const other = await made.reopen();
      expect((await other.status(T0)).counts.pending).toBe(0);
      await other.close();
    });
  });
}
