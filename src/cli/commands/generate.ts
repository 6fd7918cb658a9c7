import { loadConfig } from '../../config/config.js';
import { generate, type GenerateOptions } from '../../generate.js';
import { isUserError } from '../../errors.js';
import { formatUserError } from '../errors.js';
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

/** Exit code 1: --check found stale or missing generated files. */
export const EXIT_STALE = 1;

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

export async function generateCommand(flags: GenerateFlags, io: Io): Promise<number> {
  const config = await loadConfig(flags.config);
  const options: GenerateOptions = {
    ...specReadPolicy(flags, config),
    spec: flags.spec ?? config.spec,
    out: flags.out ?? config.out,
    dryRun: flags.dryRun ?? false,
    check: flags.check ?? false,
    force: flags.force ?? false,
  };
  if (!flags.watch) return runOnce(options, flags, io);

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
