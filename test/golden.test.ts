import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../src/generate.js';
import { FIXTURE_SPECS, listFiles, ROOT, UPSTREAM_SPEC, readTree, tempDir, typecheck } from './support/project.js';
import { skipWithoutUpstream } from './support/examples.js';

/**
 * Golden files: what the generator must produce for small specs that each exercise one hard case.
 * The runtime (copied from runtime/ as it is) and the manifest (whose cache key hashes the generator
 * itself) are left out; they have tests of their own. Refresh with
 * `npm run test:update`.
 */
const FIXTURES = ['single-message', 'shared-payload', 'nullable-enums', 'reserved-words'];
const RUNTIME = new Set(await listFiles(join(ROOT, 'runtime')));
const inGolden = (path: string) => !RUNTIME.has(path) && path !== 'aircall-gen.manifest.json';

/**
 * Generates twice from scratch into the same fixed folder (the README names the folder and spec it was
 * made from, so a random folder name would show up in the golden files) and returns both trees.
 */
async function generateTwice(spec: string, name: string) {
  const first = join(ROOT, 'test/.tmp/golden', name);
  await rm(first, { recursive: true, force: true });
  await generate({ spec, out: first });
  const firstTree = await readTree(first);
  await rm(first, { recursive: true, force: true });
  await generate({ spec, out: first });
  return { first, firstTree, secondTree: await readTree(first) };
}

describe.each(FIXTURES)('fixture spec %s', (name) => {
  it('matches its golden files, compiles under --strict, and regenerates byte for byte', async () => {
    const { first, firstTree, secondTree } = await generateTwice(join(FIXTURE_SPECS, `${name}.yaml`), name);
    const produced = new Map([...firstTree].filter(([path]) => inGolden(path)));
    const goldenDir = join(ROOT, 'test/golden', name);

    if (process.env['UPDATE_GOLDEN']) {
      await rm(goldenDir, { recursive: true, force: true });
      for (const [path, contents] of produced) {
        await mkdir(dirname(join(goldenDir, path)), { recursive: true });
        await writeFile(join(goldenDir, path), contents);
      }
    }
    const golden = await readTree(goldenDir);
    expect([...produced.keys()]).toEqual([...golden.keys()]);
    for (const [path, contents] of produced) expect(contents, path).toBe(golden.get(path));

    expect(secondTree).toEqual(firstTree);
    expect(typecheck(first)).toEqual([]);
  });
});

describe.skipIf(skipWithoutUpstream('golden: the upstream Aircall document'))(
  'the upstream Aircall document, as published',
  () => {
    it('generates one typed event per message although 19 share a payload, and compiles', async () => {
      const { first, firstTree: tree, secondTree } = await generateTwice(UPSTREAM_SPEC, 'upstream');
      expect(secondTree).toEqual(tree);
      const events = tree.get('events.ts')!;
      // The literal comes from the message name even though CallEvent's `event` is a free string.
      expect(events).toContain(
        "export interface CallCreatedEvent extends Omit<Models.CallEvent, 'event'> {\n  event: 'call.created';",
      );
      expect(events).toContain(
        "export interface CallHungupEvent extends Omit<Models.CallEvent, 'event'> {\n  event: 'call.hungup';",
      );
      expect([...tree.keys()].filter((p) => p.startsWith('handlers/'))).toHaveLength(69);
      expect(tree.get('models.ts')).not.toMatch(/AnonymousSchema|ReservedNumber|additionalProperties|'null'/);
      expect(typecheck(first)).toEqual([]);
    });
  },
);

describe('the bundled spec', () => {
  it('compiles with a user handler that narrows on event-specific fields', async () => {
    const out = await tempDir('bundled-typed');
    await cp(join(ROOT, 'generated'), out, { recursive: true });
    // Replace one stub with handler code a user would write, and one that must not compile.
    await writeFile(
      join(out, 'handlers/call-ended.ts'),
      `import type { Handler } from '../events.js';
export const handleCallEnded: Handler<'call.ended'> = (event) => {
  const id: number = event.data.id;
  const reason: string | null | undefined = event.data.missed_call_reason;
  void id; void reason;
};
`,
    );
    expect(typecheck(out)).toEqual([]);
    await writeFile(
      join(out, 'handlers/contact-created.ts'),
      `import type { Handler } from '../events.js';
export const handleContactCreated: Handler<'contact.created'> = (event) => {
  const wrong: string = event.data.id;
  void wrong;
};
`,
    );
    const errors = typecheck(out);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^handlers\/contact-created\.ts\(3,9\): Type 'number' is not assignable to type 'string'/,
    );
  });
});
