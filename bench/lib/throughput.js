// Receiver throughput: each server in its own child process, one at a time, loaded by autocannon
// from this process over 127.0.0.1 with the same body.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import autocannon from 'autocannon';
import { HOST, freePort, httpRequest, sampleRss, startServer, stopServer, waitUntil } from './servers.js';
import { ROOT, TMP } from './paths.js';

const PATH = '/aircall/webhook';

function load(port, { body, connections, duration }) {
  return autocannon({
    url: `http://${HOST}:${port}${PATH}`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections,
    duration,
  });
}

/**
 * Runs one server through: start, one checked request (must answer 200), a warm-up, then the measured
 * load with RSS sampling. Returns the figures, with `invalid` set to the reason when the run cannot count.
 */
export async function benchServer({ name, script, env, stdoutFile, body, connections, duration, warmup, log }) {
  const port = await freePort();
  const server = startServer(script, {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST },
    stdoutFile,
  });
  const outcome = { name, stdout: stdoutFile === '/dev/null' ? '/dev/null' : relative(ROOT, stdoutFile) };
  try {
    const first = await waitUntil(server, () =>
      httpRequest(port, { method: 'POST', path: PATH, headers: { 'content-type': 'application/json' }, body }),
    );
    outcome.firstResponse = `${first.status} ${first.body.slice(0, 80)}`;
    if (first.status !== 200) {
      outcome.invalid = `the bench body was answered ${outcome.firstResponse}, not 200`;
      return outcome;
    }
    log(`  ${name}: listening on ${HOST}:${port} (pid ${server.child.pid}); warm-up ${warmup} s`);
    const warm = await load(port, { body, connections, duration: warmup });
    outcome.warmupTotal = warm.requests.total;

    log(`  ${name}: load ${duration} s, ${connections} connections`);
    const rss = sampleRss(server.child.pid, 200);
    const cpuBefore = cpuSeconds(server.child.pid);
    const result = await load(port, { body, connections, duration });
    const cpuAfter = cpuSeconds(server.child.pid);
    const memory = rss.stop();

    const codes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]));
    Object.assign(outcome, {
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      total: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      codes,
      rssPeakMb: memory.peakMb,
      rssSamples: memory.samples,
      // Server CPU per answered request: on 2 shared cores autocannon can saturate before the
      // server does, and then req/s measures the client; CPU per request still measures the server.
      cpuUsPerRequest:
        cpuBefore !== undefined && cpuAfter !== undefined && result.requests.total > 0
          ? ((cpuAfter - cpuBefore) * 1e6) / result.requests.total
          : undefined,
    });
    const problems = [];
    if (result.non2xx !== 0) problems.push(`${result.non2xx} non-2xx responses`);
    if (result.errors !== 0) problems.push(`${result.errors} connection errors`);
    if (result.timeouts !== 0) problems.push(`${result.timeouts} timeouts`);
    const other2xx = Object.entries(codes).filter(([code]) => code !== '200' && code.startsWith('2'));
    if (other2xx.length > 0) problems.push(`2xx other than 200: ${other2xx.map(([c, n]) => `${n}x ${c}`).join(', ')}`);
    if (result.requests.total === 0) problems.push('no requests completed');
    if (problems.length > 0) outcome.invalid = problems.join('; ');
    return outcome;
  } catch (error) {
    outcome.invalid = error.message;
    return outcome;
  } finally {
    await stopServer(server);
  }
}

/** User + system CPU seconds of a process so far, from /proc/<pid>/stat (clock ticks of 1/100 s). */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Counts the lines of a file (the receiver's per-delivery log). */
export function countLines(path) {
  try {
    const text = readFileSync(path, 'utf8');
    return text.length === 0 ? 0 : text.split('\n').filter((l) => l.length > 0).length;
  } catch {
    return undefined;
  }
}

export const RECEIVER_STDOUT = join(TMP, 'receiver-stdout.log');
