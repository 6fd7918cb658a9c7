import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../src/fingerprint.js';
import { tempDir } from '../support/project.js';

describe('fingerprintOf (the generator part of the cache key)', () => {
  it('changes when compiled code, a template or a runtime file changes, and only then', async () => {
    const root = await tempDir('fingerprint');
    const put = async (path: string, text: string) => {
      await mkdir(join(root, path, '..'), { recursive: true });
      await writeFile(join(root, path), text);
    };
    await put('dist/generate.js', 'a');
    await put('templates/events.ts.hbs', 'b');
    await put('runtime/receiver/receiver.ts', 'c');
    const seen = [await fingerprintOf(root)];

    await put('runtime-stand-ins/events.ts', 'never shipped');
    await put('dist/generate.d.ts', 'types only');
    expect(await fingerprintOf(root)).toBe(seen[0]);

    for (const [path, text] of [
      ['runtime/receiver/receiver.ts', 'c2'],
      ['runtime/receiver/queue.ts', 'new runtime file'],
      ['templates/events.ts.hbs', 'b2'],
      ['dist/generate.js', 'a2'],
    ] as const) {
      await put(path, text);
      const next = await fingerprintOf(root);
      expect(seen, path).not.toContain(next);
      seen.push(next);
    }
  });
});
