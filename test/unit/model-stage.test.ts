// The model stage hands later stages what they render from (SpecModel), and leaves the parsed
// document as the parser produced it: no stage may depend on another having changed it in place.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../src/load/parse-spec.js';
import { buildEvents } from '../../src/model/build-events.js';
import { stableJson } from '../../src/model/hash.js';
import { renderModels } from '../../src/render/models.js';
import { FIXTURE_SPECS } from '../support/project.js';

const SPEC = join(FIXTURE_SPECS, 'shared-payload.yaml');

describe('buildEvents', () => {
  it('names its own copy of the payload schemas and returns each shared one once; the document is untouched', async () => {
    const parsed = await parseSpec(SPEC, await readFile(SPEC, 'utf8'));
    const payloadsInDocument = () =>
      parsed.document
        .allMessages()
        .all()
        .map((message) => stableJson(message.payload()?.json()));
    const before = payloadsInDocument();

    const spec = buildEvents(parsed);

    expect(payloadsInDocument()).toEqual(before);
    // call.created and call.ended share CallEvent: one payload, one object, named.
    expect(spec.payloads.map((p) => p['x-parser-schema-id'])).toEqual(['CallEvent', 'ContactCreatedPayload']);
    const byName = Object.fromEntries(spec.events.map((e) => [e.name, e.schema]));
    expect(byName['call.created']).toBe(byName['call.ended']);
    expect(spec.payloads).toContain(byName['contact.created']);
  });

  it('gives renderModels all it needs: models.ts comes from the returned payloads alone', async () => {
    const parsed = await parseSpec(SPEC, await readFile(SPEC, 'utf8'));
    const models = await renderModels(buildEvents(parsed).payloads);
    expect(models).toMatch(/^export interface CallEvent \{/m);
    expect(models).toMatch(/^export interface ContactCreatedPayload \{/m);
  });
});
