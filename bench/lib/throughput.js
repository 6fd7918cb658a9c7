// Receiver throughput: each server in its own child process, one at a time, loaded by autocannon
// from this process over 127.0.0.1, with the same body or (durable mode) a distinct body per request
// (distinct-bodies.js). Rounds and settings are in rounds.js.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import autocannon from 'autocannon';
import { threadAffinities } from './affinity.js';
import { HOST, freePort, httpRequest, sampleRss, startServer, stopServer, waitUntil } from './servers.js';
import { ROOT, TMP } from './paths.js';

const PATH = '/aircall/webhook';

/**
 * One autocannon load. With `bodies`, every request carries `bodies.next()`: setupRequest sets the body on
 * the request object autocannon already copied for this request (no copy of our own, no serialization).
 * @param {number} port
 * @param {{ body?: string, bodies?: { next(): string }, connections: number, duration: number }} options
 */
function load(port, { body, bodies, connections, duration }) {
  const request = {
    method: 'POST',
    path: PATH,
    headers: { 'content-type': 'application/json' },
    ...(bodies
      ? {
          setupRequest: (/** @type {{ body?: string }} */ req) => {
            req.body = bodies.next();
            return req;
          },
        }
      : { body }),
  };
  return autocannon({ url: `http://${HOST}:${port}${PATH}`, connections, duration, requests: [request] });
}

/**
 * Runs one server through: start, one checked request (must answer 200), a warm-up, then the measured
 * load with RSS sampling. With `cpu`, the server runs under `taskset -c <cpu>` and the run is invalid unless
 * /proc confirms it. Returns the figures, with `invalid` set to the reason when the run cannot count.
 */
export async function benchServer({
  name,
  script,
  env,
  stdoutFile,
  body,
  bodies,
  connections,
  duration,
  warmup,
  log,
  cpu,
}) {
  const port = await freePort();
  const server = startServer(script, {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST },
    stdoutFile,
    cpu,
  });
  const outcome = { name, stdout: relative(ROOT, stdoutFile) };
  try {
    const first = await waitUntil(server, () =>
      httpRequest(port, {
        method: 'POST',
        path: PATH,
        headers: { 'content-type': 'application/json' },
        body: bodies ? bodies.next() : body,
      }),
    );
    outcome.firstResponse = `${first.status} ${first.body.slice(0, 80)}`;
    if (first.status !== 200) {
      outcome.invalid = `the bench body was answered ${outcome.firstResponse}, not 200`;
      return outcome;
    }
    outcome.cpus = threadAffinities(server.child.pid).join(', ');
    const notServer = checkServerProcess(server.child.pid, cpu);
    if (notServer) {
      outcome.invalid = notServer;
      return outcome;
    }
    log(`  ${name}: listening on ${HOST}:${port} (pid ${server.child.pid}, CPUs ${outcome.cpus}); warm-up ${warmup} s`);
    const warm = await load(port, { body, bodies, connections, duration: warmup });
    outcome.warmupTotal = warm.requests.total;

    log(`  ${name}: load ${duration} s, ${connections} connections`);
    const rss = sampleRss(server.child.pid, 200);
    const cpuBefore = cpuSeconds(server.child.pid);
    const loadCpuBefore = process.cpuUsage();
    const loadStarted = performance.now();
    const result = await load(port, { body, bodies, connections, duration });
    const loadCpu = process.cpuUsage(loadCpuBefore);
    const loadWallUs = (performance.now() - loadStarted) * 1000;
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
      // The load generator's own CPU (this process) over the load's wall time: near 100% means autocannon,
      // one thread, was the limit rather than the server.
      loadBusyPercent: ((loadCpu.user + loadCpu.system) * 100) / loadWallUs,
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
    // The exit code (0 after a graceful stop) or signal (SIGKILL when it did not stop within 10 s: its last
    // log lines may be lost), for the checks that read its log afterwards.
    outcome.exit = await stopServer(server);
  }
}

/**
 * CPU time and RSS are read from /proc/<child pid>: that pid must be node itself (under taskset, after its
 * exec), and when pinned every thread of it must allow exactly `cpu`. Returns the problem, or undefined.
 */
function checkServerProcess(pid, cpu) {
  let argv0;
  try {
    argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
  } catch {
    return undefined; // no /proc: nothing to check, and cpuSeconds/sampleRss report n/a anyway
  }
  if (argv0 !== process.execPath) return `pid ${pid} runs ${JSON.stringify(argv0)}, not node (${process.execPath})`;
  if (cpu === undefined) return undefined;
  const lists = threadAffinities(pid);
  if (lists.length !== 1 || lists[0] !== String(cpu)) {
    return `server not pinned: its threads allow CPUs ${lists.join(', ') || 'unknown'}, expected ${cpu}`;
  }
  return undefined;
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

/**
 * After one receiver run (its stdout file is rewritten per run): its log lines against the requests it
 * answered (check + warm-up + load). Every delivery writes one line whose msg starts with "delivery"; the
 * other lines are lifecycle (listening, shutting down, stopped). autocannon stops each of its two loads
 * with up to one request per connection in flight, which the receiver still answers and logs but
 * autocannon does not count, so a matching run logs between `requests` and `requests + 2 * connections`
 * deliveries. Returns undefined when the run never reached the load.
 */
export function checkReceiverLog(path, outcome, connections) {
  if (outcome.total === undefined || outcome.warmupTotal === undefined) return undefined;
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { matched: false, requests: outcome.total + outcome.warmupTotal + 1, why: `${path} is unreadable` };
  }
  const lines = text.split('\n').filter((l) => l.length > 0);
  const deliveries = lines.filter((l) => l.includes('"msg":"delivery')).length;
  const requests = outcome.total + outcome.warmupTotal + 1;
  const slack = 2 * connections;
  const matched = deliveries >= requests && deliveries <= requests + slack;
  return { matched, lines: lines.length, deliveries, requests, slack };
}

export const RECEIVER_STDOUT = join(TMP, 'receiver-stdout.log');
