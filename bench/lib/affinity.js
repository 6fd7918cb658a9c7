// CPU pinning for the "pinned" throughput setting: the server on one core, this process (which runs
// autocannon) on another, so the load generator and the server stop taking CPU time from each other.
// Uses util-linux `taskset` to set affinities and /proc to read them back, so pinning is checked, not assumed.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export const TASKSET = 'taskset';

/** The CPUs the bench process is pinned to while the pinned setting runs; servers get SERVER_CPU. */
export const LOAD_CPU = 0;
export const SERVER_CPU = 1;

function hasTaskset() {
  const probe = spawnSync(TASKSET, ['--version'], { stdio: 'ignore' });
  return probe.error === undefined && probe.status === 0;
}

/** Why the pinned setting cannot run here, or undefined when it can. */
export function pinnedSkipReason(cores) {
  if (process.platform !== 'linux') return `CPU pinning needs Linux (this is ${process.platform})`;
  if (!hasTaskset()) return '`taskset` (util-linux) was not found on PATH';
  if (cores < 2)
    return `the bench process may use ${cores} core only; pinning needs 2 (one for the server, one for the load generator)`;
  return undefined;
}

/** Cpus_allowed_list of one task (a process, or a thread via `<pid>/task/<tid>`), e.g. "0-1"; undefined when unreadable. */
export function cpusAllowed(pid) {
  try {
    return /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

/**
 * The distinct Cpus_allowed_list values over all threads of `pid`, e.g. ["0"]: V8's GC helpers and libuv's
 * pool run in threads of their own, and pinning only the main thread would leave them on every core.
 */
export function threadAffinities(pid = process.pid) {
  try {
    const lists = readdirSync(`/proc/${pid}/task`).map((tid) => cpusAllowed(`${pid}/task/${tid}`));
    return [...new Set(lists.filter((l) => l !== undefined))];
  } catch {
    return [];
  }
}

/** `taskset -a -p -c <list> <pid>`: every current thread of the process; threads started later inherit it. */
function setProcessAffinity(pid, list) {
  execFileSync(TASKSET, ['-a', '-p', '-c', list, String(pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * Runs `fn` with this process pinned to `cpu`, then gives it back the CPUs it had before (normally
 * `0-<cores-1>`), also when `fn` throws, so generation timings and startup are never run pinned.
 * A failure to pin rejects before `fn` runs, with `notPinned` set so the caller can skip the setting; a
 * failure to restore rejects too, rather than letting the rest of the bench run on one core unnoticed.
 */
export async function withProcessPinned(cpu, cores, fn, log) {
  const original = cpusAllowed('self') ?? `0-${cores - 1}`;
  try {
    setProcessAffinity(process.pid, String(cpu));
  } catch (error) {
    const detail = error.stderr?.toString().trim() || error.message;
    // taskset -a sets thread by thread: undo whatever part of it succeeded before reporting.
    try {
      setProcessAffinity(process.pid, original);
    } catch {
      // nothing more to undo with
    }
    throw Object.assign(new Error(`\`taskset -a -p -c ${cpu} ${process.pid}\` failed: ${detail}`), { notPinned: true });
  }
  log(
    `bench: pinned this process (load generator) to CPU ${cpu}; its threads now allow CPUs ${threadAffinities().join(', ')}`,
  );
  try {
    return await fn();
  } finally {
    setProcessAffinity(process.pid, original);
    log(
      `bench: restored this process to CPUs ${original}; its threads now allow CPUs ${threadAffinities().join(', ')}`,
    );
  }
}
