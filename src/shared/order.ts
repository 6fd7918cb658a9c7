/**
 * The one ordering used for everything the generator emits: plain UTF-16 code-unit order,
 * independent of the machine's locale, so output is byte-identical everywhere.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...items].sort((x, y) => compareText(key(x), key(y)));
}
