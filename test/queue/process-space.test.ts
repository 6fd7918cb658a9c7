// Which lease holders a process can check for life: its own machine and pid namespace (process-space.ts).
import { spawnSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ownerOpened, ownerOpenHere, processAlive, processSpace } from '../../runtime/receiver/queue/process-space.js';

const COMPILED = new URL('../../dist/queue/process-space.js', import.meta.url).pathname;

describe('process space', () => {
  it('is the host name and, on Linux, the pid namespace', () => {
    const namespace = process.platform === 'linux' ? readlinkSync('/proc/self/ns/pid') : '';
    expect(processSpace()).toBe(namespace === '' ? hostname() : `${hostname()}#${namespace}`);
    expect(processSpace()).not.toMatch(/\s/); // stored in space-separated fields
  });

  it('differs in another pid namespace of the same host (a container with host networking, also pid 1)', (context) => {
    const child = spawnSync(
      'unshare',
      [
        '--pid',
        '--fork',
        process.execPath,
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(COMPILED)}); console.log(JSON.stringify([m.processSpace(), process.pid]));`,
      ],
      { encoding: 'utf8' },
    );
    if (child.error !== undefined || child.status !== 0) {
      console.log(
        `skipped: cannot run a process in a pid namespace of its own here (unshare --pid: ${child.error?.message ?? child.stderr.trim()})`,
      );
      context.skip();
    }
    const [space, pid] = JSON.parse(child.stdout) as [string, number];
    expect(pid).toBe(1);
    expect(space.startsWith(`${hostname()}#pid:[`)).toBe(true);
    expect(space).not.toBe(processSpace());
  });

  it('knows the queue handles open in this process until they are forgotten', () => {
    const opened = ownerOpened('test-owner@here');
    expect(ownerOpenHere('test-owner@here')).toBe(true);
    expect(ownerOpenHere('another@here')).toBe(false);
    opened.forget();
    expect(ownerOpenHere('test-owner@here')).toBe(false);
  });

  it('tells a live process from a gone one', async () => {
    expect(processAlive(process.pid)).toBe(true);
    const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    expect(processAlive(Number(gone.stdout.trim()))).toBe(false);
  });
});
