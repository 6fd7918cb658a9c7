import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyPlan,
  isUpToDate,
  planWrites,
  recoverInterruptedWrite,
  RETIRED_DIR,
  STAGING_DIR,
  type ApplyCheckpoint,
  type Plan,
} from '../../src/write/index.js';
import { actions, generate, inputHashOf, makeTempDir, sampleFiles, snapshot, V1, V2 } from './helpers.js';

/** An output folder holding a complete V1 run (with a hand-written handler), and the plan to move it to V2. */
async function oldOutputAndPlan(): Promise<{ out: string; plan: Plan }> {
  const out = await makeTempDir();
  await generate(out, V1);
  await writeFile(path.join(out, 'handlers/call-created.ts'), 'my handler');
  const plan = await planWrites(out, sampleFiles(V2), { inputHash: inputHashOf(V2), eventHashes: V2 });
  return { out, plan };
}

function withoutStaging(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(files).filter(
      ([file]) => !file.startsWith(`${STAGING_DIR}/`) && !file.startsWith(`${RETIRED_DIR}/`),
    ),
  );
}

class Crash extends Error {}

async function applyCrashingAt(plan: Plan, at: ApplyCheckpoint): Promise<void> {
  const error = await applyPlan(plan, sampleFiles(V2), {
    onCheckpoint: (point) => {
      if (JSON.stringify(point) === JSON.stringify(at)) throw new Crash(JSON.stringify(point));
    },
  }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(Crash);
}

describe('applyPlan is atomic with respect to crashes', async () => {
  // Every checkpoint a full V1 -> V2 write passes, and the outputs before and after it.
  const reference = await oldOutputAndPlan();
  const oldOutput = await snapshot(reference.out);
  const checkpoints: ApplyCheckpoint[] = [];
  await applyPlan(reference.plan, sampleFiles(V2), { onCheckpoint: (point) => void checkpoints.push(point) });
  const newOutput = await snapshot(reference.out);
  const beforeCommit = checkpoints.filter((point) => point.phase === 'staged' || point.phase === 'journal-staged');
  const afterCommit = checkpoints.filter(
    (point) => point.phase !== 'staged' && point.phase !== 'journal-staged' && point.phase !== 'retired',
  );

  it('passes the checkpoints the tests below rely on', () => {
    expect(newOutput).not.toEqual(oldOutput);
    expect(newOutput['handlers/call-created.ts']).toBe('my handler');
    const steps = afterCommit.filter((point) => point.phase === 'step-done');
    // 1 deletion + 4 writes (events.ts, 2 fixtures, 1 handler) + the manifest
    expect(steps).toHaveLength(6);
    expect(beforeCommit).toHaveLength(4 + 1 + 1); // 4 writes and the manifest staged, then the journal
  });

  it.each(beforeCommit.map((point) => [JSON.stringify(point), point] as const))(
    'a crash before the commit point (%s) leaves exactly the old output; recovery cleans the staged files',
    async (_name, point) => {
      const { out, plan } = await oldOutputAndPlan();
      await applyCrashingAt(plan, point);

      expect(withoutStaging(await snapshot(out))).toEqual(oldOutput);
      expect(await isUpToDate(out, inputHashOf(V1))).toBe(false); // leftovers to clean first
      expect(await recoverInterruptedWrite(out)).toBe('cleaned');
      expect(await snapshot(out)).toEqual(oldOutput);
      expect(await recoverInterruptedWrite(out)).toBe('none');
      expect(await isUpToDate(out, inputHashOf(V1))).toBe(true);
    },
  );

  it.each(afterCommit.map((point) => [JSON.stringify(point), point] as const))(
    'a crash after the commit point (%s) never leaves a torn file; recovery completes the new output',
    async (_name, point) => {
      const { out, plan } = await oldOutputAndPlan();
      await applyCrashingAt(plan, point);

      const interrupted = withoutStaging(await snapshot(out));
      for (const [file, contents] of Object.entries(interrupted)) {
        expect([oldOutput[file], newOutput[file]], file).toContain(contents);
      }
      expect(await isUpToDate(out, inputHashOf(V1))).toBe(false);
      expect(await isUpToDate(out, inputHashOf(V2))).toBe(false);
      await expect(planWrites(out, sampleFiles(V2), { inputHash: inputHashOf(V2), eventHashes: V2 })).rejects.toThrow(
        /interrupted/,
      );

      expect(await recoverInterruptedWrite(out)).toBe('rolled-forward');
      expect(await snapshot(out)).toEqual(newOutput);
      expect(await recoverInterruptedWrite(out)).toBe('none');
      expect(await isUpToDate(out, inputHashOf(V2))).toBe(true);
      const next = await generate(out, V2);
      expect(new Set(Object.values(actions(next)))).toEqual(new Set(['unchanged', 'kept', 'orphaned']));
    },
  );

  it('a crash while deleting the finished staging folder leaves the new output; recovery deletes the leftovers', async () => {
    expect(checkpoints.at(-1)).toEqual({ phase: 'retired' });
    const { out, plan } = await oldOutputAndPlan();
    await applyCrashingAt(plan, { phase: 'retired' });

    const files = await snapshot(out);
    expect(Object.keys(files).some((file) => file.startsWith(`${RETIRED_DIR}/`))).toBe(true);
    expect(Object.keys(files).some((file) => file.startsWith(`${STAGING_DIR}/`))).toBe(false);
    expect(withoutStaging(files)).toEqual(newOutput);
    expect(await isUpToDate(out, inputHashOf(V2))).toBe(false); // leftovers to delete first
    expect(await recoverInterruptedWrite(out)).toBe('none');
    expect(await snapshot(out)).toEqual(newOutput);
    expect(await isUpToDate(out, inputHashOf(V2))).toBe(true);
  });

  it('a user file created while a write was interrupted is not overwritten by recovery', async () => {
    const { out, plan } = await oldOutputAndPlan();
    await applyCrashingAt(plan, { phase: 'committed' });
    await writeFile(path.join(out, 'handlers/user-opened.ts'), 'written meanwhile');
    expect(await recoverInterruptedWrite(out)).toBe('rolled-forward');
    expect((await snapshot(out))['handlers/user-opened.ts']).toBe('written meanwhile');
  });

  it('a real failure before the commit point removes the staged files itself', async () => {
    const { out, plan } = await oldOutputAndPlan();
    const tampered = sampleFiles(V2).map((file) => (file.path === 'events.ts' ? { ...file, contents: 'x' } : file));
    await expect(applyPlan(plan, tampered)).rejects.toThrow(/do not match the plan/);
    expect(await snapshot(out)).toEqual(oldOutput);
    expect(await recoverInterruptedWrite(out)).toBe('none');
  });
});
