/**
 * Properties named like Object.prototype's (`constructor`, `toString`): a spec whose examples leave
 * them out is valid, generates, and its validators accept the examples; bodies that have them are
 * validated like any other.
 */

import { readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/generate.js';
import { parseDocument } from '../../src/load/parse-document.js';
import { buildSpec } from '../support/spec-builder.js';
import { tempDir, typecheck } from '../support/project.js';
import { loadGenerated, removeTmp, type EventSchema, type GeneratedModule } from './support.js';

const EXAMPLE = { event: 'thing.created', token: 't', timestamp: 1, data: { id: 1 } };

/** The spec as JSON text: optional `constructor` and `toString` in `data`, and one example payload. */
function specText(example: unknown): string {
  const spec = buildSpec([
    {
      name: 'thing.created',
      data: { id: { type: 'integer' }, constructor: { type: 'string' }, toString: { type: 'string' } },
      required: ['id'],
    },
  ]) as { components: { messages: Record<string, Record<string, unknown>> } };
  const message = spec.components.messages['ThingCreated'] as Record<string, unknown>;
  message['examples'] = [{ payload: example }];
  return JSON.stringify(spec, null, 2);
}

const errorsOf = (diagnostics: readonly { severity: number; message: string }[]) =>
  diagnostics.filter((d) => d.severity === 0).map((d) => d.message);

describe('properties named constructor and toString', () => {
  let dir: string;
  let module: GeneratedModule;

  beforeAll(async () => {
    dir = await tempDir('inherited-names');
    const { document } = await parseDocument(specText(EXAMPLE), join(dir, 'spec.json'));
    const events: EventSchema[] = (document?.allMessages().all() ?? []).map((message) => ({
      name: message.name() ?? '',
      schema: message.payload()?.json() as EventSchema['schema'],
    }));
    module = await loadGenerated('inherited-names', events);
  }, 60_000);
  afterAll(() => {
    removeTmp([module]);
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([true, false])('is a valid spec when the examples omit them (fast parse: %s)', async (fast) => {
    const { document, diagnostics } = await parseDocument(specText(EXAMPLE), join(dir, 'spec.json'), { fast });
    expect(errorsOf(diagnostics)).toEqual([]);
    expect(
      document
        ?.allMessages()
        .all()
        .map((message) => message.name()),
    ).toEqual(['thing.created']);
  });

  it.each([true, false])('still reports an example whose own constructor is wrong (fast parse: %s)', async (fast) => {
    const wrong = { ...EXAMPLE, data: { id: 1, constructor: 5 } };
    const { document, diagnostics } = await parseDocument(specText(wrong), join(dir, 'spec.json'), { fast });
    expect(document).toBeUndefined();
    expect(errorsOf(diagnostics)).toEqual(expect.arrayContaining(['"constructor" property type must be string']));
    expect(errorsOf(diagnostics).join('\n')).not.toContain('toString');
  });

  it('accepts the example and validates the properties when a body has them', () => {
    expect(module.validateEvent('thing.created', EXAMPLE)).toBeNull();
    const withBoth = { ...EXAMPLE, data: { id: 1, constructor: 'c', toString: 's' } };
    expect(module.validateEvent('thing.created', withBoth)).toBeNull();
    // JSON.parse gives own properties, as a delivery would.
    const wrong = JSON.parse(
      '{"event":"thing.created","token":"t","timestamp":1,"data":{"constructor":5,"toString":{}}}',
    );
    expect(module.validateEvent('thing.created', wrong)).toEqual([
      { path: '/data', message: "must have required property 'id'" },
      { path: '/data/constructor', message: 'must be string' },
      { path: '/data/toString', message: 'must be string' },
    ]);
  });

  it('generates a project that compiles, with the example as its fixture', async () => {
    const spec = join(dir, 'spec.json');
    await writeFile(spec, specText(EXAMPLE));
    const out = join(dir, 'out');
    await generate({ spec, out });
    expect(JSON.parse(readFileSync(join(out, 'fixtures', 'thing.created.json'), 'utf8')).data).toEqual({ id: 1 });
    expect(typecheck(out)).toEqual([]);
  }, 120_000);
});
