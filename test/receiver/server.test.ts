// The runnable server (server.ts compiled to server.js), run as a child process: configuration, serving, signals.
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait.js';
import { TOKEN, TOKEN_2, withToken } from './support/harness.js';
import { rawRequest } from './support/http.js';
import { spawnEntry } from './support/processes.js';
import { prepareProject } from './support/project.js';

/** A registry that runs the same slow-on-demand handler for every event (the user's handlers are theirs). */
const TEST_REGISTRY = `// Test registry: one handler for every event, delayed by TEST_HANDLER_DELAY_MS.
import { EVENT_NAMES, type HandlerContext, type HandlerMap } from './events.js';

const delayMs = Number(process.env['TEST_HANDLER_DELAY_MS'] ?? '0');
async function handler(_event: unknown, context: HandlerContext): Promise<void> {
  context.log.info({ test: 'started' }, 'test handler started');
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  context.log.info({ test: 'finished' }, 'test handler finished');
}
export const handlers = Object.fromEntries(EVENT_NAMES.map((name) => [name, handler])) as unknown as HandlerMap;
`;

const project = await prepareProject();
const slowProject = await prepareProject({ overrides: { 'registry.ts': TEST_REGISTRY } });
const modules = await project.load();
const fixtures = Object.values(modules.fixtures);
const callCreated = fixtures.find((body) => body['event'] === 'call.created')!;
const workDir = await mkdtemp(join(tmpdir(), 'aircall-server-'));
afterAll(() => rm(workDir, { recursive: true, force: true }));

