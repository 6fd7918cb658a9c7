import { existsSync } from 'node:fs';
import { readFile, writeFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UserError } from '../errors.js';

/** Everything a config file may set. Flags given on the command line win over it. */
export interface Config {
  /** AsyncAPI document to generate from. */
  spec?: string;
  /** Output folder. */
  out?: string;
  /** Folders besides the spec's own whose files a `$ref` may read. */
  allowRefRoots?: string[];
  /** Remote `$ref`s: true for any host, or the hosts allowed. */
  allowRemoteRefs?: boolean | string[];
  /** Milliseconds one remote `$ref` may take (default 10000). */
  refTimeoutMs?: number;
  /** Largest spec, or file a `$ref` reads, in bytes (default 10 MiB). */
  maxSpecBytes?: number;
}

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((item) => typeof item === 'string');
const isPositiveInteger = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/** Each option's check, and what it must be when the check fails. */
const KEYS: Record<keyof Config, [check: (value: unknown) => boolean, expected: string]> = {
  spec: [(v) => typeof v === 'string', 'a string'],
  out: [(v) => typeof v === 'string', 'a string'],
  allowRefRoots: [isStringList, 'a list of folder paths'],
  allowRemoteRefs: [(v) => typeof v === 'boolean' || isStringList(v), 'true, false or a list of host names'],
  refTimeoutMs: [isPositiveInteger, 'a positive whole number of milliseconds'],
  maxSpecBytes: [isPositiveInteger, 'a positive whole number of bytes'],
};

export const CONFIG_FILES = [
  'aircall-gen.config.json',
  'aircall-gen.config.ts',
  'aircall-gen.config.mjs',
  'aircall-gen.config.js',
];

/** Checks a config object key by key, so every mistake is reported by name. */
export function checkConfig(value: unknown, file: string): Config {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UserError('The config file must contain (or export default) an object.', { location: file });
  }
  const problems: string[] = [];
  for (const [key, option] of Object.entries(value)) {
    const expected = KEYS[key as keyof Config];
    if (expected === undefined) problems.push(`unknown option '${key}' (known: ${Object.keys(KEYS).join(', ')})`);
    else if (!expected[0](option)) problems.push(`'${key}' must be ${expected[1]}, got ${JSON.stringify(option)}`);
  }
  if (problems.length > 0) {
    throw new UserError(`Invalid config:\n${problems.map((p) => `  ${p}`).join('\n')}`, { location: file });
  }
  const config = value as Config;
  const base = dirname(file);
  return {
    ...(config.spec !== undefined && { spec: resolve(base, config.spec) }),
    ...(config.out !== undefined && { out: resolve(base, config.out) }),
    ...(config.allowRefRoots !== undefined && { allowRefRoots: config.allowRefRoots.map((dir) => resolve(base, dir)) }),
    ...(config.allowRemoteRefs !== undefined && { allowRemoteRefs: config.allowRemoteRefs }),
    ...(config.refTimeoutMs !== undefined && { refTimeoutMs: config.refTimeoutMs }),
    ...(config.maxSpecBytes !== undefined && { maxSpecBytes: config.maxSpecBytes }),
  };
}

/** A TypeScript config is transpiled with the project's own `typescript` package, then imported. */
async function importTypeScript(file: string): Promise<unknown> {
  let ts: typeof import('typescript');
  try {
    ts = (await import('typescript')).default;
  } catch (cause) {
    throw new UserError('Reading a .ts config needs the `typescript` package, which is not installed.', {
      location: file,
      hint: 'Install it (npm i -D typescript) or use aircall-gen.config.json.',
      cause,
    });
  }
  const source = await readFile(file, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    fileName: file,
  });
  const temporary = join(dirname(file), `.aircall-gen.config.${process.pid}.mjs`);
  await writeFile(temporary, outputText);
  try {
    return ((await import(pathToFileURL(temporary).href)) as { default?: unknown }).default;
  } finally {
    await rm(temporary, { force: true });
  }
}

/** Loads `file`, or the first of CONFIG_FILES found in `cwd`; no file means no config. */
export async function loadConfig(file: string | undefined, cwd = process.cwd()): Promise<Config> {
  const path =
    file !== undefined ? resolve(cwd, file) : CONFIG_FILES.map((name) => join(cwd, name)).find((p) => existsSync(p));
  if (path === undefined) return {};
  if (!existsSync(path)) throw new UserError('The config file does not exist.', { location: path });
  try {
    if (path.endsWith('.json')) return checkConfig(JSON.parse(await readFile(path, 'utf8')), path);
    if (path.endsWith('.ts')) return checkConfig(await importTypeScript(path), path);
    return checkConfig(((await import(pathToFileURL(path).href)) as { default?: unknown }).default, path);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`The config file could not be read: ${(error as Error).message}`, {
      location: path,
      cause: error,
    });
  }
}
