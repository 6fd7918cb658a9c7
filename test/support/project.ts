import { mkdir, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURE_SPECS = join(ROOT, 'test/fixtures/specs');
export { UPSTREAM_SPEC } from './examples.js';
export const BUNDLED_SPEC = join(ROOT, 'spec/aircall-webhooks.asyncapi.yaml');

/** A fresh folder under test/.tmp (inside the repo, so generated code resolves `pino` from node_modules). */
export async function tempDir(prefix: string): Promise<string> {
  const base = join(ROOT, 'test/.tmp');
  await mkdir(base, { recursive: true });
  return mkdtemp(join(base, `${prefix}-`));
}

/** Every file below `dir`, as POSIX paths relative to it, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

export async function readTree(
  dir: string,
  filter: (path: string) => boolean = () => true,
): Promise<Map<string, string>> {
  const tree = new Map<string, string>();
  for (const path of (await listFiles(dir)).filter(filter)) tree.set(path, await readFile(join(dir, path), 'utf8'));
  return tree;
}

/** tsconfig.generated.json's compiler options (those `npm start` builds generated/ with), without its folders. */
export function generatedCompilerOptions(): ts.CompilerOptions {
  const configFile = ts.readConfigFile(join(ROOT, 'tsconfig.generated.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, ROOT);
  return { ...parsed.options, rootDir: undefined, outDir: undefined };
}

/**
 * Type-checks a generated folder the way a user's strict project would (tsconfig.generated.json's
 * options) and returns the diagnostics as `file(line,col): message` strings: empty means it compiles.
 */
export function typecheck(dir: string, extraFiles: string[] = []): string[] {
  const files = ts.sys.readDirectory(dir, ['.ts'], undefined, undefined).concat(extraFiles);
  const program = ts.createProgram(files, { ...generatedCompilerOptions(), noEmit: true });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return message;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${relative(dir, d.file.fileName)}(${line + 1},${character + 1}): ${message}`;
  });
}