interface Running {
  child: ChildProcess;
  port: number;
  stdout: () => string;
  stderr: () => string;
  lines: () => Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  startupMs: number;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function run(dir: string, env: Record<string, string>) {
  const started = performance.now();
  return { ...spawnEntry(dir, 'server.js', { cwd: workDir, env, children }), started };
}

async function start(dir: string, env: Record<string, string> = {}): Promise<Running> {
  const proc = run(dir, {
    AIRCALL_WEBHOOK_TOKEN: `${TOKEN}, ${TOKEN_2}`,
    PORT: '0',
    HOST: '127.0.0.1',
    AIRCALL_QUARANTINE_FILE: join(workDir, 'quarantine.jsonl'),
    // These tests are about the handler inside the request; sqlite mode has its own (durable-server.test.ts).
    AIRCALL_QUEUE: 'inline',
    ...env,
  });
  const listening = await Promise.race([
    waitFor(() => proc.lines().find((line) => line['msg'] === 'listening'), 'the listening line'),
    proc.exited.then(({ code }) => {
      throw new Error(`server exited with ${code} before listening: ${proc.stderr()}`);
    }),
  ]);
  return { ...proc, port: listening['port'] as number, startupMs: performance.now() - proc.started };
}

const post = (port: number, body: string) =>
  rawRequest(port, { headers: { 'content-type': 'application/json' }, body });

describe('server.js configuration', { timeout: 30_000 }, () => {
  it('refuses to start without a token: exit code 2 and a message saying how to fix it', async () => {
    for (const token of [undefined, '', ' , ']) {
      const proc = run(project.dir, token === undefined ? { PORT: '0' } : { PORT: '0', AIRCALL_WEBHOOK_TOKEN: token });
      expect((await proc.exited).code).toBe(2);
      expect(proc.stderr()).toMatch(/AIRCALL_WEBHOOK_TOKEN is not set/);
      expect(proc.stdout()).toBe('');
    }
  });

  it('a port in use is a plain-text setup error with exit code 2, like the settings', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const port = (blocker.address() as AddressInfo).port;
      const proc = run(project.dir, { AIRCALL_WEBHOOK_TOKEN: TOKEN, PORT: String(port), HOST: '127.0.0.1' });
      expect((await proc.exited).code).toBe(2);
      expect(proc.stderr()).toBe(
        `aircall receiver: cannot start.\n  - 127.0.0.1 port ${port} is already in use (is another receiver running?). Stop it, or set PORT to a free port.\n`,
      );
      expect(proc.stdout()).toBe('');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('reports every invalid setting at once, never printing the token', async () => {
    const proc = run(project.dir, {
      AIRCALL_WEBHOOK_TOKEN: TOKEN,
      PORT: 'eighty',
      AIRCALL_VALIDATION: 'lenient',
      LOG_LEVEL: 'loud',
    });
    expect((await proc.exited).code).toBe(2);
    expect(proc.stderr()).toMatch(/PORT must be an integer/);
    expect(proc.stderr()).toMatch(/AIRCALL_VALIDATION must be one of quarantine, strict, passthrough/);
    expect(proc.stderr()).toMatch(/LOG_LEVEL must be one of/);
    expect(proc.stderr()).not.toContain(TOKEN);
  });

  it('refuses unknown queue settings, naming each', () => {
    const result = modules.receiver.readServerConfig({
      AIRCALL_WEBHOOK_TOKEN: 'a',
      AIRCALL_QUEUE: 'kafka',
      AIRCALL_CONCURRENCY: '0',
      AIRCALL_MAX_ATTEMPTS: 'many',
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toEqual([
        'AIRCALL_QUEUE must be one of sqlite, redis, inline, got "kafka".',
        'AIRCALL_CONCURRENCY must be at least 1.',
        'AIRCALL_MAX_ATTEMPTS must be an integer from 0 to 1000, got "many".',
      ]);
    }
  });

  it('refuses AIRCALL_WORKERS other than 0 or 1, 0 without a queue, and a Redis URL that is none (its password hidden)', () => {
    const result = modules.receiver.readServerConfig({
      AIRCALL_WEBHOOK_TOKEN: 'a',
      AIRCALL_QUEUE: 'redis',
      AIRCALL_WORKERS: 'no',
      AIRCALL_REDIS_URL: 'http://:s3cret@cache.internal:6379',
      AIRCALL_REDIS_PREFIX: 'my app',
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toEqual([
        'AIRCALL_REDIS_PREFIX must be 1 to 100 letters, digits or _.:- (e.g. aircall), got "my app".',
        'AIRCALL_REDIS_URL must be a redis:// or rediss:// URL with a host (e.g. redis://127.0.0.1:6379), got "http://:***@cache.internal:6379".',
        'AIRCALL_WORKERS must be 1 (run handlers in this process, the default) or 0 (only acknowledge; worker processes run the handlers), got "no".',
      ]);
    }
    const inline = modules.receiver.readServerConfig({
      AIRCALL_WEBHOOK_TOKEN: 'a',
      AIRCALL_QUEUE: 'inline',
      AIRCALL_WORKERS: '0',
    });
    expect(inline.ok ? [] : inline.errors).toEqual([
      'AIRCALL_WORKERS=0 needs a queue for worker processes to read: set AIRCALL_QUEUE=redis (or sqlite), or leave AIRCALL_WORKERS unset to run handlers inside the request.',
    ]);
  });

  it('exits 2 naming AIRCALL_WORKERS when it is invalid', async () => {
    const proc = run(project.dir, { AIRCALL_WEBHOOK_TOKEN: TOKEN, PORT: '0', AIRCALL_WORKERS: '2' });
    expect((await proc.exited).code).toBe(2);
    expect(proc.stderr()).toMatch(/AIRCALL_WORKERS must be 1 .* or 0 .*, got "2"/);
  });

  it('reads a worker process configuration without a token or a port', () => {
    const result = modules.receiver.readWorkerConfig({
      AIRCALL_QUEUE: 'redis',
      AIRCALL_REDIS_PREFIX: 'app-1',
      AIRCALL_CONCURRENCY: '3',
    });
    expect(result).toEqual({
      ok: true,
      config: {
        logLevel: 'info',
        shutdownTimeoutMs: 5_000,
        queue: 'redis',
        queueFile: 'aircall-queue.db',
        queueMaxBytes: undefined,
        redisUrl: 'redis://127.0.0.1:6379',
        redisPrefix: 'app-1',
        workers: true,
        concurrency: 3,
        attemptTimeoutMs: 300_000,
        maxAttempts: 12,
      },
    });
  });

  it.each([
    [
      { AIRCALL_WEBHOOK_TOKEN: 'a,b' },
      { port: 3000, tokens: ['a', 'b'], validation: 'quarantine', quarantineFile: 'aircall-quarantine.jsonl' },
    ],
    [
      { AIRCALL_WEBHOOK_TOKEN: ' a ', PORT: '0', HOST: '::1', AIRCALL_VALIDATION: 'strict' },
      { port: 0, host: '::1', tokens: ['a'], validation: 'strict' },
    ],
    [
      { AIRCALL_WEBHOOK_TOKEN: 'a', AIRCALL_SHUTDOWN_TIMEOUT_MS: '250', LOG_LEVEL: 'debug' },
      { shutdownTimeoutMs: 250, logLevel: 'debug' },
    ],
    [
      { AIRCALL_WEBHOOK_TOKEN: 'a' },
      {
        queue: 'sqlite',
        queueFile: 'aircall-queue.db',
        queueMaxBytes: undefined,
        concurrency: 8,
        attemptTimeoutMs: 300_000,
        maxAttempts: 12,
        redisUrl: 'redis://127.0.0.1:6379',
        redisPrefix: 'aircall',
        workers: true,
      },
    ],
    [
      {
        AIRCALL_WEBHOOK_TOKEN: 'a',
        AIRCALL_QUEUE: 'redis',
        AIRCALL_REDIS_URL: 'rediss://:pw@redis.example:6380/2',
        AIRCALL_REDIS_PREFIX: 'billing',
        AIRCALL_WORKERS: '0',
      },
      { queue: 'redis', redisUrl: 'rediss://:pw@redis.example:6380/2', redisPrefix: 'billing', workers: false },
    ],
    [
      {
        AIRCALL_WEBHOOK_TOKEN: 'a',
        AIRCALL_QUEUE: 'inline',
        AIRCALL_QUEUE_FILE: '/var/lib/aircall/q.db',
        AIRCALL_QUEUE_MAX_MB: '64',
        AIRCALL_CONCURRENCY: '2',
        AIRCALL_ATTEMPT_TIMEOUT_MS: '1000',
        AIRCALL_MAX_ATTEMPTS: '3',
      },
      {
        queue: 'inline',
        queueFile: '/var/lib/aircall/q.db',
        queueMaxBytes: 64 * 1_048_576,
        concurrency: 2,
        attemptTimeoutMs: 1_000,
        maxAttempts: 3,
      },
    ],
  ])('readServerConfig(%j)', (env, expected) => {
    const result = modules.receiver.readServerConfig(env);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.config).toMatchObject(expected);
  });
});

describe('server.js serving', { timeout: 30_000 }, () => {
  it('starts on a free port, logs where, serves every fixture, and stops on SIGTERM with exit code 0', async () => {
    const server = await start(project.dir);
    const listening = server.lines().find((line) => line['msg'] === 'listening')!;
    expect(listening).toMatchObject({
      level: 'info',
      address: `http://127.0.0.1:${server.port}`,
      path: '/aircall/webhook',
      tokens: 2,
    });
    expect(server.startupMs).toBeLessThan(5_000);

    for (const body of fixtures) expect((await post(server.port, withToken(body, TOKEN_2))).status).toBe(200);
    expect((await rawRequest(server.port, { method: 'GET', path: '/healthz' })).status).toBe(200);
    expect((await post(server.port, withToken(callCreated, 'wrong'))).status).toBe(401);

    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    const lines = server.lines();
    expect(lines.filter((line) => line['outcome'] === 'handled')).toHaveLength(fixtures.length);
    expect(lines.map((line) => line['msg'])).toContain('stopped');
    expect(server.stdout() + server.stderr()).not.toContain(TOKEN);
    expect(server.stdout() + server.stderr()).not.toContain(TOKEN_2);
  });

  it('on SIGTERM lets the in-flight delivery finish, refuses new connections, exits 0', async () => {
    const server = await start(slowProject.dir, { TEST_HANDLER_DELAY_MS: '600' });
    const inFlight = post(server.port, withToken(callCreated));
    await waitFor(() => server.lines().find((line) => line['test'] === 'started'), 'the handler to start');
    server.child.kill('SIGTERM');
    await waitFor(() => server.lines().find((line) => line['msg'] === 'shutting down'), 'shutting down');
    await expect(rawRequest(server.port, { method: 'GET', path: '/healthz' }, 1_000)).rejects.toThrow();
    expect((await inFlight).status).toBe(200);
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.lines().find((line) => line['msg'] === 'stopped')).toMatchObject({ drained: true });
    expect(server.lines().filter((line) => line['test'] === 'finished')).toHaveLength(1);
  });

  it('on SIGINT does the same', async () => {
    const server = await start(slowProject.dir, { TEST_HANDLER_DELAY_MS: '200' });
    const inFlight = post(server.port, withToken(callCreated));
    await waitFor(() => server.lines().find((line) => line['test'] === 'started'), 'the handler to start');
    server.child.kill('SIGINT');
    expect((await inFlight).status).toBe(200);
    expect((await server.exited).code).toBe(0);
  });

  it('bounds the shutdown: a handler still running at AIRCALL_SHUTDOWN_TIMEOUT_MS is answered 503', async () => {
    const server = await start(slowProject.dir, { TEST_HANDLER_DELAY_MS: '30000', AIRCALL_SHUTDOWN_TIMEOUT_MS: '200' });
    const inFlight = post(server.port, withToken(callCreated));
    await waitFor(() => server.lines().find((line) => line['test'] === 'started'), 'the handler to start');
    const stopping = Date.now();
    server.child.kill('SIGTERM');
    expect((await inFlight).status).toBe(503);
    expect((await server.exited).code).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(3_000);
    expect(server.lines().find((line) => line['msg'] === 'stopped')).toMatchObject({ drained: false });
  });
});
