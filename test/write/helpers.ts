import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { applyPlan, planWrites, type ApplyOptions, type OutputFile, type Plan } from '../../src/write/index.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tmpRoot = path.join(repoRoot, 'test', '.tmp');
const created: string[] = [];

/** A fresh folder under test/.tmp, removed after the test. */
export async function makeTempDir(): Promise<string> {
  await mkdir(tmpRoot, { recursive: true });
  const dir = await mkdtemp(path.join(tmpRoot, 'write-'));
  created.push(dir);
  return dir;
}

afterEach(async () => {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Every file under `dir` (POSIX relative path -> contents), sorted; missing dir -> {}. */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const files = entries.filter((entry) => entry.isFile());
  const pairs = await Promise.all(
    files.map(async (entry) => {
      const abs = path.join(entry.parentPath, entry.name);
      return [path.relative(dir, abs).split(path.sep).join('/'), await readFile(abs, 'utf8')] as const;
    }),
  );
  return Object.fromEntries(pairs.sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Modification times of every file under `dir`, to prove a run wrote nothing. */
export async function mtimes(dir: string): Promise<Record<string, number>> {
  const files = Object.keys(await snapshot(dir));
  return Object.fromEntries(
    await Promise.all(files.map(async (file) => [file, (await stat(path.join(dir, file))).mtimeMs] as const)),
  );
}

export function kebab(event: string): string {
  return event.replace(/[._]/g, '-');
}

/** A miniature of what the pipeline produces: event -> payload hash gives events.ts, a fixture and a handler each. */
export function sampleFiles(events: Record<string, string>): OutputFile[] {
  const names = Object.keys(events).sort();
  return [
    {
      path: 'events.ts',
      ownership: 'generator',
      contents: names.map((name) => `export const ${kebab(name).replace(/-/g, '_')} = '${events[name]}';\n`).join(''),
    },
    ...names.map((name): OutputFile => ({
      path: `fixtures/${kebab(name)}.json`,
      ownership: 'generator',
      contents: `${JSON.stringify({ event: name, payload: events[name] })}\n`,
    })),
    ...names.map((name): OutputFile => ({
      path: `handlers/${kebab(name)}.ts`,
      ownership: 'user',
      event: name,
      contents: `// Yours: never overwritten.\nexport async function handle() {}\n`,
    })),
  ];
}

export const V1 = { 'call.created': 'h-created-1', 'call.ended': 'h-ended-1', 'contact.created': 'h-contact-1' };
/** V1 with contact.created removed, call.ended changed, user.opened added. */
export const V2 = { 'call.created': 'h-created-1', 'call.ended': 'h-ended-2', 'user.opened': 'h-user-1' };

export function inputHashOf(events: Record<string, string>): string {
  return `input:${JSON.stringify(events)}`;
}

/** Plans and applies one run of the sample generator. */
export async function generate(
  outDir: string,
  events: Record<string, string>,
  options: { force?: boolean } & ApplyOptions = {},
): Promise<Plan> {
  const files = sampleFiles(events);
  const plan = await planWrites(outDir, files, {
    force: options.force ?? false,
    inputHash: inputHashOf(events),
    eventHashes: events,
  });
  await applyPlan(plan, files, options);
  return plan;
}

/** path -> action, for compact assertions. */
export function actions(plan: Plan): Record<string, string> {
  return Object.fromEntries(plan.entries.map((entry) => [entry.path, entry.action]));
}
