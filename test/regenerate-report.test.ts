import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { summaryText } from '../src/cli/report.js';
import { generate } from '../src/generate.js';
import { BUNDLED_SPEC, tempDir } from './support/project.js';

// Regeneration reports on the bundled spec: each edit must name exactly the events it touches,
// with the field changes inside them, and nothing else (not events whose schemas were untouched).

// biome-ignore lint/suspicious/noExplicitAny: edits walk the parsed YAML of a known document
type Doc = Record<string, any>;
type Edit = (doc: Doc) => void;

let base: string;
let firstOut: string;
let callEvents: string[];

const messageKey = (doc: Doc, name: string): string =>
  Object.keys(doc.components.messages).find((key) => doc.components.messages[key].name === name)!;

const removeMessage = (doc: Doc, name: string): void => {
  const key = messageKey(doc, name);
  const list = doc.channels['/aircall/webhook'].publish.message.oneOf as { $ref: string }[];
  doc.channels['/aircall/webhook'].publish.message.oneOf = list.filter(
    (ref) => ref.$ref !== `#/components/messages/${key}`,
  );
  delete doc.components.messages[key];
};

const callSchema = (doc: Doc) => doc.components.schemas.Call;

const CASES: [string, Edit, { added: string[]; removed: string[]; changed: () => string[]; details: string[] }][] = [
  [
    'add a message',
    (doc) => {
      const schema = structuredClone(doc.components.schemas.CallCreatedWebhook);
      schema.title = 'CallTestedWebhook';
      schema.properties.event.const = 'call.tested';
      doc.components.schemas.CallTestedWebhook = schema;
      doc.components.messages.callTested = {
        name: 'call.tested',
        title: 'Call tested',
        payload: { $ref: '#/components/schemas/CallTestedWebhook' },
      };
      doc.channels['/aircall/webhook'].publish.message.oneOf.push({ $ref: '#/components/messages/callTested' });
    },
    { added: ['call.tested'], removed: [], changed: () => [], details: [] },
  ],
  [
    'remove a message',
    (doc) => removeMessage(doc, 'call.created'),
    { added: [], removed: ['call.created'], changed: () => [], details: [] },
  ],
  [
    'rename a message',
    (doc) => {
      doc.components.messages[messageKey(doc, 'call.created')].name = 'call.started';
      doc.components.schemas.CallCreatedWebhook.properties.event.const = 'call.started';
      delete doc.components.messages[messageKey(doc, 'call.started')].examples;
    },
    { added: ['call.started'], removed: ['call.created'], changed: () => [], details: [] },
  ],
  [
    'add an optional field to the shared Call schema',
    (doc) => {
      callSchema(doc).properties.call_tested = { type: ['string', 'null'] };
    },
    { added: [], removed: [], changed: () => callEvents, details: ['data.call_tested: added'] },
  ],
  [
    'remove a field from the shared Call schema',
    (doc) => {
      delete callSchema(doc).properties.direct_link;
    },
    { added: [], removed: [], changed: () => callEvents, details: ['data.direct_link: removed'] },
  ],
  [
    'retype a field and add an enum value in the shared Call schema',
    (doc) => {
      callSchema(doc).properties.duration.type = ['number', 'null'];
      callSchema(doc).properties.direction.enum.push('internal');
      callSchema(doc).required.push('direction');
    },
    {
      added: [],
      removed: [],
      changed: () => callEvents,
      details: [
        'data.direction: enum value added "internal"',
        'data.direction: now required',
        'data.duration: integer | null -> number | null',
      ],
    },
  ],
  [
    'edit only descriptions and reorder keys',
    (doc) => {
      callSchema(doc).description = 'Reworded.';
      const { id, ...rest } = callSchema(doc).properties;
      callSchema(doc).properties = { ...rest, id };
    },
    { added: [], removed: [], changed: () => [], details: [] },
  ],
];

beforeAll(async () => {
  base = await tempDir('report');
  firstOut = join(base, 'first');
  const result = await generate({ spec: BUNDLED_SPEC, out: firstOut });
  expect(result.written).toBe(true);
  const manifest = JSON.parse(await readFile(join(firstOut, 'aircall-gen.manifest.json'), 'utf8'));
  // Every call.* event carries a whole Call as `data` (the spec's `call` tag says so: 19 events).
  callEvents = Object.keys(manifest.events).filter((name) => name.startsWith('call.'));
  expect(callEvents).toHaveLength(19);
}, 120_000);

describe('the regeneration report on the bundled spec', () => {
  it.each(CASES)(
    '%s',
    async (_name, edit, want) => {
      const dir = await tempDir('report-case');
      const out = join(dir, 'out');
      await cp(firstOut, out, { recursive: true });
      const doc = YAML.parse(await readFile(BUNDLED_SPEC, 'utf8')) as Doc;
      edit(doc);
      const spec = join(dir, 'spec.yaml');
      await writeFile(spec, YAML.stringify(doc));

      const result = await generate({ spec, out, dryRun: true });
      const changes = result.plan!.eventChanges;
      expect({ added: changes.added, removed: changes.removed, changed: changes.changed }).toEqual({
        added: want.added,
        removed: want.removed,
        changed: want.changed(),
      });
      for (const event of changes.changed) expect(changes.details[event], event).toEqual(want.details);
      if (want.details.length > 0) {
        const text = summaryText(result, 0, 'dry-run');
        expect(text).toContain(`~ 19 events (call.agent_declined, call.answered, call.archived, ...)`);
        for (const line of want.details) expect(text).toContain(line);
      }
    },
    120_000,
  );
});
