import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { applyPlan, planWrites, readManifest, recoverInterruptedWrite } from '../../src/write/index.js';
import { generate, inputHashOf, makeTempDir, sampleFiles, snapshot, V1 } from './helpers.js';

describe('unwritable output', () => {
  it('an output folder under a regular file is a UserError naming the path, at planning time', async () => {
    const base = await makeTempDir();
    await writeFile(path.join(base, 'file'), 'not a folder');
    const out = path.join(base, 'file', 'sub');
    const error = await planWrites(out, sampleFiles(V1), { inputHash: 'x', eventHashes: V1 }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain(out);
    expect((error as UserError).message).toContain('ENOTDIR');
    expect((error as UserError).hint).toBeTruthy();
    expect(await snapshot(base)).toEqual({ file: 'not a folder' });
  });

  it('a parent turned into a regular file between planning and applying is a UserError from applyPlan', async () => {
    const base = await makeTempDir();
    const out = path.join(base, 'dir', 'sub');
    const files = sampleFiles(V1);
    const plan = await planWrites(out, files, { inputHash: 'x', eventHashes: V1 });
    expect(new Set(plan.entries.map((entry) => entry.action))).toEqual(new Set(['create']));
    await writeFile(path.join(base, 'dir'), 'not a folder');

    const error = await applyPlan(plan, files).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain(out);
    expect((error as UserError).message).toContain('ENOTDIR');
    expect((error as UserError).hint).toContain('regular file');
    expect(await snapshot(base)).toEqual({ dir: 'not a folder' });
  });

  it('an output folder that is a regular file is a UserError', async () => {
    const base = await makeTempDir();
    const out = path.join(base, 'out');
    await writeFile(out, 'not a folder');
    await expect(planWrites(out, sampleFiles(V1), { inputHash: 'x', eventHashes: V1 })).rejects.toBeInstanceOf(
      UserError,
    );
    expect(await readFile(out, 'utf8')).toBe('not a folder');
  });

  it('a regular file where a subfolder must go is a UserError at planning time', async () => {
    const out = await makeTempDir();
    await writeFile(path.join(out, 'fixtures'), 'in the way');
    const error = await planWrites(out, sampleFiles(V1), { inputHash: 'x', eventHashes: V1 }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).location).toContain('fixtures');
    expect(await snapshot(out)).toEqual({ fixtures: 'in the way' });
  });

  it('a failure after the commit point keeps the journal; recovery finishes once the cause is fixed', async () => {
    const out = await makeTempDir();
    const files = sampleFiles(V1);
    const plan = await planWrites(out, files, { inputHash: inputHashOf(V1), eventHashes: V1 });
    await writeFile(path.join(out, 'fixtures'), 'in the way'); // appears after planning

    const error = await applyPlan(plan, files).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).hint).toContain('run aircall-gen again');
    await expect(planWrites(out, files, { inputHash: inputHashOf(V1), eventHashes: V1 })).rejects.toThrow(
      /interrupted/,
    );

    await rm(path.join(out, 'fixtures'));
    expect(await recoverInterruptedWrite(out)).toBe('rolled-forward');
    const { 'aircall-gen.manifest.json': manifest, ...written } = await snapshot(out);
    expect(written).toEqual(Object.fromEntries(files.map((file) => [file.path, file.contents])));
    expect(manifest).toBeDefined();
  });

  it('a folder where a file must go is a UserError at planning time', async () => {
    const out = await makeTempDir();
    await mkdir(path.join(out, 'events.ts'));
    await expect(planWrites(out, sampleFiles(V1), { inputHash: 'x', eventHashes: V1 })).rejects.toBeInstanceOf(
      UserError,
    );
  });
});

describe('readManifest', () => {
  it('is undefined when there is no manifest, or no folder at all', async () => {
    const out = await makeTempDir();
    expect(await readManifest(out)).toBeUndefined();
    expect(await readManifest(path.join(out, 'missing'))).toBeUndefined();
  });

  it('round-trips what applyPlan wrote', async () => {
    const out = await makeTempDir();
    const plan = await generate(out, V1);
    expect(await readManifest(out)).toEqual(plan.manifest);
  });

  it.each([
    ['not JSON', '{oops'],
    ['wrong shape', '[]'],
    ['bad record', JSON.stringify({ inputHash: 'x', events: {}, files: { 'a.ts': { owner: 'robot' } } })],
    [
      'bad hash',
      JSON.stringify({ inputHash: 'x', events: {}, files: { 'a.ts': { owner: 'generator', sha256: 'nope' } } }),
    ],
    ['bad events', JSON.stringify({ inputHash: 'x', events: { a: 1 }, files: {} })],
    ['bad refs', JSON.stringify({ inputHash: 'x', events: {}, refs: { '../a.yaml': 'nope' }, files: {} })],
    ['bad remoteRefs', JSON.stringify({ inputHash: 'x', events: {}, remoteRefs: 'yes', files: {} })],
  ])('corrupt (%s) is a UserError naming the file', async (_name, text) => {
    const out = await makeTempDir();
    const file = path.join(out, 'aircall-gen.manifest.json');
    await writeFile(file, text);
    const error = await readManifest(out).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain(file);
    expect((error as UserError).location).toBe(file);
  });

  it('a manifest that is a folder is a UserError', async () => {
    const out = await makeTempDir();
    await mkdir(path.join(out, 'aircall-gen.manifest.json'));
    await expect(readManifest(out)).rejects.toBeInstanceOf(UserError);
  });
});

describe('applyPlan guards against misuse', () => {
  it('throws a plain Error (a bug, not a user error) when the files do not match the plan', async () => {
    const out = await makeTempDir();
    const files = sampleFiles(V1);
    const plan = await planWrites(out, files, { inputHash: inputHashOf(V1), eventHashes: V1 });
    const tampered = files.map((file) => (file.path === 'events.ts' ? { ...file, contents: 'other' } : file));
    const error = await applyPlan(plan, tampered).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(UserError);
    expect(await snapshot(out)).toEqual({});
  });
});
