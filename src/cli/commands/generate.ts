import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CONFIG_FILES, loadConfig } from '../../config/config.js';
import { DEFAULT_OUT, generate, type GenerateOptions } from '../../generate.js';
import { relativePosix } from '../../model/invocation.js';
import { readManifest } from '../../write/index.js';
import { isUserError } from '../../errors.js';
import { formatUserError } from '../errors.js';
import { EXIT_STALE } from '../exit-codes.js';
import type { Io } from '../io.js';
import { displayPath, summaryJson, summaryText } from '../report.js';
import { specReadPolicy, type SpecReadFlags } from '../spec-read-flags.js';
import { watchSpec } from '../watch.js';

export interface GenerateFlags extends SpecReadFlags {
  spec?: string;
  out?: string;
  config?: string;
  dryRun?: boolean;
  check?: boolean;
  force?: boolean;
  watch?: boolean;
  json?: boolean;
}

async function runOnce(options: GenerateOptions, flags: GenerateFlags, io: Io): Promise<number> {
  const mode = flags.check ? 'check' : flags.dryRun ? 'dry-run' : 'write';
  const started = performance.now();
  const result = await generate(options);
  const ms = performance.now() - started;
  if (flags.json) io.out(JSON.stringify(summaryJson(result, ms, mode), null, 2));
  else {
    io.out(summaryText(result, ms, mode));
    if (mode === 'check' && result.stale) {
      const command = ['npx aircall-gen', flags.spec && `--spec ${flags.spec}`, flags.out && `--out ${flags.out}`]
        .filter(Boolean)
        .join(' ');
      io.err(`aircall-gen: ${displayPath(result.outDir)}/ is stale. Run \`${command}\` and commit the result.`);
    }
  }
  return mode === 'check' && result.stale ? EXIT_STALE : 0;
}

/** The spec the folder was last generated from, as its manifest records it; undefined when none is recorded. */
async function recordedSpec(out: string): Promise<string | undefined> {
  const manifest = await readManifest(out).catch(() => undefined);
  return manifest?.spec === undefined ? undefined : resolve(out, manifest.spec);
}

/** With options given as flags and no config file, every later command would need them again: say how to save them. */
function configTip(flags: GenerateFlags): string | undefined {
  if ((flags.spec === undefined && flags.out === undefined) || flags.config !== undefined) return undefined;
  if (CONFIG_FILES.some((name) => existsSync(name))) return undefined;
  const cwd = process.cwd();
  const config = {
    ...(flags.spec !== undefined && { spec: relativePosix(cwd, resolve(flags.spec)) }),
    ...(flags.out !== undefined && { out: relativePosix(cwd, resolve(flags.out)) }),
  };
  return `aircall-gen: tip: save these options so \`aircall-gen\`, \`send\` and \`--check\` find them without flags:\n  echo '${JSON.stringify(config)}' > aircall-gen.config.json`;
}

export async function generateCommand(flags: GenerateFlags, io: Io): Promise<number> {
  const config = await loadConfig(flags.config);
  const out = flags.out ?? config.out;
  const options: GenerateOptions = {
    ...specReadPolicy(flags, config),
    spec: flags.spec ?? config.spec ?? (await recordedSpec(resolve(out ?? DEFAULT_OUT))),
    out,
    dryRun: flags.dryRun ?? false,
    check: flags.check ?? false,
    force: flags.force ?? false,
  };
  const tip = flags.json || flags.check ? undefined : configTip(flags);
  if (!flags.watch) {
    const code = await runOnce(options, flags, io);
    if (tip !== undefined) io.err(tip);
    return code;
  }

  // Watch: every change regenerates; a broken edit prints its errors and the watch goes on.
  const run = async () => {
    try {
      await runOnce(options, flags, io);
    } catch (error) {
      if (!isUserError(error)) throw error;
      io.err(formatUserError(error));
    }
  };
  await run();
  return watchSpec(options.spec, run, io);
}
