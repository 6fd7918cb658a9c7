import { describe, expect, it } from 'vitest';
import { outcomeCounts, outcomeOf } from '../../src/cli/outcome.js';

describe('outcomeOf: what the receiver did, from its answer', () => {
  it.each([
    [200, '{"ok":true}', 'handled'],
    [202, '{"ok":true,"outcome":"quarantined"}', 'quarantined'],
    [202, '{"ok":true,"outcome":"unknown"}', 'unknown'],
    [202, 'accepted', 'unknown'],
    [204, '', 'handled'],
    [401, '{"error":"invalid token"}', 'rejected'],
    [422, '{"error":"payload does not match the event schema"}', 'rejected'],
    [500, '{"error":"handler failed"}', 'rejected'],
  ] as const)('%i %s -> %s', (status, body, want) => {
    expect(outcomeOf(status, body)).toBe(want);
  });

  it('counts outcomes in a fixed order, leaving out zeros', () => {
    expect(outcomeCounts(['quarantined', 'handled', 'handled', 'rejected'])).toBe(
      '2 handled, 1 quarantined, 1 rejected',
    );
    expect(outcomeCounts([])).toBe('nothing sent');
  });
});
