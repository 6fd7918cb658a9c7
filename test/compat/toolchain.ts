// The compilers the compatibility matrix runs: TypeScript 5.9 from the repository's own devDependencies, and
// TypeScript 7 with today's @types/node from test/compat's own package (what `npm i -D typescript @types/node`
// installs in a new project). The test installs that package itself with `npm ci` from its committed lockfile,
// once: a stamp holding the lockfile's hash makes later runs skip the install.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../support/project.js';

export const COMPAT_DIR = join(ROOT, 'test/compat');
/** Symlinked into every user project the matrix builds: @types/node and TypeScript 7. */
export const COMPAT_NODE_MODULES = join(COMPAT_DIR, 'node_modules');
const STAMP = join(COMPAT_NODE_MODULES, '.installed-from-lock');

export interface Compiler {
  /** `TS 5.9`, `TS 7`. */
  label: string;
  /** The `tsc` script, run with the current node. */
  tsc: string;
}

export const COMPILERS: readonly Compiler[] = [
  { label: 'TS 5.9', tsc: join(ROOT, 'node_modules/typescript/bin/tsc') },
  { label: 'TS 7', tsc: join(COMPAT_NODE_MODULES, 'typescript/bin/tsc') },
];

/** Installs test/compat's packages unless the installed ones came from the committed lockfile as it is now. */
export async function ensureToolchain(): Promise<void> {
  const lockHash = createHash('sha256')
    .update(await readFile(join(COMPAT_DIR, 'package-lock.json')))
    .digest('hex');
  if (existsSync(STAMP) && (await readFile(STAMP, 'utf8')) === lockHash) return;
  await promisify(execFile)('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: COMPAT_DIR,
    timeout: 170_000,
  });
  await writeFile(STAMP, lockHash);
}

/** The version a compiler reports (`Version 7.0.2`), so a wrong install fails loudly. */
export async function compilerVersion(compiler: Compiler): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [compiler.tsc, '--version']);
  return stdout.trim();
}
