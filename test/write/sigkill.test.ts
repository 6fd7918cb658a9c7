import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUpToDate, RETIRED_DIR, recoverInterruptedWrite } from '../../src/write/index.js';
import { generate, inputHashOf, makeTempDir, repoRoot, sampleFiles, snapshot } from './helpers.js';

// The child runs the real module in a plain `node` process, so it can be SIGKILLed for real (no finally
// blocks, no exit handlers). It imports a copy of src/write transpiled here, so the test does not depend
// on the rest of the repo building.
const CHILD = `
import { readFile } from 'node:fs/promises';
const [moduleUrl, out, jobFile, killAt] = process.argv.slice(2);
const { planWrites, applyPlan } = await import(moduleUrl);
const { files, inputHash, eventHashes } = JSON.parse(await readFile(jobFile, 'utf8'));
const plan = await planWrites(out, files, { inputHash, eventHashes });
process.stdout.write('applying\\n');
await applyPlan(plan, files, {
  onCheckpoint: (point) => {
    if (JSON.stringify(point) === killAt) process.kill(process.pid, 'SIGKILL');
  },
});
process.stdout.write('done\\n');
`;

let libDir: string;
let moduleUrl: string;
let childScript: string;

beforeAll(async () => {
  await mkdir(path.join(repoRoot, 'test', '.tmp'), { recursive: true });
  libDir = await mkdtemp(path.join(repoRoot, 'test', '.tmp', 'sigkill-lib-'));
  const sources = [
    'src/errors.ts',
    'src/shared/hash.ts', // sha256, shared with the model stage
    'src/shared/order.ts', // compareText, the one ordering
    'src/model/hash.ts', // stableJson, canonical JSON for hashing
    'src/model/shape.ts', // shape tables the manifest keeps
    'src/model/shape-diff.ts', // field-level event changes
    ...(await readdir(path.join(repoRoot, 'src/write')))
      .filter((name) => name.endsWith('.ts'))
      .map((name) => `src/write/${name}`),
  ];
  for (const source of sources) {
    const { outputText } = ts.transpileModule(await readFile(path.join(repoRoot, source), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    });
    const target = path.join(libDir, source.replace(/\.ts$/, '.js'));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, outputText);
  }
  await writeFile(path.join(libDir, 'package.json'), '{ "type": "module" }\n');
  childScript = path.join(libDir, 'child.mjs');
  await writeFile(childScript, CHILD);
  moduleUrl = pathToFileURL(path.join(libDir, 'src/write/index.js')).href;
});

afterAll(async () => {
  await rm(libDir, { recursive: true, force: true });
});

/** Runs the child to apply `events` over `out`; resolves with how it ended. */
interface ChildResult {
  signal: NodeJS.Signals | null;
  code: number | null;
  stderr: string;
  /** From the start of applyPlan to the end of the process. */
  applyMs: number;
}

/** Runs the child; it kills itself at checkpoint `killAt`, or the parent kills it `killAfterMs` into applyPlan. */
function runChild(out: string, jobFile: string, killAt: string, killAfterMs?: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childScript, moduleUrl, out, jobFile, killAt], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let applyStarted = Number.NaN;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      if (!chunk.toString().includes('applying')) return;
      applyStarted = performance.now();
      if (killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, stderr, applyMs: performance.now() - applyStarted }));
  });
}

function manyEvents(count: number, version: string): Record<string, string> {
  return Object.fromEntries(
    Array.from({ length: count }, (_, index) => [
      `event.n${index}`,
      `${version}-${index % 3 === 0 ? version : 'same'}`,
    ]),
  );
}

