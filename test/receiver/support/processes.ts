// The generated entries (server.js, worker.js) as real child processes, load over HTTP at many connections,
// and handler side effects counted in a file: shared by the process tests of the sqlite and redis modes.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { waitFor } from '../../support/wait.js';
import { TOKEN } from './harness.js';

/**
 * Every handler appends `<ctx.id>` to SIDE_EFFECTS_FILE (synchronously: written before it returns), after DELAY_MS.
 * With HOLD_FILE set, once that file exists each handler, after its side effect, also appends its id there and
 * never returns: the process then surely holds those jobs mid-run (run once, not settled) until it is killed.
 */
export const SIDE_EFFECT_REGISTRY = `// Test registry: one handler for every event, counting its runs in a file.
import { appendFileSync, existsSync } from 'node:fs';
import { EVENT_NAMES, type HandlerContext, type HandlerMap } from './events.js';

const file = process.env['SIDE_EFFECTS_FILE'] ?? 'side-effects.txt';
const delayMs = Number(process.env['DELAY_MS'] ?? '0');
const holdFile = process.env['HOLD_FILE'];
async function handler(_event: unknown, context: HandlerContext): Promise<void> {
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  appendFileSync(file, context.id + '\\n');
  if (holdFile !== undefined && existsSync(holdFile)) {
    appendFileSync(holdFile, context.id + '\\n');
    await new Promise(() => undefined); // never settles: the test kills this process
  }
}
export const handlers = Object.fromEntries(EVENT_NAMES.map((name) => [name, handler])) as unknown as HandlerMap;
`;

/** A compiled entry running as a child process, its output captured. */
export interface SpawnedEntry {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The JSON lines written to stdout so far. */
  lines(): Record<string, unknown>[];
  stdout(): string;
  stderr(): string;
}

/**
 * Runs `script` of the compiled project `dir` in `cwd` with an environment of PATH and `env` only;
 * `children` collects it so a test's afterEach can kill what is left.
 */
export function spawnEntry(
  dir: string,
  script: 'server.js' | 'worker.js',
  options: { cwd: string; env: Record<string, string>; children: ChildProcess[] },
): SpawnedEntry {
  const child = spawn(process.execPath, [join(dir, script)], {
    cwd: options.cwd,
    env: { PATH: process.env['PATH'] ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  options.children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const lines = () =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { child, exited, lines, stdout: () => stdout, stderr: () => stderr };
}

export interface EntryProcess extends SpawnedEntry {
  /** Resolves with the line announcing the start (`listening` or `working`); rejects if the process exits first. */
  readonly ready: Promise<Record<string, unknown>>;
}

/**
 * Starts `script` (server.js or worker.js) as {@link spawnEntry} does, with the token, PORT=0 and
 * HOST=127.0.0.1 unless `env` says otherwise.
 */
export function startEntry(
  dir: string,
  script: 'server.js' | 'worker.js',
  options: { cwd: string; env: Record<string, string>; children: ChildProcess[] },
): EntryProcess {
  const entry = spawnEntry(dir, script, {
    ...options,
    env: { AIRCALL_WEBHOOK_TOKEN: TOKEN, PORT: '0', HOST: '127.0.0.1', ...options.env },
  });
  const { lines, exited } = entry;
  const readyMsg = script === 'server.js' ? 'listening' : 'working';
  const ready = Promise.race([
    waitFor(() => lines().find((line) => line['msg'] === readyMsg), `the ${readyMsg} line`, 20_000),
    exited.then(({ code }) => {
      throw new Error(`${script} exited with ${code} before ${readyMsg}: ${entry.stderr()}`);
    }),
  ]);
  ready.catch(() => undefined); // tests of a refused start await `exited` instead
  return { ...entry, ready };
}

/** Kills what `children` still holds (for afterEach). */
export function killAll(children: ChildProcess[]): void {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/**
 * Posts `body` on `agent`; resolves the status, or 0 when the connection failed. A request sent on a
 * reused keep-alive socket that the server had just closed fails before the server read it (Node's
 * documented keep-alive race): it is sent again once on a new socket, as any HTTP client would.
 */
export function post(port: number, body: string, agent: Agent, retried = false): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/aircall/webhook',
        agent,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (req.reusedSocket && error.code === 'ECONNRESET' && !retried) resolve(post(port, body, agent, true));
      else resolve(0);
    });
    req.end(body);
  });
}

/**
 * Posts bodies 0..count-1 (`body(n)`) over `connections` keep-alive connections, body `n` to
 * `portOf(n)`; `onAnswer` may stop the load by returning false.
 */
export async function load(options: {
  count: number;
  connections: number;
  portOf: (n: number) => number;
  body: (n: number) => string;
  onAnswer: (n: number, status: number) => boolean;
}): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  let next = 0;
  let stopped = false;
  const connection = async () => {
    while (!stopped && next < options.count) {
      const n = next++;
      const status = await post(options.portOf(n), options.body(n), agent);
      if (!options.onAnswer(n, status)) stopped = true;
    }
  };
  await Promise.all(Array.from({ length: options.connections }, connection));
  agent.destroy();
}

/** How many times each delivery id was handled, from the side-effects file. */
export function sideEffects(file: string): Map<string, number> {
  const counts = new Map<string, number>();
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return counts;
  }
  for (const id of text.split('\n').filter(Boolean)) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}
