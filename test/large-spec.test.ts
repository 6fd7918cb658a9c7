/**
 * A spec with thousands of messages must give code tsc can check. Aircall has about 70 events; a document
 * with 2,000 once failed with TS2590 ("union type that is too complex") in the receiver. This renders
 * the real templates and runtime for N synthetic events (models and validators are stand-ins: the
 * receiver's types are what grows with N) and type-checks the result with the generated project's options.
 * N is 2,500 here; `LARGE_SPEC_EVENTS=5000 npx vitest run test/large-spec.test.ts` checks 5,000.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import type { EventModel, SpecModel } from '../src/model/types.js';
import { describeInvocation } from '../src/model/invocation.js';
import { renderFiles } from '../src/render/render-files.js';
import { ROOT, tempDir, typecheck } from './support/project.js';

const EVENTS = Number(process.env['LARGE_SPEC_EVENTS'] ?? 2_500);

/** Event `i`: every other one has its `event` pinned in the model, as the bundled spec does. */
function syntheticEvent(i: number): EventModel {
  const name = `thing${i}.created`;
  const pascal = `Thing${i}Created`;
  return {
    name,
    messageId: pascal,
    title: pascal,
    summary: `${name} happened.`,
    description: '',
    pascalName: pascal,
    typeName: `${pascal}Event`,
    handlerName: `handle${pascal}`,
    handlerFile: `handlers/thing${i}-created.ts`,
    fixtureFile: `fixtures/${name}.json`,
    payloadModel: `${pascal}Webhook`,
    eventIsLiteral: i % 2 === 0,
    schema: {},
    fixture: { event: name, token: 'EXAMPLE_TOKEN', timestamp: 1, data: { id: 1 } },
    schemaHash: '0',
  };
}

function syntheticModels(events: EventModel[]): string {
  return events
    .map(
      (e) =>
        `export interface ${e.payloadModel} {\n  event: ${e.eventIsLiteral ? `'${e.name}'` : 'string'};\n  token: string;\n  timestamp: number;\n  data: { id: number };\n}\n`,
    )
    .join('\n');
}

it(`the generated project type-checks with ${EVENTS} events`, async () => {
  const events = Array.from({ length: EVENTS }, (_, i) => syntheticEvent(i)).sort((a, b) => (a.name < b.name ? -1 : 1));
  const spec: SpecModel = {
    title: 'Large',
    version: '1',
    channelPath: '/hooks',
    operationId: 'op',
    events,
    payloads: [],
    shapes: {},
  };
  const validators = await readFile(join(ROOT, 'runtime-stand-ins', 'validators.ts'), 'utf8');
  const invocation = describeInvocation('/project', '/project/generated', undefined);
  const files = await renderFiles({ spec, models: syntheticModels(events), validators, retired: [], invocation });
  const dir = await tempDir('large');
  for (const file of files) {
    await mkdir(dirname(join(dir, file.path)), { recursive: true });
    await writeFile(join(dir, file.path), file.contents);
  }
  expect(files.filter((f) => f.path.startsWith('handlers/'))).toHaveLength(EVENTS);
  expect(typecheck(dir).slice(0, 5)).toEqual([]);
}, 600_000);
