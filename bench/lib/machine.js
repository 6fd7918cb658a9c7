import { execFileSync } from 'node:child_process';
import { closeSync, fdatasyncSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';

function read(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function run(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

/** Facts about the machine and toolchain, for the report header. */
export function describeMachine() {
  const cpu = /^model name\s*:\s*(.+)$/m.exec(read('/proc/cpuinfo'))?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  const memKb = Number(/^MemTotal:\s*(\d+)/m.exec(read('/proc/meminfo'))?.[1] ?? 0);
  const osName = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(read('/etc/os-release'))?.[1] ?? os.type();
  return {
    date: run('date', []),
    cpu,
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memory: memKb > 0 ? `${(memKb / 1024 / 1024).toFixed(1)} GiB` : `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    npm: run('npm', ['--version']),
    os: `${osName} (${os.type()} ${os.release()}, ${os.arch()})`,
  };
}

/** The 1-minute load average, as a string with two decimals. */
export function loadAverage() {
  return os.loadavg()[0].toFixed(2);
}

/**
 * How long an fdatasync takes on the disk the queue files are on (`dir`): `count` appends of `bytes` (about
 * one group commit's WAL frames at 50 connections), each followed by fdatasync, timed alone. The durable
 * targets assume an fsync of about 2.5 ms, which makes the acknowledgement wait on the disk; much less, and
 * the receiver's CPU is the limit instead. Returns milliseconds { p50, p90, p99 } with count and bytes.
 */
export function fsyncLatency(dir, { count = 200, bytes = 64 * 1024 } = {}) {
  const file = join(dir, `fsync-probe-${process.pid}.bin`);
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(bytes, 0x61);
  const ms = [];
  try {
    for (let i = 0; i < count; i++) {
      writeSync(fd, chunk);
      const start = performance.now();
      fdatasyncSync(fd);
      ms.push(performance.now() - start);
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  const sorted = ms.sort((a, b) => a - b);
  /** The sample at quantile `q` (nearest rank). */
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { count, bytes, p50: at(0.5), p90: at(0.9), p99: at(0.99) };
}
