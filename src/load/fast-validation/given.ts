import type { JsonPath } from './types.js';

/** A value of the resolved document that a rule's `given` JSONPath matches, with its path. */
export interface Match {
  path: JsonPath;
  value: unknown;
  parent?: Match;
}

export type Given = (root: unknown) => Match[];

type Segment =
  | { kind: 'members'; names: Set<string> }
  /** `.[a,b]`: nimma reads it as `..[a,b]`, every descendant named a or b, at any depth. */
  | { kind: 'descendants'; names: Set<string>; holders: WeakMap<object, boolean> }
  | { kind: 'wildcard' }
  | { kind: 'filter'; test: (value: unknown, key: string | number) => boolean }
  | { kind: 'parent' };

/**
 * Evaluates the `given` paths of the parser's AsyncAPI 2 rules without Spectral's document traversal,
 * which costs more than the fast rules themselves on a large resolved document. Only the JSONPath
 * forms those rules use are understood (`.name`, `.*`, `[*]`, `[a,b]`, `.[a,b]`, the filters on
 * `@property`, `@null` and `@.<key> ===/!== void 0`, and a final `^`); for anything else this returns
 * undefined and the rule keeps Spectral's traversal. Matching follows nimma's (test/load checks it
 * against Spectral): children are the own keys of objects and the indexes of arrays, only objects and
 * arrays have children, and `.[a,b]` reaches every descendant named a or b, not only children.
 */
export function compileGiven(expression: string): Given | undefined {
  const segments = parseSegments(expression);
  if (segments === undefined) return undefined;
  return (root) => {
    let matches: Match[] = [{ path: [], value: root }];
    for (const segment of segments) matches = matches.flatMap((match) => step(match, segment));
    return matches;
  };
}

function children(match: Match): Match[] {
  const { value } = match;
  if (typeof value !== 'object' || value === null) return [];
  if (Array.isArray(value))
    return value.map((item, index) => ({ path: [...match.path, index], value: item, parent: match }));
  return Object.keys(value).map((key) => ({
    path: [...match.path, key],
    value: (value as Record<string, unknown>)[key],
    parent: match,
  }));
}

function step(match: Match, segment: Segment): Match[] {
  switch (segment.kind) {
    case 'wildcard':
      return children(match);
    case 'members':
      return children(match).filter((child) => isNamed(child, segment.names));
    case 'descendants':
      return descendants(match, segment.names, segment.holders);
    case 'filter':
      return children(match).filter((child) => segment.test(child.value, child.path.at(-1)!));
    case 'parent':
      return match.parent ? [match.parent] : [];
  }
}

function isNamed(match: Match, names: Set<string>): boolean {
  const key = match.path.at(-1);
  return typeof key === 'string' && names.has(key);
}

/**
 * Every descendant named one of `names`, in document order. The resolved document repeats shared
 * objects along many paths, so subtrees without any such key are skipped, remembered per object.
 */
function descendants(match: Match, names: Set<string>, holders: WeakMap<object, boolean>): Match[] {
  const holds = (value: unknown): boolean => {
    if (typeof value !== 'object' || value === null) return false;
    let known = holders.get(value);
    if (known === undefined) {
      holders.set(value, false); // the resolver leaves no cycles; this only guards against one
      known = Array.isArray(value)
        ? value.some(holds)
        : Object.keys(value).some((key) => names.has(key) || holds((value as Record<string, unknown>)[key]));
      holders.set(value, known);
    }
    return known;
  };
  const found: Match[] = [];
  const visit = (node: Match) => {
    for (const child of children(node)) {
      if (isNamed(child, names)) found.push(child);
      if (holds(child.value)) visit(child);
    }
  };
  if (holds(match.value)) visit(match);
  return found;
}

const NAME = '[A-Za-z_$][\\w$-]*';
const TOKEN = new RegExp(
  `^(?:\\.(${NAME})|\\.\\*|\\[\\*\\]|(\\.?)\\[(${NAME}(?:,${NAME})*)\\]|\\[\\?\\((.+?)\\)\\](?=\\.|\\[|\\^|$)|\\^$)`,
);

function parseSegments(expression: string): Segment[] | undefined {
  if (!expression.startsWith('$')) return undefined;
  const segments: Segment[] = [];
  let rest = expression.slice(1);
  while (rest.length > 0) {
    const token = TOKEN.exec(rest);
    if (!token) return undefined;
    const [text, member, deep, union, filter] = token;
    if (member !== undefined) segments.push({ kind: 'members', names: new Set([member]) });
    else if (union !== undefined && deep === '.')
      segments.push({ kind: 'descendants', names: new Set(union.split(',')), holders: new WeakMap() });
    else if (union !== undefined) segments.push({ kind: 'members', names: new Set(union.split(',')) });
    else if (filter !== undefined) {
      const test = parseFilter(filter);
      if (test === undefined) return undefined;
      segments.push({ kind: 'filter', test });
    } else if (text === '^') segments.push({ kind: 'parent' });
    else segments.push({ kind: 'wildcard' });
    rest = rest.slice(text.length);
  }
  return segments;
}

/** `&&`-joined terms: `@property === '<key>'`, `!@null`, and `@.<key>` compared (`===`, `!==`, `==`, `!=`) with `void 0`. */
function parseFilter(filter: string): ((value: unknown, key: string | number) => boolean) | undefined {
  const tests: ((value: unknown, key: string | number) => boolean)[] = [];
  for (const term of filter.split(' && ')) {
    const property = /^@property === (?:'([^']*)'|"([^"]*)")$/.exec(term);
    const comparison = new RegExp(`^@\\.(${NAME}) (===|!==|==|!=) void 0$`).exec(term);
    if (property) {
      const name = property[1] ?? property[2];
      tests.push((_value, key) => key === name);
    } else if (term === '!@null') {
      tests.push((value) => value !== null);
    } else if (comparison) {
      const [, name, operator] = comparison;
      const read = (value: unknown) =>
        typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name!] : undefined;
      const compare: Record<string, (found: unknown) => boolean> = {
        '===': (found) => found === undefined,
        '!==': (found) => found !== undefined,
        '==': (found) => found === undefined || found === null,
        '!=': (found) => found !== undefined && found !== null,
      };
      const test = compare[operator!]!;
      tests.push((value) => test(read(value)));
    } else {
      return undefined;
    }
  }
  return (value, key) => tests.every((test) => test(value, key));
}
