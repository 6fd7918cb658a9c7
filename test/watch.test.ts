import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from './support/project.js';
import { waitFor } from './support/wait.js';
import { buildSpec } from './support/spec-builder.js';

describe('--watch', () => {
  it('regenerates on change, survives a broken edit, and stops cleanly on SIGINT', async () => {
    const dir = await tempDir('watch');
    const spec = join(dir, 'hooks.json');
    const out = join(dir, 'out');
    const one = [{ name: 'order.created', data: { id: { type: 'integer' } } }];
    await writeFile(spec, JSON.stringify(buildSpec(one)));
    const child = spawn(process.execPath, [join(ROOT, 'bin/aircall-gen.js'), '--watch', '--spec', spec, '--out', out], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await waitFor(() => stdout.includes('1 events from'), 'the first generation', 60_000, 50);
      await waitFor(() => stderr.includes('watching'), 'the watch to start', 60_000, 50);

      await writeFile(spec, '{ "asyncapi": "2.6.0", broken');
      await waitFor(
        () => /aircall-gen: error: The spec cannot be read: it is not valid YAML or JSON/.test(stderr),
        'the error of a broken edit',
        60_000,
        50,
      );

      await writeFile(spec, JSON.stringify(buildSpec([...one, { name: 'order.paid', data: {} }])));
      await waitFor(() => stdout.includes('+ event order.paid'), 'the regeneration after the fix', 60_000, 50);
      expect(await readFile(join(out, 'registry.ts'), 'utf8')).toContain("'order.paid': handleOrderPaid");
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });
});
