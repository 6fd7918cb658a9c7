import { dirname, resolve } from 'node:path';
import { isScalar, LineCounter, parseDocument, visit } from 'yaml';
import { UserError } from '../errors.js';
import type { RefRefusal } from './ref-guard.js';

/** What a `$ref` value points at, resolved the way the parser resolves it: a URL or an absolute path. */
function refTarget(value: string, specPath: string): string | undefined {
  const withoutFragment = value.split('#')[0]!;
  if (withoutFragment === '') return undefined; // a pointer into the spec itself
  if (/^https?:/i.test(withoutFragment)) return withoutFragment;
  if (/^file:/i.test(withoutFragment)) return resolve(new URL(withoutFragment).pathname);
  return resolve(dirname(specPath), decodeURI(withoutFragment));
}

/** `file:line:col` of every `$ref` in one file's text (the spec or a file it references), by the target it resolves to. */
function refLocations(text: string, specPath: string, found = new Map<string, string>()): Map<string, string> {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  visit(document, {
    Pair(_key, pair) {
      if (!isScalar(pair.key) || pair.key.value !== '$ref' || !isScalar(pair.value)) return;
      const target = typeof pair.value.value === 'string' ? refTarget(pair.value.value, specPath) : undefined;
      if (target === undefined || found.has(target) || !pair.value.range) return;
      const { line, col } = lineCounter.linePos(pair.value.range[0]);
      found.set(target, `${specPath}:${line}:${col}`);
    },
  });
  return found;
}

/**
 * One UserError for every refused `$ref`, each with where it is written: a line of the spec, or of the
 * file the spec references that holds it (`referenced`: path -> text of each file read).
 */
export function refusedRefsError(
  refusals: readonly RefRefusal[],
  specPath: string,
  text: string,
  referenced: ReadonlyMap<string, string> = new Map(),
): UserError {
  const locations = refLocations(text, specPath);
  for (const [file, fileText] of referenced) refLocations(fileText, file, locations);
  const where = (r: RefRefusal) => locations.get(r.target) ?? `${specPath} (in a file it references)`;
  const lines = refusals.map((r) => `  ${where(r)}: $ref ${r.target} was not read: ${r.reason}`);
  const hints = [...new Set(refusals.map((r) => r.hint))];
  return new UserError(
    `The spec has ${refusals.length === 1 ? 'a $ref' : `${refusals.length} $refs`} that aircall-gen may not follow:\n${lines.join('\n')}`,
    { location: where(refusals[0]!), hint: hints.join(' ') },
  );
}
