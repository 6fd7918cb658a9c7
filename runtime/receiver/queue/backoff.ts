// When a failed attempt is tried again: exponential backoff with jitter, so a recovering CRM is not hit by
// every delivery that failed during its outage at the same moment.

export interface BackoffOptions {
  /** Delay after the first failed attempt, in ms; doubled after each further one. */
  readonly baseMs: number;
  /** No delay is longer than this. */
  readonly maxMs?: number | undefined;
  /** Spread: each delay is drawn uniformly within ±jitter of its nominal value. Default 0.2. */
  readonly jitter?: number | undefined;
}

/** The delay before the attempt after `attempt` (1 = the first one failed). `random` returns [0, 1). */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const nominal = Math.min(options.baseMs * 2 ** (attempt - 1), options.maxMs ?? Infinity);
  const jitter = options.jitter ?? 0.2;
  return Math.round(nominal * (1 - jitter + 2 * jitter * random()));
}
