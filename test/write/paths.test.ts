import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { planWrites, type OutputFile } from '../../src/write/index.js';
import { resolveInside, unsafePathReason } from '../../src/write/paths.js';
import { makeTempDir, snapshot } from './helpers.js';

const file = (relPath: string): OutputFile => ({ path: relPath, ownership: 'generator', contents: 'x' });

describe('unsafePathReason', () => {
  it.each([
    ['parent escape', '../x', 'it contains ".."'],
    ['absolute', '/abs', 'it is absolute'],
    ['escape through a folder', 'a/../../b', 'it contains ".."'],
    ['.. that stays inside', 'a/../b', 'it contains ".."'],
    ['Windows drive', 'C:/x', 'it is absolute'],
    ['backslash', 'a\\b', 'it contains a backslash (use "/")'],
    ['NUL', 'a\0b', 'it contains a NUL character'],
    ['empty', '', 'it is empty'],
    ['empty segment', 'a//b', 'it contains an empty or "." segment'],
    ['dot segment', './a', 'it contains an empty or "." segment'],
    ['trailing slash', 'a/', 'it contains an empty or "." segment'],
    ['plain file', 'events.ts', undefined],
    ['nested file', 'handlers/call-created.ts', undefined],
    ['dots inside a name', 'a..b.ts', undefined],
  ])('%s: %j', (_name, given, want) => {
    expect(unsafePathReason(given)).toBe(want);
  });

  it('resolveInside refuses anything that lands outside the root', () => {
    expect(resolveInside('/out', 'a/b.ts')).toBe(path.resolve('/out/a/b.ts'));
    expect(() => resolveInside('/out', '../out2/x')).toThrow(UserError);
    expect(() => resolveInside('/out', '/etc/passwd')).toThrow(UserError);
  });
});

describe('planWrites rejects unsafe output sets before touching anything', () => {
  it.each([
    ['../x', ['../x']],
    ['/abs', ['/abs']],
    ['a/../../b', ['a/../../b']],
    ['backslash', ['a\\b.ts']],
    ['NUL', ['a\0.ts']],
    ['case collision', ['Events.ts', 'events.ts']],
    ['nested case collision', ['handlers/A.ts', 'Handlers/a.ts']],
    ['exact duplicate', ['a.ts', 'a.ts']],
    ['file and folder at once', ['a', 'a/b.ts']],
    ['reserved manifest name', ['AIRCALL-GEN.manifest.json']],
    ['reserved staging folder', ['.aircall-gen-tmp-write/x']],
    ['reserved folder of a finished write', ['.aircall-gen-tmp-done/x']],
  ])('%s', async (_name, paths) => {
    const out = await makeTempDir();
    const error = await planWrites(out, paths.map(file), { inputHash: 'x', eventHashes: {} }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(UserError);
    expect(await snapshot(out)).toEqual({});
  });

  it('refuses to write through a symlinked folder that leads outside the output folder', async () => {
    const base = await makeTempDir();
    const out = path.join(base, 'out');
    const outside = path.join(base, 'outside');
    await mkdir(out);
    await mkdir(outside);
    await symlink(outside, path.join(out, 'handlers'));
    const error = await planWrites(out, [file('handlers/x.ts')], { inputHash: 'x', eventHashes: {} }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain('outside');
  });

  it('accepts a symlinked folder that stays inside the output folder', async () => {
    const out = await makeTempDir();
    await mkdir(path.join(out, 'real'));
    await symlink(path.join(out, 'real'), path.join(out, 'alias'));
    await expect(planWrites(out, [file('alias/x.ts')], { inputHash: 'x', eventHashes: {} })).resolves.toBeDefined();
  });

  it('rejects a manifest whose paths escape the output folder (it drives deletions)', async () => {
    const out = await makeTempDir();
    await writeFile(
      path.join(out, 'aircall-gen.manifest.json'),
      JSON.stringify({
        inputHash: 'x',
        events: {},
        files: { '../victim.txt': { owner: 'generator', sha256: 'a'.repeat(64) } },
      }),
    );
    const error = await planWrites(out, [], { inputHash: 'x', eventHashes: {} }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).location).toBe(path.join(out, 'aircall-gen.manifest.json'));
  });
});
