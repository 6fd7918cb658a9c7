// One cell of the matrix: a user project with its own package.json and tsconfig, the generated receiver in
// src/aircall and a handler of the user's own for call.created; built with one compiler, then its compiled
// server run as a child process and sent one real delivery.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from '../support/wait.js';
import { rawRequest, type RawResponse } from '../receiver/support/http.js';
import { tsconfigOf, type UserConfig } from './configs.js';
import { COMPAT_DIR, COMPAT_NODE_MODULES, type Compiler } from './toolchain.js';

export const TOKEN = 'compat-token-3b9e0d2c';
export const HANDLED = 'call.created handled by the user handler';

/** A user's own call.created handler: reads typed fields, so the event types are exercised as well. */
const USER_HANDLER = `import type { Handler } from '../events.js';

export const handleCallCreated: Handler<'call.created'> = (event, { log }) => {
  const callId: number = event.data.id;
  log.info({ callId, direction: event.data.direction ?? 'unknown' }, '${HANDLED}');
};
`;

/**
 * Builds a project outside the repository (so no other node_modules/@types is in reach), with test/compat's
 * node_modules linked in, as `npm i -D typescript @types/node` would leave it. Returns its folder.
 */
export async function createUserProject(config: UserConfig, generatedDir: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'aircall-compat-'));
  const pkg = { name: 'user-project', private: true, ...(config.packageType ? { type: config.packageType } : {}) };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  await writeFile(join(dir, 'tsconfig.json'), tsconfigOf(config));
  await symlink(COMPAT_NODE_MODULES, join(dir, 'node_modules'), 'dir');
  await cp(generatedDir, join(dir, 'src/aircall'), { recursive: true });
  await writeFile(join(dir, 'src/aircall/handlers/call-created.ts'), USER_HANDLER);
  // The testing helper finds the fixtures through the config file's `out`, as the CLI does.
  await writeFile(join(dir, 'aircall-gen.config.json'), '{ "out": "src/aircall" }\n');
  await cp(join(COMPAT_DIR, 'user/check-testing.ts'), join(dir, 'src/check-testing.ts'));
  return dir;
}

/** Runs `tsc -p tsconfig.json` in `dir`; resolves with its output, rejects with it when tsc fails. */
export async function compile(compiler: Compiler, dir: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [compiler.tsc, '-p', 'tsconfig.json'], {
      cwd: dir,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${compiler.label} failed in ${dir}:\n${stdout.split('\n').slice(0, 30).join('\n')}${stderr}`);
  }
}

/** Runs the compiled src/check-testing.ts (the generated testing helper, used as a user's test would). */
export async function runTestingCheck(dir: string): Promise<unknown> {
  const { stdout } = await promisify(execFile)(process.execPath, ['dist/check-testing.js'], { cwd: dir });
  return JSON.parse(stdout) as unknown;
}

export interface Outcome {
  response: RawResponse;
  /** The JSON log lines the server printed, in order. */
  logLines: Record<string, unknown>[];
  exitCode: number | null;
}

/** Spawns dist/aircall/server.js on a free port with `env` added (the project has no better-sqlite3). */
function startServer(dir: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['dist/aircall/server.js'], {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', AIRCALL_WEBHOOK_TOKEN: TOKEN, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Starts the server in its default (sqlite) mode, which these projects cannot run without better-sqlite3:
 * its exit code and stderr once it exits (killed after 30 s if it does not).
 */
export async function startWithoutDriver(dir: string): Promise<{ exitCode: number | null; stderr: string }> {
  const child = startServer(dir, {});
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  clearTimeout(timer);
  return { exitCode, stderr };
}

/** Starts dist/aircall/server.js (inline mode) on a free port, posts call.created's fixture, then stops it with SIGTERM. */
export async function serveOneDelivery(dir: string): Promise<Outcome> {
  const child = startServer(dir, { AIRCALL_QUEUE: 'inline' });
  try {
    return await deliverTo(child, dir);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

async function deliverTo(child: ChildProcess, dir: string): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const logLines = () =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const listening = await Promise.race([
    waitFor(() => logLines().find((line) => line['msg'] === 'listening'), 'the listening line', 30_000),
    exited.then((code) => {
      throw new Error(`server exited with ${code} before listening:\n${stderr}${stdout}`);
    }),
  ]);
  const fixture = JSON.parse(await readFile(join(dir, 'src/aircall/fixtures/call.created.json'), 'utf8')) as object;
  const response = await rawRequest(listening['port'] as number, {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...fixture, token: TOKEN }),
  });
  await waitFor(() => logLines().some((line) => line['msg'] === HANDLED), 'the handler line', 5_000).catch(() => false);
  child.kill('SIGTERM');
  return { response, logLines: logLines(), exitCode: await exited };
}
