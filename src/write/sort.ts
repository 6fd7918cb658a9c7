import { compareText } from '../shared/order.js';

/** A plain object with its keys in compareText order (safe for keys such as `__proto__`). */
export function sortedRecord<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  return Object.fromEntries([...entries].sort(([a], [b]) => compareText(a, b)));
}
