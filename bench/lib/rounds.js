// Throughput rounds: one measurement per server is too noisy on 2 shared cores (the same bare server
// measured 25k and 35k req/s in consecutive runs), so each setting runs the servers interleaved for
// several rounds and reports medians; drift in the machine's load then hits every server alike.
import { LOAD_CPU, SERVER_CPU, pinnedSkipReason, withProcessPinned } from './affinity.js';
import { benchServer, checkReceiverLog } from './throughput.js';
import { summarize } from './stats.js';

const fmt = (n, digits = 0) => (n === undefined ? 'n/a' : n.toFixed(digits));

function runLine(r) {
  const checked = r.check ? `; check: ${r.check.summary}` : '';
  if (r.invalid) return `INVALID: ${r.invalid}${checked}`;
  return `${fmt(r.rps)} req/s, p99 ${fmt(r.p99)} ms, ${fmt(r.cpuUsPerRequest, 1)} µs CPU/request, peak RSS ${fmt(r.rssPeakMb, 1)} MB, load generator ${fmt(r.loadBusyPercent)}% busy${checked}`;
}

/**
 * Runs one setting: `rounds` rounds, each starting every available server once, one at a time. The
 * start order rotates by one server per round so that no server always follows the same one (the
 * receiver leaves a large log file being written back, for instance). `cpu` pins the servers (see
 * benchServer). Servers with `checkLog` get their stdout log checked after every run. A server with
 * `perRun()` gets it called before each run: it may return `env` (added to the server's, e.g. a fresh queue
 * file), `check(outcome)` (run after the server stopped; resolves `{ ok, summary }`, and a run whose check
 * is not ok is invalid) and `cleanup()` (always run last, e.g. deleting Redis keys). `bodies` (distinct
 * bodies, see distinct-bodies.js) replaces `common.body` for that server. Returns one aggregate per entry of
 * `servers`, in order; unavailable servers are passed through.
 * @param {{ setting: string, servers: any[], rounds: number, cpu?: number, common: any }} options
 */
export async function benchSetting({ setting, servers, rounds, cpu, common }) {
  const { log } = common;
  const available = servers.filter((s) => !s.unavailable);
  /** @type {Map<string, any[]>} */
  const runs = new Map(available.map((s) => [s.key, []]));
  for (let round = 1; round <= rounds; round++) {
    for (let i = 0; i < available.length; i++) {
      const s = available[(i + round - 1) % available.length];
      let perRun = {};
      let outcome;
      try {
        perRun = s.perRun ? await s.perRun() : {};
        outcome = await benchServer({
          ...common,
          name: `${setting} round ${round}/${rounds} ${s.key}`,
          script: s.script,
          env: { ...s.env, ...perRun.env },
          stdoutFile: s.stdoutFile,
          ...(s.bodies ? { bodies: s.bodies, body: undefined } : {}),
          cpu,
        });
        if (s.checkLog) outcome.logCheck = checkReceiverLog(s.stdoutFile, outcome, common.connections);
        if (perRun.check && outcome.total !== undefined) {
          outcome.check = await perRun.check(outcome).catch((error) => ({
            ok: false,
            summary: `the check itself failed: ${error.message}`,
          }));
          if (!outcome.check.ok) {
            outcome.invalid = [outcome.invalid, `check failed: ${outcome.check.summary}`].filter(Boolean).join('; ');
          }
        }
      } catch (error) {
        // A run that could not be prepared or checked counts as invalid rather than ending the bench.
        outcome = { ...outcome, invalid: `run not completed: ${error.message}` };
      } finally {
        await perRun.cleanup?.().catch((error) => log(`  ${s.key}: cleanup failed: ${error.message}`));
      }
      log(`  ${setting} round ${round}/${rounds} ${s.key}: ${runLine(outcome)}`);
      runs.get(s.key)?.push({ round, ...outcome });
    }
  }
  const aggregates = servers.map((s) => (s.unavailable ? s : aggregate(s, runs.get(s.key))));
  for (const a of aggregates) {
    if (!a.unavailable) log(`  ${setting}: ${a.label}: median of ${a.runs.length}: ${runLine(a)}`);
  }
  return aggregates;
}

/**
 * Both settings of a throughput section, each by benchSetting: (a) shared, no pinning: the scheduler spreads
 * server and load generator over the cores; (b) pinned: servers on SERVER_CPU, this process (autocannon) on
 * LOAD_CPU for this setting only, or skipped with the reason when pinning is impossible here. `title` starts
 * the log's headings (e.g. 'durable, '). Returns `[{ key: 'shared', servers }, { key: 'pinned', servers } or
 * { key: 'pinned', skipped }]`.
 * @param {{ title?: string, servers: any[], rounds: number, cores: number, common: any }} options
 * @returns {Promise<{ key: string, servers?: any[], skipped?: string }[]>}
 */
export async function benchSettings({ title = '', servers, rounds, cores, common }) {
  const { log } = common;
  const settingArgs = { servers, rounds, common };
  log(`\n-- ${title}shared cores: ${rounds} round(s)`);
  /** @type {{ key: string, servers?: any[], skipped?: string }[]} */
  const settings = [{ key: 'shared', servers: await benchSetting({ ...settingArgs, setting: 'shared' }) }];

  log(`\n-- ${title}pinned: server on CPU ${SERVER_CPU}, load generator on CPU ${LOAD_CPU}: ${rounds} round(s)`);
  const skip = (/** @type {string} */ why) => {
    log(`  pinned: skipped: ${why}`);
    settings.push({ key: 'pinned', skipped: why });
  };
  const pinnedSkip = pinnedSkipReason(cores);
  if (pinnedSkip) skip(pinnedSkip);
  else {
    try {
      const pinned = await withProcessPinned(
        LOAD_CPU,
        cores,
        () => benchSetting({ ...settingArgs, setting: 'pinned', cpu: SERVER_CPU }),
        log,
      );
      settings.push({ key: 'pinned', servers: pinned });
    } catch (error) {
      if (!error.notPinned) throw error;
      skip(error.message);
    }
  }
  return settings;
}

/**
 * One server's rounds in one setting: medians of req/s, latencies and CPU/request (over the rounds
 * that measured them), the max of peak RSS, sums of requests and non-2xx, req/s per round, and
 * `invalid` naming every invalid round, since a median over a broken round would hide it.
 */
export function aggregate(server, runs) {
  const values = (field) => runs.map((r) => r[field]).filter((v) => v !== undefined);
  const median = (field) => summarize(values(field))?.median;
  const sum = (field) => (values(field).length > 0 ? values(field).reduce((a, b) => a + b, 0) : undefined);
  const invalid = runs.filter((r) => r.invalid).map((r) => `round ${r.round}: ${r.invalid}`);
  return {
    key: server.key,
    label: server.label,
    stdout: runs[0]?.stdout,
    runs,
    rps: median('rps'),
    p50: median('p50'),
    p99: median('p99'),
    cpuUsPerRequest: median('cpuUsPerRequest'),
    loadBusyPercent: median('loadBusyPercent'),
    rssPeakMb: values('rssPeakMb').length > 0 ? Math.max(...values('rssPeakMb')) : undefined,
    total: sum('total'),
    non2xx: sum('non2xx'),
    rpsPerRound: runs.map((r) => r.rps),
    invalid: invalid.length > 0 ? invalid.join('; ') : undefined,
    logChecks: runs.filter((r) => r.logCheck).map((r) => ({ round: r.round, ...r.logCheck })),
    checks: runs.filter((r) => r.check).map((r) => ({ round: r.round, ...r.check })),
  };
}
