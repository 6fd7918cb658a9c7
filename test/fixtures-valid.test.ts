import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generate } from '../src/generate.js';
import { BUNDLED_SPEC, UPSTREAM_SPEC, tempDir } from './support/project.js';

// Every fixture aircall-gen writes must pass its own event's generated validator: `send` posts them,
// and a fixture the receiver quarantines proves nothing about the handler.

type Validate = (event: string, body: unknown) => unknown[] | null;

async function invalidFixtures(spec: string, name: string): Promise<Record<string, unknown>> {
  const out = join(await tempDir(`fixtures-${name}`), 'out');
  await generate({ spec, out });
  const { validateEvent } = (await import(pathToFileURL(join(out, 'validators.ts')).href)) as {
    validateEvent: Validate;
  };
  const manifest = JSON.parse(await readFile(join(out, 'aircall-gen.manifest.json'), 'utf8'));
  const events = Object.keys(manifest.events);
  expect(events.length).toBeGreaterThan(0);
  const invalid: Record<string, unknown> = {};
  for (const event of events) {
    const body = JSON.parse(await readFile(join(out, 'fixtures', `${event}.json`), 'utf8'));
    const issues = validateEvent(event, body);
    if (issues !== null) invalid[event] = issues;
  }
  return invalid;
}

describe('generated fixtures validate against their own event', () => {
  it('for every event of the bundled spec', async () => {
    expect(await invalidFixtures(BUNDLED_SPEC, 'bundled')).toEqual({});
  }, 180_000);

  const upstream = existsSync(UPSTREAM_SPEC);
  if (!upstream)
    console.log(`SKIPPED: the upstream document is not at ${UPSTREAM_SPEC}; its fixture test did not run.`);
  it.skipIf(!upstream)(
    'for every event of the upstream document',
    async () => {
      expect(await invalidFixtures(UPSTREAM_SPEC, 'upstream')).toEqual({});
    },
    180_000,
  );
});
