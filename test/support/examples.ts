// The real Aircall delivery bodies the tests use live in the repository (test/fixtures/examples, data copied
// verbatim), so a clone tests itself. The upstream AsyncAPI document stays outside the repository: the tests
// of it skip, and say so, when ../shared/aircall is not beside the clone.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** 13 real webhook bodies (tokens replaced by EXAMPLE_TOKEN), one file per event: `<event>.json`. */
export const EXAMPLES_DIR = join(ROOT, 'test/fixtures/examples');

/** The public third-party AsyncAPI document, kept beside the project rather than in it. */
export const UPSTREAM_SPEC = join(ROOT, '../shared/aircall/upstream-asyncapi.yml');
export const UPSTREAM_PRESENT = existsSync(UPSTREAM_SPEC);

export interface Example {
  /** The file name, e.g. `call.created.json`. */
  file: string;
  /** The event the file is named after. */
  event: string;
  body: Record<string, unknown>;
}

/** Every real example body, sorted by file name. */
export function readExamples(): Example[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const body: unknown = JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8'));
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error(`${file} is not an object`);
      return { file, event: file.slice(0, -'.json'.length), body: body as Record<string, unknown> };
    });
}

/**
 * True when the tests of the upstream document must skip; then prints which tests and which missing file,
 * so a skipped run never reads as a passing one. Use as `describe.skipIf(skipWithoutUpstream('...'))`.
 */
export function skipWithoutUpstream(what: string): boolean {
  if (UPSTREAM_PRESENT) return false;
  console.warn(`SKIPPED ${what}: the upstream document ${UPSTREAM_SPEC} is absent.`);
  return true;
}
