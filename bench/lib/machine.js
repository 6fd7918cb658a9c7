import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
