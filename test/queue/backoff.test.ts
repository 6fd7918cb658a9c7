import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../runtime/receiver/queue/backoff.js';
import { QUEUE_DEFAULTS } from '../../runtime/receiver/queue/contract.js';

describe('backoffDelay', () => {
  const options = { baseMs: 1_000 };

  it('doubles per attempt, within ±20% jitter', () => {
    expect(backoffDelay(1, options, () => 0.5)).toBe(1_000);
    expect(backoffDelay(3, options, () => 0.5)).toBe(4_000);
    expect(backoffDelay(3, options, () => 0)).toBe(3_200);
    expect(backoffDelay(3, options, () => 0.999_999)).toBe(4_800);
  });

  it('is capped by maxMs', () => {
    expect(backoffDelay(20, { baseMs: 1_000, maxMs: 60_000 }, () => 0.5)).toBe(60_000);
  });

  it('the defaults spread 12 attempts over about a day', () => {
    let total = 0;
    for (let attempt = 1; attempt < QUEUE_DEFAULTS.maxAttempts; attempt++)
      total += backoffDelay(attempt, { baseMs: QUEUE_DEFAULTS.backoffBaseMs }, () => 0.5);
    expect(total / 3_600_000).toBeGreaterThan(20);
    expect(total / 3_600_000).toBeLessThan(26);
  });
});
