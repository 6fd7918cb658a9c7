// The durable queue's contract: what every backend (SQLite here; Redis/BullMQ later) must do, and nothing
// about how. The receiver enqueues after validation and answers only once `enqueue` resolves; the worker
// pool (worker.ts) claims, runs and settles jobs through the same interface.

/** Where a job is in its life. `done` rows are kept for the dedupe window, then pruned. */
export type JobState = 'pending' | 'running' | 'done' | 'dead';

export const JOB_STATES: readonly JobState[] = ['pending', 'running', 'done', 'dead'];

/** What the receiver stores for an accepted delivery. Plain data: a backend may serialize it as it likes. */
export interface NewJob {
  /** The dedupe key: SHA-256 hex of the canonical body without `token` (dedupe-key.ts). Unique per job. */
  readonly key: string;
  /** The body's `event`. */
  readonly event: string;
  /** `resource:data.id`: jobs with the same one never run concurrently and run in `timestamp` order. Null: no order. */
  readonly objectKey: string | null;
  /** The body's `timestamp` (Aircall's, in seconds), the order within one object. */
  readonly timestamp: number;
  /** The parsed body as JSON, without `token`: the secret is never persisted. */
  readonly body: string;
  /** When the receiver accepted it, in ms since the epoch. */
  readonly receivedAt: number;
}

/** `queued`: stored, a worker will run it. `duplicate`: its key was seen within the dedupe window; not stored again. */
export type EnqueueOutcome = 'queued' | 'duplicate';

/** A job a worker has claimed: it holds the lease until it settles it (complete, fail or release). */
export interface ClaimedJob {
  readonly key: string;
  readonly event: string;
  readonly objectKey: string | null;
  readonly timestamp: number;
  readonly body: string;
  readonly receivedAt: number;
  /** This attempt's number, from 1: attempts are counted when claimed, so a crash mid-handler counts. */
  readonly attempt: number;
  /** A newer delivery (by `timestamp`) for the same object has already been handled. */
  readonly superseded: boolean;
}

/** A job as the operations CLI lists it. */
export interface JobSummary {
  readonly key: string;
  readonly event: string;
  readonly state: JobState;
  readonly attempts: number;
  readonly receivedAt: number;
  readonly updatedAt: number;
  /** When a pending job is due (ms since the epoch). */
  readonly availableAt: number;
  readonly lastError: string | null;
}

/** Counts per state and the age of the oldest pending job, for `aircall-gen inbox status`. */
export interface QueueStatus {
  readonly counts: Readonly<Record<JobState, number>>;
  /** Ms since the oldest pending job was received; null when nothing is pending. */
  readonly oldestPendingMs: number | null;
}

/** What `retry` brings back to pending: one job (its key, or a prefix of at least 8 hex digits such as the logged id), or every dead one. */
export type RetryTarget = { readonly id: string } | { readonly dead: true };

/**
 * A durable queue backend. Every method may be asynchronous (Redis is); `now` is passed in (ms since the
 * epoch) so that time is the caller's, and tests can use a fake clock.
 *
 * Guarantees a backend must give (the contract suite in test/queue checks each):
 * - `enqueue` resolves only once the job is durably stored (the receiver answers 2xx after it), and rejects
 *   when it cannot be (the receiver answers 503). A key already present within `dedupeWindowMs` resolves
 *   `duplicate`, also when the same key is enqueued concurrently: exactly one call resolves `queued`.
 * - `claim` returns due pending jobs only, at most one per object, never one whose object has a job running,
 *   and for an object always the pending job with the smallest `timestamp` (then the earliest enqueued).
 * - A claimed job is leased to this process; `recover` gives back to pending (or to dead, past `maxAttempts`)
 *   jobs whose lease holder died.
 */
export interface QueueBackend {
  /** Stores a job; see above. */
  enqueue(job: NewJob, now: number): Promise<EnqueueOutcome>;
  /** Claims up to `limit` due jobs (state running, attempt + 1, leased to this process). */
  claim(limit: number, now: number): Promise<ClaimedJob[]>;
  /** The job succeeded: done, and its object's newest handled timestamp moves forward. */
  complete(key: string, now: number): Promise<void>;
  /** The job failed: pending again from `retryAt`, or dead (with `error`) when `retryAt` is null. */
  fail(key: string, error: string, retryAt: number | null, now: number): Promise<void>;
  /** Gives a claimed job back without counting the attempt (the worker is stopping). */
  release(key: string, now: number): Promise<void>;
  /** Extends the leases of these claimed jobs (a worker calls it while their handlers run). */
  renewLeases(keys: readonly string[], now: number): Promise<void>;
  /** Returns jobs leased by dead processes to pending, or to dead past `maxAttempts`. Resolves how many. */
  recover(now: number, maxAttempts: number): Promise<number>;
  /** When the next pending job is due (ms since the epoch), or null when nothing is pending. */
  nextDueAt(): Promise<number | null>;
  /** Deletes `done` or `dead` jobs last changed more than `olderThanMs` ago. Resolves how many. */
  purge(state: 'done' | 'dead', now: number, olderThanMs: number): Promise<number>;
  status(now: number): Promise<QueueStatus>;
  list(state: JobState, limit: number): Promise<JobSummary[]>;
  /** Dead (or waiting pending) jobs back to pending, due now, attempts reset. Resolves how many changed. */
  retry(target: RetryTarget, now: number): Promise<number>;
  /** Commits what is in flight and closes. Further calls reject. */
  close(): Promise<void>;
}

/** Defaults of the durable mode, in one place. */
export const QUEUE_DEFAULTS = {
  /** How long a delivery's key is remembered (done jobs are kept that long): 24 h. */
  dedupeWindowMs: 24 * 3_600_000,
  /** Handlers running at once. */
  concurrency: 8,
  /** Per-attempt deadline: 5 min. */
  attemptTimeoutMs: 5 * 60_000,
  /** Attempts before a job is dead: with the backoff below, about a day. */
  maxAttempts: 12,
  /** First retry delay; doubles each attempt (with jitter): 40 s, 80 s, ... 11 h; 22.7 h in all. */
  backoffBaseMs: 40_000,
  /** A lease not renewed for this long is taken back (renewed every third of it). */
  leaseMs: 60_000,
} as const;
