import type { Diagnostic } from '@asyncapi/parser';
import { parse } from 'yaml';

/**
 * @asyncapi/parser checks examples with ajv's default `ownProperties: false`, so a property named
 * like one of Object.prototype's (`constructor`, `toString`, ...) that an example leaves out is read
 * from the prototype (a function) and reported as "must be string": a valid spec fails. Such a
 * report is recognised by its path, which ends at a name the example object inherits but does not
 * have; these are the reports to drop. Everything else the parser says stands.
 */
export function isInheritedNameFalseAlarm(diagnostic: Diagnostic, document: unknown): boolean {
  if (diagnostic.severity !== 0 || !String(diagnostic.code).includes('examples')) return false;
  const path = diagnostic.path.map(String);
  const last = path[path.length - 1];
  if (last === undefined || !(last in Object.prototype)) return false;
  const parent = follow(document, path.slice(0, -1));
  return isObject(parent) && !Object.hasOwn(parent, last);
}

/** The document's YAML (or JSON) as plain data, or undefined when it does not parse. */
export function readData(text: string): unknown {
  try {
    return parse(text, { maxAliasCount: 100 });
  } catch {
    return undefined;
  }
}

/** The value at `path`, following local `$ref`s as the parser's resolver does (at most 64 of them). */
function follow(root: unknown, path: readonly string[], budget = { refs: 64 }): unknown {
  let current = deref(root, root, budget);
  for (const segment of path) {
    if (!isObject(current) && !Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, segment)) return undefined;
    current = deref(root, (current as Record<string, unknown>)[segment], budget);
  }
  return current;
}

function deref(root: unknown, value: unknown, budget: { refs: number }): unknown {
  if (!isObject(value) || typeof value['$ref'] !== 'string') return value;
  const ref = value['$ref'];
  // A `$ref` loop must not hang the check: past the budget, the answer is "unknown".
  if (!ref.startsWith('#/') || --budget.refs < 0) return undefined;
  let pointer: string[];
  try {
    pointer = ref
      .slice(2)
      .split('/')
      .map((token) => decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~'));
  } catch {
    return undefined; // malformed %-escape: the parser reports the ref itself
  }
  return follow(root, pointer, budget);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
