// The worker pool over a real SQLite backend, with a fake clock: retries, dead-lettering, order, shutdown.
import { afterEach, describe, expect, it } from 'vitest';
import type { ClaimedJob, QueueBackend } from '../../runtime/receiver/queue/contract.js';
import {
  createWorkerPool,
  type AttemptReport,
  type AttemptResult,
  type JobRunner,
  type WorkerOptions,
  type WorkerPool,
} from '../../runtime/receiver/queue/worker.js';
import { job, type BackendFixture } from './support/contract-suite.js';
import { waitFor } from '../support/wait.js';
import { sqliteFactory } from './support/sqlite-fixture.js';

const T0 = Date.UTC(2026, 0, 1);
const HANDLED: AttemptResult = { outcome: 'handled' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A promise and the function that resolves it: a step of a test that waits for another to happen. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/**
 * `backend` with its `nth` claim held open after it ran: `ran` resolves then, and the claim answers once
 * `answer` is called. `claims()` counts the claims so far.
 */
function holdingClaim(backend: QueueBackend, nth: number) {
  const ran = gate();
  const answered = gate();
  let claims = 0;
  const held: QueueBackend = {
    ...backend,
    claim: async (limit, now) => {
      const claimed = await backend.claim(limit, now);
      if (++claims === nth) {
        ran.open();
        await answered.opened;
      }
      return claimed;
    },
  };
  return { backend: held, ran: ran.opened, answer: answered.open, claims: () => claims };
}

const fixtures: BackendFixture[] = [];
const pools: WorkerPool[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.stop(100);
  for (const made of fixtures.splice(0)) await made.cleanup();
});

async function setup(run: JobRunner, options: Partial<WorkerOptions> = {}) {
  const made = await sqliteFactory();
  fixtures.push(made);
  const clock = { now: T0 };
  const reports: AttemptReport[] = [];
  const pool = createWorkerPool({
    backend: made.backend,
    run,
    now: () => clock.now,
    random: () => 0.5,
    pollMs: 60_000,
    onAttempt: (report) => reports.push(report),
    ...options,
  });
  pools.push(pool);
  return { backend: made.backend, pool, clock, reports };
}

