import { isAbsolute, relative, sep } from 'node:path';

/** How the output folder was made, as the generated README and the CLI's hints should repeat it. */
export interface Invocation {
  /** The output folder relative to the working directory, POSIX (`src/aircall`). */
  out: string;
  /** The spec relative to the working directory, POSIX; undefined for the bundled spec. */
  spec: string | undefined;
  /** `--out src/aircall` for commands that read the folder; empty for the default folder. */
  outFlag: string;
  /** The command that regenerates this folder (`npx aircall-gen --spec aircall.yaml --out src/aircall`). */
  command: string;
  /** Where `tsc` typically puts this folder's server: `src/aircall` -> `dist/aircall/server.js`. */
  serverJs: string;
  /** The worker process beside it: `dist/aircall/worker.js`. */
  workerJs: string;
}

const DEFAULT_OUT = 'generated';

/** A path relative to `from`, POSIX separators; an absolute path when it is on another drive. */
export function relativePosix(from: string, to: string): string {
  const rel = relative(from, to);
  if (isAbsolute(rel)) return rel.split(sep).join('/');
  return rel === '' ? '.' : rel.split(sep).join('/');
}

/** Shell-safe enough for a path in a README: quoted when it holds anything but plain characters. */
function shellWord(text: string): string {
  return /^[A-Za-z0-9_./@:-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

export function describeInvocation(cwd: string, outDir: string, specPath: string | undefined): Invocation {
  const out = relativePosix(cwd, outDir);
  const spec = specPath === undefined ? undefined : relativePosix(cwd, specPath);
  const outFlag = out === DEFAULT_OUT ? '' : `--out ${shellWord(out)}`;
  const flags = [spec !== undefined && `--spec ${shellWord(spec)}`, outFlag];
  const command = ['npx aircall-gen', ...flags.filter(Boolean)].join(' ');
  const inside = out.startsWith('src/') ? out.slice('src/'.length) : out;
  const serverJs = inside === '.' || inside.startsWith('..') ? 'dist/server.js' : `dist/${inside}/server.js`;
  const workerJs = serverJs.replace(/server\.js$/, 'worker.js');
  return { out, spec, outFlag, command, serverJs, workerJs };
}
