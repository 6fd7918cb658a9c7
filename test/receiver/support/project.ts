// Builds a receiver project the way users get one (generated sources + the receiver templates), compiles it
// with the TypeScript compiler (strict, NodeNext) and loads the JavaScript.
//
// Sources come from one function, `collectSources`: the generator's real output for the bundled spec.
// Compiled output lands in test/.tmp/receiver-<hash>/ (inside the repo, so packages resolve from its
// node_modules). Only .js and .json files are written there: the TypeScript sources stay in memory, so
// `tsc -p tsconfig.json` (which includes test/) never sees them. Builds are cached by content hash and
// shared between test files through a lock directory.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { generate } from '../../../src/generate.js';
import { generatedCompilerOptions, listFiles } from '../../support/project.js';
import type { GeneratedModules } from './types.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const TMP_ROOT = join(REPO_ROOT, 'test/.tmp');

/** Files of a project by relative path (forward slashes). */
export type SourceFiles = Map<string, string>;

export interface PrepareOptions {
  /** Files to add or replace before compiling (e.g. a test registry), by relative path. */
  overrides?: Record<string, string>;
}

export interface PreparedProject {
  /** Folder holding the compiled project (server.js, receiver/, fixtures/ ...). */
  dir: string;
  /** Whether the sources come from the hand-written stand-in rather than the generator. */
  standIn: boolean;
  /** Imports the compiled modules and reads the fixtures. */
  load(): Promise<GeneratedModules>;
}

/**
 * Every file of the project, by relative path: the real generator's output for the bundled spec,
 * generated into test/.tmp/receiver-generated (excluded from the repo's tsconfig). Test files run in
 * parallel workers, so generation is serialized by a lock; after the first, runs are no-ops.
 */
async function collectSources(): Promise<{ files: SourceFiles; standIn: boolean }> {
  const out = join(TMP_ROOT, 'receiver-generated');
  await mkdir(TMP_ROOT, { recursive: true });
  await withLock(`${out}.lock`, () => generate({ out }));
  const files: SourceFiles = new Map();
  for (const path of await listFiles(out)) {
    if (path === 'aircall-gen.manifest.json' || path.startsWith('.aircall-gen')) continue;
    files.set(path, await readFile(join(out, path), 'utf8'));
  }
  return { files, standIn: false };
}

/** Runs `fn` while holding a lock directory shared by every test worker. */
async function withLock<T>(lock: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 170_000;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > 120_000) await rm(lock, { recursive: true, force: true }); // a crashed worker
      if (Date.now() > deadline) throw new Error(`timed out waiting for the lock ${lock}`);
      await sleep(100);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/** The options the generated project is compiled with: tsconfig.generated.json's, as `npm start` uses them. */
const COMPILER_OPTIONS: ts.CompilerOptions = { ...generatedCompilerOptions(), declaration: false, sourceMap: false };

/** Compiles in memory; returns emitted files by path relative to `root`. Throws on any diagnostic. */
function compile(files: SourceFiles, root: string): SourceFiles {
  const srcRoot = join(root, 'src');
  const virtual = new Map<string, string>();
  for (const [path, text] of files) if (path.endsWith('.ts')) virtual.set(join(srcRoot, path), text);
  const options: ts.CompilerOptions = { ...COMPILER_OPTIONS, rootDir: srcRoot, outDir: root };
  const host = ts.createCompilerHost(options);
  const isVirtualDir = (dir: string): boolean => {
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    for (const path of virtual.keys()) if (path.startsWith(prefix)) return true;
    return false;
  };
  const emitted: SourceFiles = new Map();
  const baseGetSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (path) => virtual.has(path) || ts.sys.fileExists(path);
  host.readFile = (path) => virtual.get(path) ?? ts.sys.readFile(path);
  host.directoryExists = (dir) => isVirtualDir(dir) || ts.sys.directoryExists(dir);
  host.getSourceFile = (path, languageVersion, onError, shouldCreate) => {
    const text = virtual.get(path);
    return text !== undefined
      ? ts.createSourceFile(path, text, languageVersion, true)
      : baseGetSourceFile(path, languageVersion, onError, shouldCreate);
  };
  host.writeFile = (path, text) => {
    emitted.set(relative(root, path).split(sep).join('/'), text);
  };
  const program = ts.createProgram([...virtual.keys()], options, host);
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...program.emit().diagnostics];
  if (diagnostics.length > 0) {
    const text = ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => root,
      getNewLine: () => '\n',
    });
    throw new Error(`the receiver project does not compile:\n${text}`);
  }
  return emitted;
}

