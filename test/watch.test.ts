import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from './support/project.js';
import { buildSpec } from './support/spec-builder.js';

async function until(probe: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('--watch', () => {
  it('regenerates on change, survives a broken edit, and stops cleanly on SIGINT', async () => {
    const dir = await tempDir('watch');
    const spec = join(dir, 'hooks.json');
    const out = join(dir, 'out');
    const one = [{ name: 'order.created', data: { id: { type: 'integer' } } }];
    await writeFile(spec, JSON.stringify(buildSpec(one)));
    const child = spawn(process.execPath, [join(ROOT, 'bin/aircall-gen.js'), '--watch', '--spec', spec, '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await until(() => stdout.includes('1 events from'), 'the first generation');
      await until(() => stderr.includes('watching'), 'the watch to start');

      await writeFile(spec, '{ "asyncapi": "2.6.0", broken');
      await until(() => /aircall-gen: error: The spec cannot be read: it is not valid YAML or JSON/.test(stderr), 'the error of a broken edit');

      await writeFile(spec, JSON.stringify(buildSpec([...one, { name: 'order.paid', data: {} }])));
      await until(() => stdout.includes('+ event order.paid'), 'the regeneration after the fix');
      expect(await readFile(join(out, 'registry.ts'), 'utf8')).toContain("'order.paid': handleOrderPaid");
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });
});
