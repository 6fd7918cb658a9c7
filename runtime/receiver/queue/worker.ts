// The worker pool: claims due jobs from a backend, runs each through `run` (the receiver's dispatch) with a
// deadline, and settles it: done, pending again after a backoff, or dead after the last attempt.
import { backoffDelay } from './backoff.js';
import type { ClaimedJob, QueueBackend } from './contract.js';
import { QUEUE_DEFAULTS } from './contract.js';
import { shortId } from './dedupe-key.js';

/** How one attempt ended, as the runner reports it (the receiver's DispatchResult has this shape). */
export type AttemptResult =
  | { readonly outcome: 'handled' }
  | { readonly outcome: 'failed'; readonly reason: 'error' | 'timeout' | 'aborted'; readonly error: unknown };

/** Runs one claimed job's handler; never throws. `signal` aborts it (shutdown); `timeoutMs` is its deadline. */
export type JobRunner = (
  job: ClaimedJob,
  options: { readonly signal: AbortSignal; readonly timeoutMs: number },
) => Promise<AttemptResult>;

/** One attempt, as logged: `{"event","id","attempt","outcome","ms"}` plus the error on failure. */
export interface AttemptReport {
  readonly event: string;
  readonly id: string;
  readonly attempt: number;
  /** `retry` also when shutdown cut the attempt off: it is given back uncounted and runs at the next start. */
  readonly outcome: 'handled' | 'retry' | 'dead';
  readonly ms: number;
  readonly error?: unknown;
  /** When a retried job is due again (ms since the epoch). */
  readonly retryAt?: number;
}

export interface WorkerOptions {
  readonly backend: QueueBackend;
  readonly run: JobRunner;
  /** Handlers running at once. Default 8. */
  readonly concurrency?: number;
  /** Per-attempt deadline. Default 5 min. */
  readonly attemptTimeoutMs?: number;
  /** Attempts before a job is dead. Default 12. */
  readonly maxAttempts?: number;
  /** First retry delay, doubled per attempt, with ±20% jitter. Default 40 s. */
  readonly backoffBaseMs?: number;
  /** No retry delay is longer. Default: none. */
  readonly backoffMaxMs?: number;
  /** Lease length (renewed every third of it). Default 60 s. */
  readonly leaseMs?: number;
  /** Done jobs are pruned once older than this. Default 24 h (the dedupe window). */
  readonly keepDoneMs?: number;
  /** Longest sleep while nothing is due (another process may add work, e.g. `inbox retry`). Default 1000 ms. */
  readonly pollMs?: number;
  /** Wall clock in ms since the epoch. Default Date.now. */
  readonly now?: () => number;
  /** For the jitter. Default Math.random. */
  readonly random?: () => number;
  /** Told about every attempt, after it is settled. */
  readonly onAttempt?: (report: AttemptReport) => void;
  /** Told when the backend fails (the job stays leased and is recovered when its lease expires). */
  readonly onBackendError?: (error: unknown) => void;
  /** How a failure is stored as the job's last error. Default: `Name: message`. */
  readonly describeError?: (error: unknown) => string;
}

export interface WorkerPool {
  /** Recovers abandoned leases, prunes old done jobs, then starts claiming. */
  start(): Promise<void>;
  /** New work may be due (the receiver calls it after an enqueue). */
  wake(): void;
  /**
   * Stops claiming, lets running handlers finish within `timeoutMs`, then aborts the rest and gives
   * them back to pending. Resolves true when every handler finished in time.
   */
  stop(timeoutMs: number): Promise<boolean>;
  /** Handlers running now. */
  readonly running: number;
  /** Resolves once nothing runs and the last claim found nothing due (for tests and benchmarks). */
  whenIdle(): Promise<void>;
}

/** Put in an attempt's signal when the pool stops. */
export class WorkerStoppedError extends Error {
  override readonly name = 'WorkerStoppedError';
  constructor() {
    super('worker stopping: the attempt is given back and runs at the next start');
  }
}

function defaultDescribe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error).slice(0, 1_000);
}

/** Done jobs are pruned at most this often. */
const PRUNE_EVERY_MS = 3_600_000;

/** Lets a timer not keep the process alive. */
function unref<T>(timer: T): T {
  (timer as { unref?: () => void }).unref?.();
  return timer;
}

interface Active {
  readonly job: ClaimedJob;
  readonly controller: AbortController;
}