async function prepare(oldEvents: Record<string, string>, newEvents: Record<string, string>) {
  const base = await makeTempDir();
  const out = path.join(base, 'out');
  await generate(out, oldEvents);
  const oldOutput = await snapshot(out);
  const reference = path.join(base, 'reference');
  await generate(reference, oldEvents);
  await generate(reference, newEvents);
  const newOutput = await snapshot(reference);
  const jobFile = path.join(base, 'job.json');
  await writeFile(
    jobFile,
    JSON.stringify({ files: sampleFiles(newEvents), inputHash: inputHashOf(newEvents), eventHashes: newEvents }),
  );
  return { out, jobFile, oldOutput, newOutput };
}

describe('a write SIGKILLed in a real child process', () => {
  const oldEvents = manyEvents(20, 'v1');
  const newEvents = { ...manyEvents(18, 'v2'), 'extra.event': 'x' }; // 2 removed, some changed, 1 added

  it.each([
    ['while staging', { phase: 'staged', index: 3 }, 'cleaned'],
    ['after staging the journal', { phase: 'journal-staged' }, 'cleaned'],
    ['right after the commit', { phase: 'committed' }, 'rolled-forward'],
    ['after the first step', { phase: 'step-done', index: 0 }, 'rolled-forward'],
    ['half-way through the steps', { phase: 'step-done', index: 10 }, 'rolled-forward'],
    ['before removing the staging folder', { phase: 'finished' }, 'rolled-forward'],
    ['while deleting the retired staging folder', { phase: 'retired' }, 'none'],
  ])(
    'killed %s: recovery restores the old output or completes the new one',
    async (_name, point, outcome) => {
      const { out, jobFile, oldOutput, newOutput } = await prepare(oldEvents, newEvents);
      const result = await runChild(out, jobFile, JSON.stringify(point));
      expect(result.stderr).toBe('');
      expect(result.signal).toBe('SIGKILL');

      expect(await recoverInterruptedWrite(out)).toBe(outcome);
      expect(await snapshot(out)).toEqual(outcome === 'cleaned' ? oldOutput : newOutput);
      expect(await readdir(out)).not.toContain(RETIRED_DIR);
      expect(await isUpToDate(out, inputHashOf(outcome === 'cleaned' ? oldEvents : newEvents))).toBe(true);
    },
    20_000,
  );

  it('completes normally when not killed', async () => {
    const { out, jobFile, newOutput } = await prepare(oldEvents, newEvents);
    const result = await runChild(out, jobFile, 'never');
    expect(result).toMatchObject({ code: 0, signal: null, stderr: '' });
    expect(await snapshot(out)).toEqual(newOutput);
  }, 20_000);

  it('killed at random moments of a large write: after recovery, exactly the old or exactly the new output', async () => {
    const big = { old: manyEvents(150, 'v1'), new: manyEvents(150, 'v2') };
    // Time one uninterrupted write on this machine, then kill others at fractions of that time.
    const timing = await prepare(big.old, big.new);
    const { applyMs } = await runChild(timing.out, timing.jobFile, 'never');
    const outcomes: string[] = [];
    for (const fraction of [0, 0.1, 0.25, 0.4, 0.55, 0.7, 0.85, 1]) {
      const killAfterMs = Math.round(fraction * applyMs);
      const { out, jobFile, oldOutput, newOutput } = await prepare(big.old, big.new);
      const result = await runChild(out, jobFile, 'never', killAfterMs);
      expect(result.stderr).toBe('');
      const recovery = await recoverInterruptedWrite(out);
      const after = JSON.stringify(await snapshot(out));
      const state = after === JSON.stringify(oldOutput) ? 'old' : after === JSON.stringify(newOutput) ? 'new' : 'MIXED';
      outcomes.push(`${killAfterMs}ms:${result.signal ?? 'exit'}/${recovery}/${state}`);
      expect(state, outcomes.join(' ')).not.toBe('MIXED');
      if (recovery === 'cleaned') expect(state, outcomes.join(' ')).toBe('old');
      if (recovery === 'rolled-forward') expect(state, outcomes.join(' ')).toBe('new');
    }
  }, 60_000);
});
