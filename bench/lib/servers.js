// Server child processes: free ports, start, readiness, RSS sampling, stop.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { TASKSET } from './affinity.js';

export const HOST = '127.0.0.1';

const live = new Set();
/** Kills every server still running (on Ctrl-C or a crash of the bench). */
export function killAllServers() {
  for (const child of live) child.kill('SIGKILL');
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (probe.address());
      probe.close(() => resolve(port));
    });
  });
}

/**
 * One HTTP request on 127.0.0.1; resolves to { status, body } or rejects on a connection error.
 * @param {number} port
 * @param {{ method?: string, path?: string, headers?: Record<string, string>, body?: string | Buffer }} [request]
 */
export function httpRequest(port, { method = 'GET', path = '/', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = request({ host: HOST, port, method, path, headers, agent: false, timeout: 5000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Spawns `node <script>` with `env`; stdout goes to `stdoutFile` (or is piped when 'pipe').
 * With `cpu`, node runs under `taskset -c <cpu>`: taskset sets the affinity and then execs node in the
 * same process, so `child.pid` is node's pid (its /proc/<pid>/stat CPU time and VmRSS are the server's)
 * and signals reach node directly.
 * Returns { child, stderr(), exited } where `exited` resolves to the exit code or signal.
 * @param {string} script
 * @param {{ cwd: string, env: NodeJS.ProcessEnv, stdoutFile: string, cpu?: number }} options
 */
export function startServer(script, { cwd, env, stdoutFile, cpu }) {
  const fd = stdoutFile === 'pipe' ? 'pipe' : openSync(stdoutFile, 'w');
  const [file, args] =
    cpu === undefined ? [process.execPath, [script]] : [TASKSET, ['-c', String(cpu), process.execPath, script]];
  const child = spawn(file, args, { cwd, env, stdio: ['ignore', fd, 'pipe'] });
  if (typeof fd === 'number') closeSync(fd);
  live.add(child);
  const stderr = [];
  child.stderr?.on('data', (c) => stderr.push(c));
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      live.delete(child);
      resolve(code ?? signal);
    });
    // A spawn failure (e.g. taskset missing) emits 'error' and no 'exit'; without this, waitUntil and
    // stopServer would wait forever and the error would crash the bench.
    child.on('error', (error) => {
      stderr.push(Buffer.from(`spawn ${file}: ${error.message}\n`));
      live.delete(child);
      resolve('spawn error');
    });
  });
  return { child, exited, stderr: () => Buffer.concat(stderr).toString('utf8') };
}

/** Polls with `probe()` every `intervalMs` until it resolves truthy; fails if the server exits first. */
export async function waitUntil(server, probe, { timeoutMs = 30_000, intervalMs = 10 } = {}) {
  let exited = false;
  server.exited.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited)
      throw new Error(
        `server exited before it was ready:\n${server.stderr().trim().split('\n').slice(-15).join('\n')}`,
      );
    try {
      const value = await probe();
      if (value) return value;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server not ready after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export async function stopServer(server) {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return server.exited;
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
  const result = await server.exited;
  clearTimeout(timer);
  return result;
}

function statusKb(pid, field) {
  try {
    const match = new RegExp(`^${field}:\\s*(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Samples VmRSS of `pid` every `intervalMs`; stop() returns { peakMb, samples }. */
export function sampleRss(pid, intervalMs = 200) {
  let peakKb = 0;
  let samples = 0;
  const take = () => {
    const kb = statusKb(pid, 'VmRSS');
    if (kb !== undefined) {
      samples++;
      peakKb = Math.max(peakKb, kb);
    }
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      take();
      clearInterval(timer);
      return { peakMb: peakKb / 1024, samples };
    },
  };
}