/** Creates a pool over `backend`; nothing runs before `start`. */
export function createWorkerPool(options: WorkerOptions): WorkerPool {
  const { backend, run } = options;
  const concurrency = options.concurrency ?? QUEUE_DEFAULTS.concurrency;
  const timeoutMs = options.attemptTimeoutMs ?? QUEUE_DEFAULTS.attemptTimeoutMs;
  const maxAttempts = options.maxAttempts ?? QUEUE_DEFAULTS.maxAttempts;
  const leaseMs = options.leaseMs ?? QUEUE_DEFAULTS.leaseMs;
  const keepDoneMs = options.keepDoneMs ?? QUEUE_DEFAULTS.dedupeWindowMs;
  const pollMs = options.pollMs ?? 1_000;
  const now = options.now ?? Date.now;
  const describe = options.describeError ?? defaultDescribe;
  const backoff = { baseMs: options.backoffBaseMs ?? QUEUE_DEFAULTS.backoffBaseMs, maxMs: options.backoffMaxMs };
  const backendError = (error: unknown): void => options.onBackendError?.(error);

  const active = new Map<string, Active>();
  let started = false;
  let stopping = false;
  let claiming = false;
  let claimAgain = false;
  let lastClaimEmpty = false;
  let sleepTimer: ReturnType<typeof setTimeout> | undefined;
  const timers: ReturnType<typeof setInterval>[] = [];
  let idleWaiters: (() => void)[] = [];
  const emptyWaiters: (() => void)[] = [];

  const checkIdle = (): void => {
    if (active.size > 0) return;
    for (const wake of emptyWaiters.splice(0)) wake();
    if (!lastClaimEmpty || claiming) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const wake of waiters) wake();
  };

  /** Sleeps until the next pending job is due, at most `pollMs`. */
  const sleep = async (): Promise<void> => {
    const dueAt = await backend.nextDueAt().catch(() => null);
    if (stopping) return;
    clearTimeout(sleepTimer);
    // A job due already but not claimed waits for its object's running job, whose end wakes the pool.
    const wait = dueAt === null ? pollMs : dueAt - now();
    const delay = wait <= 0 ? pollMs : Math.min(pollMs, wait);
    sleepTimer = unref(setTimeout(pump, delay));
  };

  const settle = async (job: ClaimedJob, result: AttemptResult, startedAt: number): Promise<void> => {
    const at = now();
    const base = { event: job.event, id: shortId(job.key), attempt: job.attempt };
    const ms = Math.max(0, at - startedAt);
    if (result.outcome === 'handled') {
      await backend.complete(job.key, at);
      options.onAttempt?.({ ...base, outcome: 'handled', ms });
      return;
    }
    if (result.reason === 'aborted' && stopping) {
      await backend.release(job.key, at);
      options.onAttempt?.({ ...base, outcome: 'retry', ms, error: result.error, retryAt: at });
      return;
    }
    const dead = job.attempt >= maxAttempts;
    const retryAt = dead ? null : at + backoffDelay(job.attempt, backoff, options.random);
    await backend.fail(job.key, describe(result.error), retryAt, at);
    options.onAttempt?.(
      retryAt === null
        ? { ...base, outcome: 'dead', ms, error: result.error }
        : { ...base, outcome: 'retry', ms, error: result.error, retryAt },
    );
  };

  const runJob = (job: ClaimedJob): void => {
    const controller = new AbortController();
    active.set(job.key, { job, controller });
    const startedAt = now();
    run(job, { signal: controller.signal, timeoutMs })
      .then((result) => settle(job, result, startedAt))
      .catch(backendError)
      .finally(() => {
        active.delete(job.key);
        lastClaimEmpty = false; // its object's next job may be claimable now
        pump();
        checkIdle();
      });
  };

  function pump(): void {
    if (!started || stopping) return;
    if (claiming) {
      claimAgain = true;
      return;
    }
    const free = concurrency - active.size;
    if (free <= 0) return;
    claiming = true;
    claimAgain = false;
    backend.claim(free, now()).then(
      (jobs) => {
        claiming = false;
        lastClaimEmpty = jobs.length === 0;
        for (const job of jobs) runJob(job);
        if (claimAgain || jobs.length === free) pump();
        else void sleep();
        checkIdle();
      },
      (error: unknown) => {
        claiming = false;
        backendError(error);
        void sleep();
      },
    );
  }

  /** Whether every running attempt settled within `ms`. */
  const settledWithin = async (ms: number): Promise<boolean> => {
    if (active.size === 0) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settled = await Promise.race([
      new Promise<boolean>((resolve) => emptyWaiters.push(() => resolve(true))),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
    ]);
    clearTimeout(timer);
    return settled;
  };

  const maintain = (): void => {
    const at = now();
    backend
      .renewLeases([...active.keys()], at)
      .then(() => backend.recover(at, maxAttempts))
      .then((recovered) => (recovered > 0 ? pump() : undefined))
      .catch(backendError);
  };

  return {
    async start() {
      if (started) return;
      const at = now();
      await backend.recover(at, maxAttempts);
      await backend.purge('done', at, keepDoneMs);
      started = true;
      let lastPrune = at;
      const prune = (): void => {
        if (now() - lastPrune < PRUNE_EVERY_MS) return;
        lastPrune = now();
        backend.purge('done', lastPrune, keepDoneMs).catch(backendError);
      };
      timers.push(unref(setInterval(maintain, Math.max(10, Math.floor(leaseMs / 3)))));
      timers.push(unref(setInterval(prune, 60_000)));
      pump();
    },

    wake() {
      lastClaimEmpty = false;
      pump();
    },

    async stop(stopTimeoutMs) {
      stopping = true;
      clearTimeout(sleepTimer);
      for (const timer of timers.splice(0)) clearInterval(timer);
      if (active.size === 0) return true;
      const finished = await settledWithin(stopTimeoutMs);
      if (finished) return true;
      const error = new WorkerStoppedError();
      for (const { controller } of active.values()) controller.abort(error);
      // Aborted runs settle at once (the handler itself may go on, unobserved): let them give their jobs back.
      await settledWithin(1_000);
      return false;
    },

    get running() {
      return active.size;
    },

    whenIdle() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        checkIdle();
      });
    },
  };
}
