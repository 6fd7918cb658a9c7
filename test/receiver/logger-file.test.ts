// The built-in logger when stdout is a regular file (`node server.js > log`): it writes the file itself,
// with the same lines as through process.stdout, flushed on exit, and defers to a replaced stdout.write.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait.js';
import { TOKEN, withToken } from './support/harness.js';
import { rawRequest } from './support/http.js';
import { prepareProject } from './support/project.js';

const project = await prepareProject();
const modules = await project.load();
const callCreated = Object.values(modules.fixtures).find((body) => body['event'] === 'call.created')!;
const workDir = await mkdtemp(join(tmpdir(), 'aircall-logfile-'));
afterAll(() => rm(workDir, { recursive: true, force: true }));

/** Runs node with stdout redirected to a fresh file; resolves with the exit code, the file and stderr. */
function runToFile(args: string[], env: Record<string, string>, name: string) {
  const file = join(workDir, name);
  const fd = openSync(file, 'w');
  const child = spawn(process.execPath, args, {
    cwd: workDir,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', fd, 'pipe'],
  });
  closeSync(fd);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines = () =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { child, exited, lines, stderr: () => stderr, text: () => readFileSync(file, 'utf8') };
}

describe('built-in logger on a file', { timeout: 30_000 }, () => {
  it('server.js > file: one line per delivery, every line whole JSON, the last ones flushed on exit', async () => {
    const proc = runToFile(
      [join(project.dir, 'server.js')],
      {
        AIRCALL_WEBHOOK_TOKEN: TOKEN,
        PORT: '0',
        HOST: '127.0.0.1',
        AIRCALL_QUARANTINE_FILE: join(workDir, 'q.jsonl'),
        AIRCALL_QUEUE: 'inline',
      },
      'server.log',
    );
    const listening = await waitFor(
      () => proc.lines().find((line) => line['msg'] === 'listening'),
      'the listening line',
    );
    const port = listening['port'] as number;
    const body = withToken(callCreated);
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () =>
        rawRequest(port, { headers: { 'content-type': 'application/json' }, body }).then((r) => r.status),
      ),
    );
    expect(statuses).toEqual(Array(20).fill(200));
    expect(
      (
        await rawRequest(port, {
          headers: { 'content-type': 'application/json' },
          body: withToken(callCreated, 'wrong'),
        })
      ).status,
    ).toBe(401);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    const lines = proc.lines();
    const handled = lines.filter((line) => line['outcome'] === 'handled');
    expect(handled).toHaveLength(20);
    for (const line of handled) {
      expect(Object.keys(line)).toEqual(['level', 'time', 'event', 'status', 'outcome', 'ms', 'msg']);
      expect(line).toMatchObject({
        level: 'info',
        event: 'call.created',
        status: 200,
        outcome: 'handled',
        msg: 'delivery handled',
      });
    }
    expect(lines.filter((line) => line['outcome'] === 'rejected')).toHaveLength(1);
    expect(lines.at(-1)).toMatchObject({ msg: 'stopped' });
    expect(proc.text()).not.toContain(TOKEN);
  });

  it('goes through process.stdout.write once something replaced it', async () => {
    const logger = pathToFileURL(join(project.dir, 'receiver/logger.js')).href;
    const script = `
      const { createLogger } = await import(${JSON.stringify(logger)});
      const log = createLogger();
      log.info({ n: 1 }, 'to the file');
      log.flush();
      const seen = [];
      process.stdout.write = (chunk) => { seen.push(String(chunk)); return true; };
      log.info({ n: 2 }, 'to the replacement');
      log.flush();
      process.stderr.write(JSON.stringify(seen));
    `;
    const proc = runToFile(['--input-type=module', '-e', script], {}, 'replaced.log');
    expect(await proc.exited).toBe(0);
    expect(proc.lines().map((line) => line['msg'])).toEqual(['to the file']);
    const seen = JSON.parse(proc.stderr()) as string[];
    expect(seen.map((chunk) => JSON.parse(chunk) as Record<string, unknown>)).toMatchObject([
      { level: 'info', n: 2, msg: 'to the replacement' },
    ]);
  });
});
