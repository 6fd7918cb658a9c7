import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';

/** Runs the CLI in-process (optionally from `cwd`) and captures what it prints and its exit code. */
export async function cli(args: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t) };
  const previous = process.cwd();
  if (cwd) process.chdir(cwd);
  try {
    const code = await main(args, io);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    process.chdir(previous);
  }
}

/**
 * stderr without the tip `generate` prints when run with non-default --spec/--out and no config file
 * (the one-liner that saves them): tests that expect a silent run compare what is left with ''.
 */
export function withoutConfigTip(stderr: string): string {
  return stderr.replace(/^aircall-gen: tip: save these options[^\n]*\n {2}echo [^\n]*(\n|$)/m, '');
}
