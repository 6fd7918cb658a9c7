import { sha256 } from './model/hash.js';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BUNDLED_SPEC, generatorFingerprint } from './fingerprint.js';
import { readCachedFingerprint, writeCachedFingerprint } from './cache.js';
import { readSpec } from './load/read-spec.js';
import type { SpecReadPolicy } from './load/ref-guard.js';
import type { SpecDiagnostic } from './load/diagnostics.js';
import {
  applyPlan,
  isStale,
  isUpToDate,
  planWrites,
  readManifest,
  recoverInterruptedWrite,
  type Manifest,
  type OutputFile,
  type Plan,
} from './write/index.js';
import type { RenderedFile } from './render/render-files.js';

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

/** Retired events: their handler file survives on disk though the spec dropped them. */
async function retiredEvents(
  outDir: string,
  previous: Promise<Manifest | undefined>,
  current: ReadonlySet<string>,
): Promise<string[]> {
  const manifest = await previous;
  if (!manifest) return [];
  const retired = new Set<string>();
  for (const [path, entry] of Object.entries(manifest.files)) {
    if (
      entry.owner === 'user' &&
      entry.event !== undefined &&
      !current.has(entry.event) &&
      existsSync(join(outDir, path))
    ) {
      retired.add(entry.event);
    }
  }
  return [...retired].sort();
}

/**
 * The whole pipeline: read -> (unchanged? stop) -> parse + validate -> model -> render -> format -> plan -> write.
 * Heavy stages are imported only when the spec or generator changed, which keeps a no-op run fast.
 */
export async function generate(options: GenerateOptions = {}): Promise<GenerateResult> {
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (stage: string) => {
    const now = performance.now();
    timings[stage] = Math.round(now - mark);
    mark = now;
  };
  const specPath = resolve(options.spec ?? BUNDLED_SPEC);
  const outDir = resolve(options.out ?? DEFAULT_OUT);
  const writes = !options.dryRun && !options.check;

  if (writes) await recoverInterruptedWrite(outDir);
  const text = await readSpec(specPath, options.maxSpecBytes);
  // The manifest records the spec's hash; which generator produced the folder is cached outside it.
  const inputHash = sha256(text);
  const fingerprint = await generatorFingerprint();
  const base = { specPath, outDir, warnings: [] as SpecDiagnostic[], timings };

  // The previous manifest, read once when first needed (up-to-date check, retired events, plan).
  let manifestRead: Promise<Manifest | undefined> | undefined;
  const previous = (): Promise<Manifest | undefined> => (manifestRead ??= readManifest(outDir));

  const sameGenerator = (await readCachedFingerprint(outDir)) === fingerprint;
  if (!options.force && sameGenerator && (await isUpToDate(outDir, inputHash, previous()))) {
    lap('upToDateCheck');
    return { ...base, upToDate: true, plan: undefined, stale: false, written: false, events: -1 };
  }
  lap('upToDateCheck');

  const [
    { parseSpec },
    { buildEvents },
    { renderModels },
    { renderValidatorsModule },
    { renderFiles },
    { formatFile },
  ] = await Promise.all([
    import('./load/parse-spec.js'),
    import('./model/build-events.js'),
    import('./render/models.js'),
    import('./render/validators/index.js'),
    import('./render/render-files.js'),
    import('./format/format-file.js'),
  ]);
  lap('import');

  const parsed = await parseSpec(specPath, text, options);
  lap('parse');
  const spec = buildEvents(parsed);
  const retired = await retiredEvents(outDir, previous(), new Set(spec.events.map((e) => e.name)));
  lap('model');
  const validators = renderValidatorsModule({ events: spec.events.map((e) => ({ name: e.name, schema: e.schema })) });
  lap('validators');
  const models = await renderModels(parsed.document);
  lap('models');
  const rendered = await renderFiles({ spec, models, validators, retired });
  lap('render');
  // Generated files are formatted now (the plan compares their bytes with the disk); a user's
  // handler stub only when it is about to be created, since existing ones are never rewritten.
  const format = async (file: RenderedFile): Promise<OutputFile> => {
    const { formatted, ...rest } = file;
    return formatted ? rest : { ...rest, contents: await formatFile(file.path, file.contents) };
  };
  let files = await Promise.all(rendered.map((file) => (file.ownership === 'generator' ? format(file) : file)));
  lap('format');

  const eventHashes = Object.fromEntries(spec.events.map((e) => [e.name, e.schemaHash]));
  const plan = await planWrites(outDir, files, {
    force: options.force ?? false,
    inputHash,
    eventHashes,
    previous: previous(),
  });
  if (writes) {
    const creating = new Set(
      plan.entries.filter((e) => e.ownership === 'user' && e.action === 'create').map((e) => e.path),
    );
    files = await Promise.all(files.map((file) => (creating.has(file.path) ? format(file) : file)));
  }
  lap('plan');
  const result = { ...base, warnings: parsed.diagnostics, upToDate: false, plan, events: spec.events.length };

  if (!writes) {
    const stale = isStale(plan);
    if (options.check && !stale) await writeCachedFingerprint(outDir, fingerprint);
    return { ...result, stale, written: false };
  }
  await applyPlan(plan, files); // refuses, writing nothing, when a generated file was changed by hand
  await writeCachedFingerprint(outDir, fingerprint);
  lap('write');
  return { ...result, stale: false, written: true };
}
