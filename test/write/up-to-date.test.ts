import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isUpToDate, STAGING_DIR } from '../../src/write/index.js';
import { generate, inputHashOf, makeTempDir, V1 } from './helpers.js';

describe('isUpToDate', () => {
  it('is true right after a run with the same input hash', async () => {
    const out = await makeTempDir();
    await generate(out, V1);
    expect(await isUpToDate(out, inputHashOf(V1))).toBe(true);
  });

  it('is false with no output folder or no manifest', async () => {
    const out = await makeTempDir();
    expect(await isUpToDate(path.join(out, 'missing'), 'x')).toBe(false);
    expect(await isUpToDate(out, 'x')).toBe(false);
  });

  it('is false for a different input hash', async () => {
    const out = await makeTempDir();
    await generate(out, V1);
    expect(await isUpToDate(out, 'something else')).toBe(false);
  });

  it('is false when a generator file was edited', async () => {
    const out = await makeTempDir();
    await generate(out, V1);
    await writeFile(path.join(out, 'fixtures/call-ended.json'), '{}');
    expect(await isUpToDate(out, inputHashOf(V1))).toBe(false);
  });

  it('is false when a generator file is missing', async () => {
    const out = await makeTempDir();
    await generate(out, V1);
    await rm(path.join(out, 'events.ts'));
    expect(await isUpToDate(out, inputHashOf(V1))).toBe(false);
  });

  it('ignores edits to user files, but a deleted handler needs a run (its stub comes back)', async () => {
    const out = await makeTempDir();
    await generate(out, V1);
    await writeFile(path.join(out, 'handlers/call-created.ts'), 'mine');
    expect(await isUpToDate(out, inputHashOf(V1))).toBe(true);
    await rm(path.join(out, 'handlers/call-ended.ts'));
    expect(await isUpToDate(out, inputHashOf(V1))).toBe(false);
  });

  it('is false while a journal is pending or staged files are left over', async () => {
    const out = await makeTempDir();
    await generate(out, V1);
    await mkdir(path.join(out, STAGING_DIR));
    await writeFile(path.join(out, STAGING_DIR, 'journal.json'), '{"steps":[]}\n');
    expect(await isUpToDate(out, inputHashOf(V1))).toBe(false);
    await rm(path.join(out, STAGING_DIR, 'journal.json'));
    expect(await isUpToDate(out, inputHashOf(V1))).toBe(false);
  });

  it('is false (not a throw) when the manifest is corrupt: the full run reports it', async () => {
    const out = await makeTempDir();
    await generate(out, V1);
    await writeFile(path.join(out, 'aircall-gen.manifest.json'), '{');
    expect(await isUpToDate(out, inputHashOf(V1))).toBe(false);
  });

  it('answers in a few milliseconds for ~150 events (301 generator files)', async () => {
    const out = await makeTempDir();
    const events = Object.fromEntries(Array.from({ length: 150 }, (_, index) => [`event.n${index}`, `hash-${index}`]));
    await generate(out, events);
    const timings: number[] = [];
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      expect(await isUpToDate(out, inputHashOf(events))).toBe(true);
      timings.push(performance.now() - started);
    }
    // ~5 ms on an idle 2-core machine; the bound only catches a regression to something slow.
    expect(Math.min(...timings)).toBeLessThan(50);
  });
});
