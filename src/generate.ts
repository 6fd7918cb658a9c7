import { resolve } from 'node:path';
import { BUNDLED_SPEC, generatorFingerprint } from './fingerprint.js';
import { readCachedFingerprint, writeCachedFingerprint } from './cache.js';
import { readSpec } from './load/read-spec.js';
import { describeInvocation, relativePosix } from './model/invocation.js';
import type { SpecReadPolicy } from './load/ref-guard.js';
import type { SpecDiagnostic } from './load/diagnostics.js';
import { loadStages } from './pipeline/stages.js';
import { startStageClock } from './pipeline/timings.js';
import { sha256 } from './shared/hash.js';
import {
  applyPlan,
  isStale,
  isUpToDate,
  planWrites,
  readManifest,
  recoverInterruptedWrite,
  retiredEvents,
  type Manifest,
  type Plan,
} from './write/index.js';
import { assertOutputFolder } from './write/output-folder.js';

/** `SpecReadPolicy`: which `$ref`s the spec may read, and how large it and they may be. */
export interface GenerateOptions extends SpecReadPolicy {
  /** AsyncAPI document; defaults to the Aircall spec bundled with aircall-gen. */
  spec?: string;
  /** Output folder; defaults to `./generated`. */
  out?: string;
  /** Plan only: write nothing. */
  dryRun?: boolean;
  /** Write nothing; report whether the generator's files are missing or stale. */
  check?: boolean;
  /** Overwrite generator-owned files that were edited by hand. User files are never overwritten. */
  force?: boolean;
}

export interface GenerateResult {
  specPath: string;
  outDir: string;
  /** Nothing to do: the spec, the generator and every owned file are as last generated. */
  upToDate: boolean;
  plan: Plan | undefined;
  /** With check: whether anything the generator owns is missing or stale. */
  stale: boolean;
  /** Whether files were written. */
  written: boolean;
  warnings: SpecDiagnostic[];
  events: number;
  /** Milliseconds spent in each stage, for --json and the benchmark. */
  timings: Record<string, number>;
}

export const DEFAULT_OUT = 'generated';

/** The previous manifest, read once and only when first needed (up-to-date check, retired events, plan). */
function previousManifest(outDir: string): () => Promise<Manifest | undefined> {
  let read: Promise<Manifest | undefined> | undefined;
  return () => (read ??= readManifest(outDir));
}

/**
 * The whole pipeline: read -> (unchanged? stop) -> parse + validate -> model -> render -> format -> plan -> write.
 * Heavy stages are imported only when the spec or generator changed, which keeps a no-op run fast.
 */
export async function generate(options: GenerateOptions = {}): Promise<GenerateResult> {
  const clock = startStageClock();
  const specPath = resolve(options.spec ?? BUNDLED_SPEC);
  const outDir = resolve(options.out ?? DEFAULT_OUT);
  const writes = !options.dryRun && !options.check;
  const base = { specPath, outDir, warnings: [] as SpecDiagnostic[], timings: clock.timings };

  assertOutputFolder(outDir);
  if (writes) await recoverInterruptedWrite(outDir);
  const text = await readSpec(specPath, options.maxSpecBytes);
  // The manifest records the spec's hash; which generator produced the folder is cached outside it.
  const inputHash = sha256(text);
  const fingerprint = await generatorFingerprint();
  const previous = previousManifest(outDir);
  const sameGenerator = (await readCachedFingerprint(outDir)) === fingerprint;
  const upToDate = !options.force && sameGenerator && (await isUpToDate(outDir, inputHash, previous()));
  clock.lap('upToDateCheck');
  if (upToDate) return { ...base, upToDate: true, plan: undefined, stale: false, written: false, events: -1 };

  const stages = await loadStages();
  clock.lap('import');
  const parsed = await stages.parseSpec(specPath, text, options);
  clock.lap('parse');
  const spec = stages.buildEvents(parsed);
  const retiredNames = await retiredEvents(outDir, previous(), new Set(spec.events.map((e) => e.name)));
  const retired = stages.describeRetired(retiredNames, await previous());
  clock.lap('model');
  const validators = stages.renderValidatorsModule({
    events: spec.events.map(({ name, schema }) => ({ name, schema })),
  });
  clock.lap('validators');
  const models = await stages.renderModels(spec.payloads);
  clock.lap('models');
  const invocation = describeInvocation(process.cwd(), outDir, options.spec === undefined ? undefined : specPath);
  const rendered = await stages.renderFiles({ spec, models, validators, retired, invocation });
  clock.lap('render');
  const formatted = await stages.formatGenerated(rendered);
  clock.lap('format');

  const eventHashes = Object.fromEntries(spec.events.map((e) => [e.name, e.schemaHash]));
  const plan = await planWrites(outDir, formatted, {
    force: options.force ?? false,
    inputHash,
    eventHashes,
    specFromOut: options.spec === undefined ? undefined : relativePosix(outDir, specPath),
    refs: Object.fromEntries([...parsed.refInputs.files].map(([file, hash]) => [relativePosix(outDir, file), hash])),
    remoteRefs: parsed.refInputs.remote,
    // Retired events keep their last shape in the manifest, so their handlers stay typed next run too.
    shapes: { ...(await previous())?.schemas, ...spec.shapes },
    retiredHashes: Object.fromEntries(retired.flatMap((e) => (e.hash === undefined ? [] : [[e.name, e.hash]]))),
    previous: previous(),
  });
  const files = writes ? await stages.formatCreatedUserFiles(formatted, plan) : formatted;
  clock.lap('plan');
  const result = { ...base, warnings: parsed.diagnostics, upToDate: false, plan, events: spec.events.length };

  if (!writes) {
    const stale = isStale(plan);
    if (options.check && !stale) await writeCachedFingerprint(outDir, fingerprint);
    return { ...result, stale, written: false };
  }
  await applyPlan(plan, files); // refuses, writing nothing, when a generated file was changed by hand
  await writeCachedFingerprint(outDir, fingerprint);
  clock.lap('write');
  return { ...result, stale: false, written: true };
}
