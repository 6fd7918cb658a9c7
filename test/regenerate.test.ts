import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { writeCachedFingerprint } from '../src/cache.js';
import { generate } from '../src/generate.js';
import { isUserError } from '../src/errors.js';
import { readTree, ROOT, tempDir, typecheck } from './support/project.js';
import { writeSpec, type EventSpec } from './support/spec-builder.js';

const ORDER: EventSpec = {
  name: 'order.created',
  data: { id: { type: 'integer' }, total: { type: 'number' } },
  required: ['id'],
};
const REFUND: EventSpec = {
  name: 'refund.issued',
  data: { id: { type: 'integer' }, reason: { type: ['string', 'null'] } },
  required: ['id'],
};
const PING: EventSpec = { name: 'ping.sent', data: { id: { type: 'integer' } } };

let dir: string;
let out: string;
beforeEach(async () => {
  dir = await tempDir('regen');
  out = join(dir, 'out');
});

async function run(events: EventSpec[], options: { force?: boolean; dryRun?: boolean; check?: boolean } = {}) {
  const spec = await writeSpec(dir, 'spec.json', events);
  return generate({ spec, out, ...options });
}

const actions = (result: Awaited<ReturnType<typeof run>>) =>
  Object.fromEntries(
    (result.plan?.entries ?? []).filter((e) => e.action !== 'unchanged').map((e) => [e.path, e.action]),
  );

describe('regeneration', () => {
  it('is a no-op when nothing changed, and writes nothing', async () => {
    await run([ORDER, REFUND]);
    const before = await readTree(out);
    const again = await run([ORDER, REFUND]);
    expect(again.upToDate).toBe(true);
    expect(await readTree(out)).toEqual(before);
  });

  it('regenerates after aircall-gen itself changed, leaving identical output (manifest included) byte for byte', async () => {
    await run([ORDER, REFUND]);
    const before = await readTree(out);
    await writeCachedFingerprint(out, 'fingerprint of an older aircall-gen');
    const after = await run([ORDER, REFUND]);
    expect(after.upToDate).toBe(false);
    expect(after.plan?.entries.every((entry) => entry.action === 'unchanged' || entry.action === 'kept')).toBe(true);
    expect(await readTree(out)).toEqual(before);
    expect((await run([ORDER, REFUND])).upToDate).toBe(true);
  });

  it('never touches a handler the user edited', async () => {
    await run([ORDER]);
    const mine =
      "import type { Handler } from '../events.js';\nexport const handleOrderCreated: Handler<'order.created'> = async () => {};\n";
    await writeFile(join(out, 'handlers/order-created.ts'), mine);
    const result = await run([ORDER, REFUND], { force: true });
    expect(await readFile(join(out, 'handlers/order-created.ts'), 'utf8')).toBe(mine);
    expect(actions(result)['handlers/order-created.ts']).toBe('kept');
  });

  it('refuses to overwrite a generated file edited by hand, unless --force', async () => {
    await run([ORDER]);
    const events = join(out, 'events.ts');
    const edited = `${await readFile(events, 'utf8')}\n// my tweak\n`;
    await writeFile(events, edited);
    const error = await run([ORDER, REFUND]).catch((e: unknown) => e);
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /1 generated file was changed by hand, so nothing was written:\n {2}events\.ts/,
    );
    expect(await readFile(events, 'utf8')).toBe(edited);
    expect(existsSync(join(out, 'handlers/refund-issued.ts'))).toBe(false);

    const forced = await run([ORDER, REFUND], { force: true });
    expect(forced.written).toBe(true);
    expect(await readFile(events, 'utf8')).not.toContain('my tweak');
  });

  it('adds a stub for a new message and reports it', async () => {
    await run([ORDER]);
    const result = await run([ORDER, REFUND]);
    expect(result.plan!.eventChanges).toEqual({ added: ['refund.issued'], removed: [], changed: [], details: {} });
    expect(actions(result)['handlers/refund-issued.ts']).toBe('create');
    expect(await readFile(join(out, 'registry.ts'), 'utf8')).toContain("'refund.issued': handleRefundIssued");
    expect(typecheck(out)).toEqual([]);
  });

  it('keeps the handler of a removed message as an orphan, drops it from the registry, and still compiles', async () => {
    await run([ORDER, REFUND]);
    // The user's handler reads the payload: it must keep compiling once the event left the spec.
    await writeFile(
      join(out, 'handlers/refund-issued.ts'),
      "import type { Handler } from '../events.js';\nexport const handleRefundIssued: Handler<'refund.issued'> = (event) => {\n  const reason: string | null | undefined = event.data.reason;\n  const id: number = event.data.id;\n  void [reason, id];\n};\n",
    );
    const result = await run([ORDER]);
    expect(result.plan!.eventChanges.removed).toEqual(['refund.issued']);
    expect(actions(result)['handlers/refund-issued.ts']).toBe('orphaned');
    expect(actions(result)['fixtures/refund.issued.json']).toBe('delete');
    expect(existsSync(join(out, 'handlers/refund-issued.ts'))).toBe(true);
    expect(await readFile(join(out, 'registry.ts'), 'utf8')).not.toContain('refund');
    const events = await readFile(join(out, 'events.ts'), 'utf8');
    expect(events).toContain("'refund.issued': RetiredRefundIssuedEvent;");
    expect(events).toContain(
      "export type RetiredRefundIssuedEvent = {\n  data: { id: number; reason?: string | null; [key: string]: unknown };\n  event: 'refund.issued';",
    );
    expect(typecheck(out)).toEqual([]);

    // The retired shape is remembered while the orphan stays, so the next change still keeps its type.
    await run([ORDER, PING]);
    expect(await readFile(join(out, 'events.ts'), 'utf8')).toContain('RetiredRefundIssuedEvent = {');
    expect(typecheck(out)).toEqual([]);

    // Once the user deletes the orphan, the next run forgets it.
    await rm(join(out, 'handlers/refund-issued.ts'));
    await run([ORDER, PING]);
    expect(await readFile(join(out, 'events.ts'), 'utf8')).toContain('export interface RetiredEventMap {}');
    expect(JSON.parse(await readFile(join(out, 'aircall-gen.manifest.json'), 'utf8'))).not.toHaveProperty('retired');
    expect(JSON.parse(await readFile(join(out, 'aircall-gen.manifest.json'), 'utf8')).files).not.toHaveProperty([
      'handlers/refund-issued.ts',
    ]);
  });

  it('reports a changed payload, and the compiler points at the handler code that no longer fits', async () => {
    await run([ORDER]);
    await writeFile(
      join(out, 'handlers/order-created.ts'),
      "import type { Handler } from '../events.js';\nexport const handleOrderCreated: Handler<'order.created'> = (event) => {\n  const total: number | undefined = event.data.total;\n  void total;\n};\n",
    );
    expect(typecheck(out)).toEqual([]);
    const changed: EventSpec = { ...ORDER, data: { id: { type: 'integer' }, amount: { type: 'number' } } };
    const result = await run([changed]);
    expect(result.plan!.eventChanges.changed).toEqual(['order.created']);
    expect(result.plan!.eventChanges.details).toEqual({
      'order.created': ['data.amount: added', 'data.total: removed'],
    });
    const errors = typecheck(out);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^handlers\/order-created\.ts\(3,48\): Property 'total' does not exist/);
  });

  it('recreates a handler stub the user deleted (the registry needs it)', async () => {
    await run([ORDER]);
    await rm(join(out, 'handlers/order-created.ts'));
    const result = await run([ORDER]);
    expect(result.upToDate).toBe(false);
    expect(actions(result)['handlers/order-created.ts']).toBe('create');
  });

  it('--dry-run and --check write nothing; --check tells stale from fresh', async () => {
    const dry = await run([ORDER], { dryRun: true });
    expect(dry.written).toBe(false);
    expect(existsSync(out)).toBe(false);
    expect((await run([ORDER], { check: true })).stale).toBe(true);
    await run([ORDER]);
    expect((await run([ORDER], { check: true })).stale).toBe(false);
    expect((await run([ORDER, PING], { check: true })).stale).toBe(true);
    expect(existsSync(join(out, 'handlers/ping-sent.ts'))).toBe(false);
  });
});

