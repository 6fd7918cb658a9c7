import type { EventChanges } from './types.js';
import { compareText } from '../shared/order.js';

/** Events added, removed, or with a new payload hash since the previous run (none previous: all added). */
export function compareEvents(
  previous: Record<string, string> | undefined,
  next: Record<string, string>,
): EventChanges {
  const before = new Map(Object.entries(previous ?? {}));
  const after = new Map(Object.entries(next));
  const sorted = (names: Iterable<string>): string[] => [...names].sort(compareText);
  return {
    added: sorted([...after.keys()].filter((name) => !before.has(name))),
    removed: sorted([...before.keys()].filter((name) => !after.has(name))),
    changed: sorted(
      [...after].filter(([name, hash]) => before.has(name) && before.get(name) !== hash).map(([name]) => name),
    ),
  };
}