describe('worker pool', () => {
  it('starts although the backend fails its first recovery (a write lock held past the bound): claims, and recovers later', async () => {
    const errors: unknown[] = [];
    const handled: string[] = [];
    const made = await sqliteFactory();
    fixtures.push(made);
    const locked = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    let recoveries = 0;
    const backend: QueueBackend = {
      ...made.backend,
      recover: (now, maxAttempts) =>
        ++recoveries === 1 ? Promise.reject(locked) : made.backend.recover(now, maxAttempts),
    };
    // A delivery leased by a process that died, and one pending.
    await backend.enqueue(job({ id: 1 }), T0);
    const [orphan] = await made.backend.claim(1, T0);
    await backend.enqueue(job({ id: 2 }), T0);
    const clock = { now: T0 + 120_000 }; // past the orphan's lease
    const pool = createWorkerPool({
      backend,
      run: async (claimed) => {
        handled.push(claimed.key);
        return HANDLED;
      },
      now: () => clock.now,
      pollMs: 60_000,
      leaseMs: 30,
      onBackendError: (error) => errors.push(error),
    });
    pools.push(pool);
    await pool.start(); // resolves: the failed recovery is reported, not thrown
    expect(errors).toEqual([locked]);
    await waitFor(() => handled.length === 2, 'the pending delivery, then the recovered one, handled');
    expect(handled).toContain(orphan!.key);
    expect(recoveries).toBeGreaterThanOrEqual(2);
  });

  it('a completion the backend fails is stored on a later try: the handler is not run again', async () => {
    const errors: unknown[] = [];
    const runs: number[] = [];
    const reports: AttemptReport[] = [];
    const made = await sqliteFactory();
    fixtures.push(made);
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    let completes = 0;
    const backend: QueueBackend = {
      ...made.backend,
      complete: (key, now) => (++completes <= 2 ? Promise.reject(full) : made.backend.complete(key, now)),
    };
    await backend.enqueue(job({ id: 3 }), T0);
    const pool = createWorkerPool({
      backend,
      run: async (claimed) => {
        runs.push(claimed.attempt);
        return HANDLED;
      },
      now: () => T0,
      pollMs: 60_000,
      onAttempt: (report) => reports.push(report),
      onBackendError: (error) => errors.push(error),
    });
    pools.push(pool);
    await pool.start();
    await waitFor(() => reports.length === 1, 'the attempt settled');
    expect(completes).toBe(3);
    expect(errors).toEqual([full, full]);
    expect(runs).toEqual([1]);
    expect(reports.map((report) => report.outcome)).toEqual(['handled']);
    expect((await made.backend.status(T0)).counts).toMatchObject({ running: 0, done: 1 });
    expect(await made.backend.recover(T0 + 3_600_000, 12)).toBe(0);
  });

  it('a settle still failing when the pool stops is given up at once, the job left to recovery', async () => {
    const made = await sqliteFactory();
    fixtures.push(made);
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    const backend: QueueBackend = { ...made.backend, complete: () => Promise.reject(full) };
    await backend.enqueue(job({ id: 4 }), T0);
    let ran = false;
    const pool = createWorkerPool({
      backend,
      run: async () => {
        ran = true;
        return HANDLED;
      },
      now: () => T0,
      pollMs: 60_000,
      onBackendError: () => undefined,
    });
    await pool.start();
    await waitFor(() => ran, 'the handler ran');
    const started = Date.now();
    expect(await pool.stop(10_000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000); // not the retry's sleep, nor the stop bound
    expect((await made.backend.status(T0)).counts).toMatchObject({ running: 1 });
  });

  it('stop does not wait past its bound for a claim the backend never answers (Redis down)', async () => {
    const made = await sqliteFactory();
    fixtures.push(made);
    let claims = 0;
    const backend: QueueBackend = {
      ...made.backend,
      claim: () => {
        claims++;
        return new Promise<ClaimedJob[]>(() => undefined);
      },
    };
    const pool = createWorkerPool({ backend, run: async () => HANDLED, now: () => T0, pollMs: 60_000 });
    await pool.start();
    expect(claims).toBe(1);
    const outcome = await Promise.race([
      pool.stop(200).then(() => 'stopped'),
      new Promise((resolve) => setTimeout(resolve, 5_000, 'still waiting')),
    ]);
    expect(outcome).toBe('stopped');
  });

  it('retries with exponential backoff, then dead-letters with the last error; retry brings it back', async () => {
    let fail = true;
    const attempts: number[] = [];
    const { backend, pool, clock, reports } = await setup(
      async (claimed) => {
        attempts.push(claimed.attempt);
        return fail ? { outcome: 'failed', reason: 'error', error: new Error(`CRM down ${claimed.attempt}`) } : HANDLED;
      },
      { maxAttempts: 3, backoffBaseMs: 1_000 },
    );
    await backend.enqueue(job(), T0);
    await pool.start();
    await pool.whenIdle();
    expect(reports.map((r) => [r.attempt, r.outcome, r.retryAt])).toEqual([[1, 'retry', T0 + 1_000]]);

    clock.now = T0 + 999; // not yet due
    pool.wake();
    await pool.whenIdle();
    expect(attempts).toEqual([1]);

    clock.now = T0 + 1_000;
    pool.wake();
    await pool.whenIdle();
    expect(reports.at(-1)).toMatchObject({ attempt: 2, outcome: 'retry', retryAt: T0 + 1_000 + 2_000 });

    clock.now = T0 + 3_000;
    pool.wake();
    await pool.whenIdle();
    expect(reports.at(-1)).toMatchObject({ attempt: 3, outcome: 'dead' });
    const [dead] = await backend.list('dead', 10);
    expect(dead).toMatchObject({ attempts: 3, lastError: 'Error: CRM down 3' });

    fail = false;
    expect(await backend.retry({ id: reports[0]!.id }, clock.now)).toBe(1);
    pool.wake();
    await pool.whenIdle();
    expect(reports.at(-1)).toMatchObject({ attempt: 1, outcome: 'handled' });
    expect((await backend.status(clock.now)).counts).toMatchObject({ done: 1, dead: 0, pending: 0 });
    await pool.stop(1_000);
  });

  it('runs at most `concurrency` handlers at once', async () => {
    let running = 0;
    let most = 0;
    const { backend, pool } = await setup(
      async () => {
        most = Math.max(most, ++running);
        await sleep(5);
        running--;
        return HANDLED;
      },
      { concurrency: 4 },
    );
    for (let n = 0; n < 20; n++) await backend.enqueue(job({ id: n }), T0);
    await pool.start();
    await pool.whenIdle();
    expect(most).toBe(4);
    expect((await backend.status(T0)).counts.done).toBe(20);
    await pool.stop(1_000);
  });

  it('per object: never concurrently, in timestamp order; ctx.superseded for a stale snapshot', async () => {
    const log: string[] = [];
    const seen: ClaimedJob[] = [];
    const { backend, pool } = await setup(async (claimed) => {
      seen.push(claimed);
      log.push(`start ${claimed.objectKey}@${claimed.timestamp}`);
      await sleep(3);
      log.push(`end ${claimed.objectKey}@${claimed.timestamp}`);
      return HANDLED;
    });
    for (const timestamp of [30, 10, 20]) await backend.enqueue(job({ id: 1, timestamp }), T0);
    await pool.start();
    await pool.whenIdle();
    expect(log).toEqual([
      'start call:1@10',
      'end call:1@10',
      'start call:1@20',
      'end call:1@20',
      'start call:1@30',
      'end call:1@30',
    ]);
    expect(seen.map((s) => s.superseded)).toEqual([false, false, false]);

    await backend.enqueue(job({ id: 1, timestamp: 25 }), T0); // late: 30 was handled already
    pool.wake();
    await pool.whenIdle();
    expect(seen.at(-1)).toMatchObject({ timestamp: 25, superseded: true });
    await pool.stop(1_000);
  });

  it('passes the attempt deadline to the runner', async () => {
    const deadlines: number[] = [];
    const { backend, pool } = await setup(
      async (_claimed, { timeoutMs }) => {
        deadlines.push(timeoutMs);
        return HANDLED;
      },
      { attemptTimeoutMs: 1_234 },
    );
    await backend.enqueue(job(), T0);
    await pool.start();
    await pool.whenIdle();
    expect(deadlines).toEqual([1_234]);
    await pool.stop(1_000);
  });

  it('stop: running handlers finish within the bound, the rest are given back uncounted, nothing new starts', async () => {
    const started: number[] = [];
    const { backend, pool, reports } = await setup(
      (claimed, { signal }) => {
        started.push(claimed.timestamp);
        if (claimed.timestamp === 1) return sleep(30).then(() => HANDLED); // finishes in time
        return new Promise<AttemptResult>((resolve) =>
          signal.addEventListener('abort', () =>
            resolve({ outcome: 'failed', reason: 'aborted', error: signal.reason }),
          ),
        );
      },
      { concurrency: 2 },
    );
    await backend.enqueue(job({ id: 1, timestamp: 1 }), T0);
    await backend.enqueue(job({ id: 2, timestamp: 2 }), T0);
    await backend.enqueue(job({ id: 3, timestamp: 3 }), T0);
    await pool.start();
    while (started.length < 2) await sleep(2);
    expect(await pool.stop(200)).toBe(false);
    expect(started).toEqual([1, 2]);
    expect(reports.map((r) => [r.attempt, r.outcome])).toEqual([
      [1, 'handled'],
      [1, 'retry'],
    ]);
    expect((await backend.status(T0)).counts).toEqual({ pending: 2, running: 0, done: 1, dead: 0 });
    const [back] = await backend.claim(10, T0); // the given-back job has not used an attempt
    expect(back).toMatchObject({ timestamp: 2, attempt: 1 });
  });

  it('stop past its bound aborts every running attempt, with no listener-leak warning above 10 at once', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      const aborted: unknown[] = [];
      let started = 0;
      const { backend, pool } = await setup(
        (_claimed, { signal }) => {
          started++;
          return new Promise<AttemptResult>((resolve) =>
            signal.addEventListener('abort', () => {
              aborted.push(signal.reason);
              resolve({ outcome: 'failed', reason: 'aborted', error: signal.reason });
            }),
          );
        },
        { concurrency: 16 },
      );
      for (let n = 0; n < 16; n++) await backend.enqueue(job({ id: n }), T0);
      await pool.start();
      while (started < 16) await sleep(2);
      expect(await pool.stop(20)).toBe(false);
      expect(aborted).toHaveLength(16);
      expect(new Set(aborted).size).toBe(1); // one error, as stop gives every attempt
      expect((await backend.status(T0)).counts).toMatchObject({ pending: 16, running: 0 });
      await sleep(10); // process warnings are emitted on a later tick
      expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('stop during a claim waits for it and gives its jobs back unstarted, before the backend closes', async () => {
    const made = await sqliteFactory();
    fixtures.push(made);
    await made.backend.enqueue(job({ id: 1 }), T0);
    // The backend's claim, held open until the test lets it end: stop() begins while it is in flight.
    const { backend, ran: claiming, answer: finishClaim } = holdingClaim(made.backend, 1);
    const started: number[] = [];
    const errors: unknown[] = [];
    const pool = createWorkerPool({
      backend,
      run: async (claimed) => {
        started.push(claimed.attempt);
        return HANDLED;
      },
      now: () => T0,
      pollMs: 60_000,
      onBackendError: (error) => errors.push(error),
    });
    await pool.start();
    await claiming;
    let stopped = false;
    const stopping = pool.stop(1_000).then((finished) => {
      stopped = true;
      return finished;
    });
    await sleep(20);
    expect(stopped).toBe(false); // waits for the claim
    finishClaim();
    expect(await stopping).toBe(true);
    expect(started).toEqual([]);
    expect(errors).toEqual([]);
    expect((await made.backend.status(T0)).counts).toMatchObject({ pending: 1, running: 0 });
    const [back] = await made.backend.claim(10, T0); // given back without using an attempt
    expect(back).toMatchObject({ attempt: 1 });
  });

  it('whenIdle waits out a claim that was answered before the last running job settled (its empty answer is stale)', async () => {
    // Seen in CI on Redis: a claim ran while the last running job was completing, found its object's next
    // job still parked, and answered [] after that job had settled; whenIdle took that answer as "nothing due".
    const made = await sqliteFactory();
    fixtures.push(made);
    await made.backend.enqueue(job({ id: 1, timestamp: 1 }), T0); // X
    await made.backend.enqueue(job({ id: 1, timestamp: 2 }), T0); // Y: waits for X (same object)
    await made.backend.enqueue(job({ id: 2, timestamp: 1 }), T0); // Z
    // The second claim runs while X runs (Y is not claimable then: it finds nothing) and answers when let.
    const { backend, ran: secondClaim, answer: answerSecondClaim, claims } = holdingClaim(made.backend, 2);
    const { opened: xRuns, open: finishX } = gate();
    const handled: string[] = [];
    const pool = createWorkerPool({
      backend,
      run: async (claimed) => {
        if (claimed.objectKey === 'call:1' && claimed.timestamp === 1) await xRuns;
        handled.push(`${claimed.objectKey}@${claimed.timestamp}`);
        return HANDLED;
      },
      now: () => T0,
      pollMs: 60_000,
      concurrency: 4,
      onAttempt: () => {
        // X settled: its pool bookkeeping runs in this turn's microtasks; the stale answer arrives just after.
        if (handled.length === 2) process.nextTick(answerSecondClaim);
      },
    });
    pools.push(pool);
    await pool.start();
    await secondClaim; // Z settled and freed a slot; the second claim is in flight
    expect(handled).toEqual(['call:2@1']);
    finishX();
    await pool.whenIdle();
    expect(handled).toEqual(['call:2@1', 'call:1@1', 'call:1@2']);
    expect(claims()).toBeGreaterThanOrEqual(3);
  });

  it('start recovers jobs a dead process left running', async () => {
    const made = await sqliteFactory();
    fixtures.push(made);
    await made.backend.enqueue(job(), T0);
    await made.backend.claim(1, T0); // "the previous process" holds it, then dies
    await made.backend.close();
    const restarted = await made.reopen();
    const handled: number[] = [];
    const pool = createWorkerPool({
      backend: restarted,
      run: async (claimed) => {
        handled.push(claimed.attempt);
        return HANDLED;
      },
      now: () => T0,
    });
    await pool.start();
    await pool.whenIdle();
    expect(handled).toEqual([2]);
    await pool.stop(1_000);
  });
});
