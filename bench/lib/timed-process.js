// Runs one command as a cold child process and times it from spawn to exit.
// When /usr/bin/time exists the child runs under it, which adds its CPU time and peak RSS.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TMP } from './paths.js';

const GNU_TIME = '/usr/bin/time';
export const HAS_GNU_TIME = existsSync(GNU_TIME);

let counter = 0;

/**
 * Resolves to { ms, code, signal, stdout, stderr, cpuS?, maxRssMb? }; never rejects on a non-zero exit
 * (callers decide what counts as a failure). `timeoutMs` kills a hung child.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs?: number }} [options]
 */
export function timedRun(command, args, { cwd, env = process.env, timeoutMs = 10 * 60_000 } = {}) {
  const timeFile = join(TMP, `time-${process.pid}-${counter++}.txt`);
  const [file, argv] = HAS_GNU_TIME
    ? [GNU_TIME, ['-q', '-f', '%U %S %M', '-o', timeFile, command, ...args]]
    : [command, args];
  return new Promise((resolve, reject) => {
    const stdout = [];
    const stderr = [];
    const start = process.hrtime.bigint();
    // Own process group, so a timeout kills the command and not only /usr/bin/time.
    const child = spawn(file, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.stdout.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    const timer = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    let ms;
    child.on('exit', () => {
      ms = Number(process.hrtime.bigint() - start) / 1e6;
    });
    // 'close' comes after 'exit', once all output has been read.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = {
        ms: ms ?? Number(process.hrtime.bigint() - start) / 1e6,
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      };
      if (HAS_GNU_TIME) {
        try {
          const line = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
          const [user, sys, rssKb] = line.split(' ').map(Number);
          result.cpuS = user + sys;
          result.maxRssMb = rssKb / 1024;
        } catch {
          // killed before time wrote its line: no CPU figures for this run
        }
        rmSync(timeFile, { force: true });
      }
      resolve(result);
    });
  });
}
