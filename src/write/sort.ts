/** The one ordering of the write stage: by UTF-16 code unit, so it never depends on the locale. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A plain object with its keys in compareCodeUnits order (safe for keys such as `__proto__`). */
export function sortedRecord<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  return Object.fromEntries([...entries].sort(([a], [b]) => compareCodeUnits(a, b)));
}
