/**
 * JSON with sorted keys, where a schema met again on the current path is written as a reference
 * to its name: parser output can contain cycles (User -> numbers -> Number -> users -> User).
 */
export function stableJson(value: unknown, stack: object[] = []): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (stack.includes(value)) {
    const id = (value as Record<string, unknown>)['x-parser-schema-id'];
    return JSON.stringify({ $cycle: typeof id === 'string' ? id : '?' });
  }
  stack.push(value);
  const out = Array.isArray(value)
    ? `[${value.map((item) => stableJson(item, stack)).join(',')}]`
    : `{${Object.keys(value)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key], stack)}`)
        .join(',')}}`;
  stack.pop();
  return out;
}