function hashOf(files: SourceFiles): string {
  const hash = createHash('sha256');
  for (const [path, text] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    hash.update(path).update('\0').update(text).update('\0');
  }
  hash.update(ts.version).update(JSON.stringify(COMPILER_OPTIONS));
  return hash.digest('hex').slice(0, 16);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for, or takes, the build lock of `dir`; returns whether this process must build. */
async function acquire(dir: string, lock: string): Promise<boolean> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (existsSync(join(dir, '.complete'))) return false;
    try {
      await mkdir(lock);
      return true;
    } catch {
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > 60_000) await rm(lock, { recursive: true, force: true }); // a crashed builder
      if (Date.now() > deadline) throw new Error(`timed out waiting for the build lock ${lock}`);
      await sleep(100);
    }
  }
}

/** Removes builds not touched for a day, so test/.tmp does not grow without bound. */
async function pruneOldBuilds(keep: string): Promise<void> {
  const entries = await readdir(TMP_ROOT, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isDirectory() || !entry.name.startsWith('receiver-')) continue;
    const path = join(TMP_ROOT, entry.name);
    if (path === keep) continue;
    const age = await stat(path).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > 24 * 3_600_000) await rm(path, { recursive: true, force: true });
  }
}

/**
 * Type-checks the project with extra files (e.g. code using it the way users would). Writes nothing;
 * resolves with the compiler's messages, empty when it compiles.
 */
export async function typecheckProject(extra: Record<string, string>): Promise<string> {
  const { files } = await collectSources();
  for (const [path, text] of Object.entries(extra)) files.set(path, text);
  try {
    compile(files, join(TMP_ROOT, 'typecheck-in-memory'));
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

/** Generates, compiles and writes a receiver project; cached by content. */
export async function prepareProject(options: PrepareOptions = {}): Promise<PreparedProject> {
  const { files, standIn } = await collectSources();
  for (const [path, text] of Object.entries(options.overrides ?? {})) files.set(path, text);
  const dir = join(TMP_ROOT, `receiver-${hashOf(files)}`);
  await mkdir(TMP_ROOT, { recursive: true });
  const lock = `${dir}.lock`;
  if (await acquire(dir, lock)) {
    try {
      const emitted = compile(files, dir);
      await rm(dir, { recursive: true, force: true });
      const staging = `${dir}.staging`;
      await rm(staging, { recursive: true, force: true });
      const outputs: SourceFiles = new Map(emitted);
      for (const [path, text] of files) if (!path.endsWith('.ts')) outputs.set(path, text);
      for (const [path, text] of outputs) {
        await mkdir(dirname(join(staging, path)), { recursive: true });
        await writeFile(join(staging, path), text);
      }
      await writeFile(join(staging, '.complete'), new Date().toISOString());
      await rename(staging, dir);
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
    await pruneOldBuilds(dir);
  }

  return {
    dir,
    standIn,
    async load() {
      const url = (path: string) => pathToFileURL(join(dir, path)).href;
      const [receiver, events, validators, registry] = await Promise.all([
        import(url('receiver/index.js')),
        import(url('events.js')),
        import(url('validators.js')),
        import(url('registry.js')),
      ]);
      const fixtures: Record<string, Record<string, unknown>> = {};
      for (const path of await listFiles(join(dir, 'fixtures'))) {
        if (path.endsWith('.json'))
          fixtures[path.slice(0, -'.json'.length)] = JSON.parse(await readFile(join(dir, 'fixtures', path), 'utf8'));
      }
      return { receiver, events, validators, registry, fixtures } as GeneratedModules;
    },
  };
}