describe('a run killed mid-write', () => {
  const cli = join(ROOT, 'bin/aircall-gen.js');
  const runCli = (args: string[], killAfterMs?: number) =>
    new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [cli, ...args], { stdio: 'ignore' });
      if (killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      child.on('exit', (code) => resolve(code));
    });

  it('leaves the previous output or, after the next run, the new one: never a mix or a torn file', async () => {
    const specA = await writeSpec(dir, 'a.json', [ORDER, REFUND]);
    const specB = await writeSpec(dir, 'b.json', [ORDER, PING]);
    // The README names the folder it was generated into; compare trees with that name taken out.
    const treeOf = async (target: string, filter: (path: string) => boolean) => {
      const name = relative(ROOT, target).split(sep).join('/');
      const tree = await readTree(target, filter);
      return new Map([...tree].map(([path, contents]) => [path, contents.replaceAll(name, '<out>')]));
    };
    const fresh = async (spec: string, name: string) => {
      const target = join(dir, name);
      expect(await runCli(['--spec', spec, '--out', target])).toBe(0);
      return treeOf(target, (p) => !p.startsWith('.aircall-gen'));
    };
    const treeA = await fresh(specA, 'fresh-a');
    const treeB = await fresh(specB, 'fresh-b');
    // What B on top of A gives when nothing goes wrong (refund.issued's handler stays, as an orphan).
    expect(await runCli(['--spec', specB, '--out', join(dir, 'fresh-a')])).toBe(0);
    const treeAB = await treeOf(join(dir, 'fresh-a'), () => true);

    // Kill at moments spread over a real run, most of them late, where the writing happens.
    // (test/write/ kills at every step of the write itself; this checks the whole CLI.)
    const started = performance.now();
    await fresh(specA, 'timing');
    expect(await runCli(['--spec', specB, '--out', join(dir, 'timing')])).toBe(0);
    const duration = (performance.now() - started) / 2;
    for (const delay of [0.4, 0.8, 0.9, 0.95, 0.99].map((f) => Math.round(f * duration))) {
      const target = join(dir, `killed-${delay}`);
      expect(await runCli(['--spec', specA, '--out', target])).toBe(0);
      await runCli(['--spec', specB, '--out', target], delay);
      const after = await treeOf(target, (p) => !p.startsWith('.aircall-gen-tmp'));
      for (const [path, contents] of after) {
        if (path === 'aircall-gen.manifest.json') continue;
        const known = [treeA.get(path), treeB.get(path), treeAB.get(path)].filter((c) => c !== undefined);
        expect(known, `${path} after kill at ${delay} ms`).toContain(contents);
      }
      // The next run finishes (or discards) the interrupted one and ends at B exactly.
      expect(await runCli(['--spec', specB, '--out', target])).toBe(0);
      const final = await treeOf(target, (p) => p !== 'aircall-gen.manifest.json');
      const want = new Map([...treeAB].filter(([p]) => p !== 'aircall-gen.manifest.json'));
      expect(final).toEqual(want);
    }
  });
});
