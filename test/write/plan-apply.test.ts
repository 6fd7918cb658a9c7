import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import {
  applyPlan,
  isStale,
  MANIFEST_FILE,
  planWrites,
  readManifest,
  serializeManifest,
} from '../../src/write/index.js';
import { actions, generate, inputHashOf, makeTempDir, mtimes, sampleFiles, snapshot, V1, V2 } from './helpers.js';

describe('first run', () => {
  it('creates every file and a manifest in a folder that does not exist yet', async () => {
    const out = path.join(await makeTempDir(), 'nested', 'out');
    const plan = await generate(out, V1);

    expect(new Set(Object.values(actions(plan)))).toEqual(new Set(['create']));
    expect(plan.entries.map((entry) => entry.path)).toEqual([
      'events.ts',
      'fixtures/call-created.json',
      'fixtures/call-ended.json',
      'fixtures/contact-created.json',
      'handlers/call-created.ts',
      'handlers/call-ended.ts',
      'handlers/contact-created.ts',
    ]);
    const expected = Object.fromEntries(sampleFiles(V1).map((file) => [file.path, file.contents]));
    const { [MANIFEST_FILE]: manifestText, ...written } = await snapshot(out);
    expect(written).toEqual(expected);
    expect(manifestText).toBe(serializeManifest(plan.manifest));
    expect(plan.eventChanges).toEqual({
      added: ['call.created', 'call.ended', 'contact.created'],
      removed: [],
      changed: [],
      details: {},
    });
  });

  it('writes a deterministic manifest: sorted keys, 2-space indent, trailing newline, hashes only', async () => {
    const out = await makeTempDir();
    await generate(out, V1);
    const text = await readFile(path.join(out, MANIFEST_FILE), 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).not.toMatch(/\r|time|version/i);
    const json = JSON.parse(text);
    expect(Object.keys(json)).toEqual(['events', 'files', 'inputHash']);
    expect(json.inputHash).toBe(inputHashOf(V1));
    expect(json.events).toEqual(V1);
    expect(Object.keys(json.files)).toEqual([...Object.keys(json.files)].sort());
    expect(json.files['handlers/call-created.ts']).toEqual({ event: 'call.created', owner: 'user' });
    expect(json.files['events.ts']).toEqual({ owner: 'generator', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(`${JSON.stringify(json, null, 2)}\n`).toBe(text);

    const other = await makeTempDir();
    await generate(other, V1);
    expect(await readFile(path.join(other, MANIFEST_FILE), 'utf8')).toBe(text);
  });

  it('writes contents exactly as given (no newline added, LF kept)', async () => {
    const out = await makeTempDir();
    const files = [{ path: 'a.txt', ownership: 'generator' as const, contents: 'no newline\nat end' }];
    await applyPlan(await planWrites(out, files, { inputHash: 'x', eventHashes: {} }), files);
    expect(await readFile(path.join(out, 'a.txt'), 'utf8')).toBe('no newline\nat end');
  });
});

describe('second identical run', () => {
  it('plans only unchanged/kept, writes nothing, and leaves a byte-identical manifest', async () => {
    const out = await makeTempDir();
    await generate(out, V1);
    const before = await snapshot(out);
    const timesBefore = await mtimes(out);
    await new Promise((resolve) => setTimeout(resolve, 20));

    const plan = await generate(out, V1);

    expect(new Set(plan.entries.map((entry) => `${entry.ownership}:${entry.action}`))).toEqual(
      new Set(['generator:unchanged', 'user:kept']),
    );
    expect(isStale(plan)).toBe(false);
    expect(plan.eventChanges).toEqual({ added: [], removed: [], changed: [], details: {} });
    expect(await snapshot(out)).toEqual(before);
    expect(await mtimes(out)).toEqual(timesBefore);
  });
});

describe('user files', () => {
  it('are never overwritten, even with force', async () => {
    const out = await makeTempDir();
    await generate(out, V1);
    const handler = path.join(out, 'handlers/call-created.ts');
    await writeFile(handler, 'my code');

    const plan = await generate(out, V1, { force: true });

    expect(actions(plan)['handlers/call-created.ts']).toBe('kept');
    expect(await readFile(handler, 'utf8')).toBe('my code');
  });

  it('are created when the user deleted them, without touching other files', async () => {
    const out = await makeTempDir();
    await generate(out, V1);
    await rm(path.join(out, 'handlers/call-ended.ts'));
    const plan = await generate(out, V1);
    expect(actions(plan)['handlers/call-ended.ts']).toBe('create');
    expect(isStale(plan)).toBe(true); // registry.ts imports every handler: --check must catch a missing one
    expect(await readFile(path.join(out, 'handlers/call-ended.ts'), 'utf8')).toContain('Yours');
  });
});

describe('hand-edited generator files', () => {
  it('are a conflict: applyPlan throws a UserError naming them and writes nothing', async () => {
    const out = await makeTempDir();
    await generate(out, V1);
    await writeFile(path.join(out, 'events.ts'), 'hand edit');
    const before = await snapshot(out);
    const times = await mtimes(out);

    const files = sampleFiles(V2);
    const plan = await planWrites(out, files, { inputHash: inputHashOf(V2), eventHashes: V2 });
    const conflict = plan.entries.find((entry) => entry.path === 'events.ts');
    expect(conflict).toMatchObject({ action: 'conflict', detail: 'edited by hand since the last generation' });
    expect(isStale(plan)).toBe(true);

    const error = await applyPlan(plan, files).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain('  events.ts (edited by hand');
    expect((error as UserError).hint).toContain('--force');
    expect(await snapshot(out)).toEqual(before);
    expect(await mtimes(out)).toEqual(times);
  });

  it('are overwritten with force', async () => {
    const out = await makeTempDir();
    await generate(out, V1);
    await writeFile(path.join(out, 'events.ts'), 'hand edit');
    const plan = await generate(out, V1, { force: true });
    expect(plan.entries.find((entry) => entry.path === 'events.ts')).toMatchObject({
      action: 'update',
      detail: expect.stringContaining('--force'),
    });
    expect(await readFile(path.join(out, 'events.ts'), 'utf8')).toBe(sampleFiles(V1)[0]?.contents);
  });

  it('edited back to the generated bytes are simply unchanged', async () => {
    const out = await makeTempDir();
    await generate(out, V1);
    const original = await readFile(path.join(out, 'events.ts'), 'utf8');
    await writeFile(path.join(out, 'events.ts'), original);
    expect(actions(await generate(out, V1))['events.ts']).toBe('unchanged');
  });

  it('a file aircall-gen did not create, in the way of a generator file, is a conflict unless force', async () => {
    const out = await makeTempDir();
    await writeFile(path.join(out, 'events.ts'), 'mine');
    const files = sampleFiles(V1);
    const plan = await planWrites(out, files, { inputHash: 'x', eventHashes: V1 });
    expect(plan.entries.find((entry) => entry.path === 'events.ts')).toMatchObject({
      action: 'conflict',
      detail: 'not created by aircall-gen',
    });
    await expect(applyPlan(plan, files)).rejects.toBeInstanceOf(UserError);
    expect(await readFile(path.join(out, 'events.ts'), 'utf8')).toBe('mine');
    expect(await snapshot(out)).toEqual({ 'events.ts': 'mine' });

    const forced = await planWrites(out, files, { force: true, inputHash: 'x', eventHashes: V1 });
    expect(actions(forced)['events.ts']).toBe('update');
    await applyPlan(forced, files);
    expect(await readFile(path.join(out, 'events.ts'), 'utf8')).toBe(files[0]?.contents);
  });

  it('an unrecorded file that already holds the generated bytes is unchanged, not a conflict', async () => {
    const out = await makeTempDir();
    const files = sampleFiles(V1);
    await writeFile(path.join(out, 'events.ts'), files[0]?.contents ?? '');
    const plan = await planWrites(out, files, { inputHash: 'x', eventHashes: V1 });
    expect(actions(plan)['events.ts']).toBe('unchanged');
  });
});

describe('events leaving and joining the spec', () => {
  it('deletes generator files of a removed event, orphans and keeps its handler, creates the new event', async () => {
    const out = await makeTempDir();
    await generate(out, V1);
    await writeFile(path.join(out, 'handlers/contact-created.ts'), 'my contact handler');

    const plan = await generate(out, V2);

    expect(actions(plan)).toEqual({
      'events.ts': 'update',
      'fixtures/call-created.json': 'unchanged',
      'fixtures/call-ended.json': 'update',
      'fixtures/contact-created.json': 'delete',
      'fixtures/user-opened.json': 'create',
      'handlers/call-created.ts': 'kept',
      'handlers/call-ended.ts': 'kept',
      'handlers/contact-created.ts': 'orphaned',
      'handlers/user-opened.ts': 'create',
    });
    expect(plan.entries.find((entry) => entry.action === 'orphaned')).toMatchObject({
      event: 'contact.created',
      ownership: 'user',
    });
    expect(plan.eventChanges).toEqual({
      added: ['user.opened'],
      removed: ['contact.created'],
      changed: ['call.ended'],
      details: { 'call.ended': [] },
    });
    expect(isStale(plan)).toBe(true);

    const disk = await snapshot(out);
    expect(disk['fixtures/contact-created.json']).toBeUndefined();
    expect(disk['handlers/contact-created.ts']).toBe('my contact handler');
    expect(disk['fixtures/user-opened.json']).toBe(
      sampleFiles(V2).find((file) => file.path === 'fixtures/user-opened.json')?.contents,
    );
    const manifest = await readManifest(out);
    expect(manifest?.files['handlers/contact-created.ts']).toEqual({ owner: 'user', event: 'contact.created' });
    expect(manifest?.files['fixtures/contact-created.json']).toBeUndefined();
    expect(manifest?.events).toEqual(V2);

    // Still orphaned (and still recorded) on the next run.
    const again = await generate(out, V2);
    expect(actions(again)['handlers/contact-created.ts']).toBe('orphaned');
    expect(isStale(again)).toBe(false);
  });

  it('drops an orphan from the manifest once the user deletes it', async () => {
    const out = await makeTempDir();
    await generate(out, V1);
    await generate(out, V2);
    await rm(path.join(out, 'handlers/contact-created.ts'));

    const plan = await generate(out, V2);

    expect(plan.entries.some((entry) => entry.path === 'handlers/contact-created.ts')).toBe(false);
    expect((await readManifest(out))?.files['handlers/contact-created.ts']).toBeUndefined();
  });

  it('removes folders emptied by deletions', async () => {
    const out = await makeTempDir();
    await generate(out, { 'call.created': 'a' });
    await generate(out, {});
    expect(Object.keys(await snapshot(out))).toEqual([
      'aircall-gen.manifest.json',
      'events.ts',
      'handlers/call-created.ts',
    ]);
    await expect(readFile(path.join(out, 'fixtures'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('treats a hand-edited file of a removed event as a conflict unless force', async () => {
    const out = await makeTempDir();
    await generate(out, V1);
    await writeFile(path.join(out, 'fixtures/contact-created.json'), '{"edited":true}');
    const files = sampleFiles(V2);
    const plan = await planWrites(out, files, { inputHash: inputHashOf(V2), eventHashes: V2 });
    expect(actions(plan)['fixtures/contact-created.json']).toBe('conflict');
    await expect(applyPlan(plan, files)).rejects.toBeInstanceOf(UserError);

    const forced = await generate(out, V2, { force: true });
    expect(actions(forced)['fixtures/contact-created.json']).toBe('delete');
    expect((await snapshot(out))['fixtures/contact-created.json']).toBeUndefined();
  });

  it('reports event changes against the previous manifest', async () => {
    const out = await makeTempDir();
    await generate(out, V1);
    const files = sampleFiles(V2);
    const plan = await planWrites(out, files, { inputHash: 'x', eventHashes: V2 });
    expect(plan.eventChanges).toEqual({
      added: ['user.opened'],
      removed: ['contact.created'],
      changed: ['call.ended'],
      details: { 'call.ended': [] },
    });
  });
});
