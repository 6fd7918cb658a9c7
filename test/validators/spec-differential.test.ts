/**
 * Differential test on real documents: the generated validators against ajv (draft-07,
 * allErrors, strict: false, ownProperties, ajv-formats fast mode) on the Aircall examples,
 * their mutations, and random junk.
 */

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ajvValidators, compare, junkJson, loadGenerated, mutations, parseEvents, random, removeTmp, typeCheck,
  type GeneratedModule, type ParsedEvent,
} from './support.js';

const EXAMPLES_DIR = '../shared/aircall/examples';
const examples = readdirSync(EXAMPLES_DIR)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => ({ event: file.slice(0, -'.json'.length), body: JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as unknown }));

function differentialSuite(label: string, file: string): void {
  const exists = existsSync(file);

  describe(`${label} (${file})`, () => {
    let events: ParsedEvent[] = [];
    let module: GeneratedModule;
    let ajv: Map<string, ValidateFunction>;
    const tally = { agreed: 0, total: 0 };

    beforeAll(async () => {
      if (!exists) return;
      events = await parseEvents(file);
      module = await loadGenerated(label, events);
      ajv = ajvValidators(events);
    }, 120_000);

    afterAll(() => {
      if (!exists) return;
      removeTmp([module]);
      console.info(`[validators] ${label}: ${tally.agreed}/${tally.total} differential cases agreed with ajv`);
    });

    const check = (event: string, body: unknown): string => {
      const validate = ajv.get(event);
      if (validate === undefined) throw new Error(`no ajv validator for ${event}`);
      const result = compare(module, validate, event, body);
      tally.total++;
      if (result.agree) tally.agreed++;
      return result.detail;
    };

    it.skipIf(!exists)('generates a module that type-checks strictly', () => {
      expect(typeCheck([module])).toEqual([]);
    }, 60_000);

    it.skipIf(!exists)('agrees with ajv on every example against every event', () => {
      const bodies = [...examples.map((example) => example.body), ...events.flatMap((event) => event.examples)];
      const failures = events.flatMap((event) => bodies.map((body) => check(event.name, body))).filter(Boolean);
      expect(failures).toEqual([]);
    });

    it.skipIf(!exists)('agrees with ajv on mutations of the examples', () => {
      const cases = [
        ...examples.filter((example) => ajv.has(example.event)),
        ...events.flatMap((event) => event.examples.map((body) => ({ event: event.name, body }))),
      ].flatMap(({ event, body }) => mutations(body).map((mutated) => ({ event, body: mutated })));
      expect(cases.length).toBeGreaterThan(300);
      const failures = cases.map(({ event, body }) => check(event, body)).filter(Boolean);
      expect(failures.slice(0, 5)).toEqual([]);
    });

    it.skipIf(!exists)('never throws on junk and agrees with ajv on it', () => {
      const next = random(20240601);
      const failures: string[] = [];
      for (let n = 0; n < 300; n++) {
        const body = JSON.parse(junkJson(next)) as unknown;
        for (const event of events) {
          const detail = check(event.name, body);
          if (detail) failures.push(detail);
        }
      }
      expect(failures.slice(0, 5)).toEqual([]);
    });

    it.skipIf(!exists)('accepts every example of its own event exactly when ajv does', () => {
      // Documents the upstream document's known defects (facts.md §5) rather than hiding them.
      const verdicts = examples
        .filter((example) => ajv.has(example.event))
        .map((example) => `${example.event}: ${module.validateEvent(example.event, example.body) === null ? 'valid' : 'invalid'}`);
      const reference = examples
        .filter((example) => ajv.has(example.event))
        .map((example) => `${example.event}: ${ajv.get(example.event)?.(example.body) ? 'valid' : 'invalid'}`);
      expect(verdicts).toEqual(reference);
    });
  });
}

differentialSuite('upstream', '../shared/aircall/upstream-asyncapi.yml');
differentialSuite('repo-spec', 'spec/aircall-webhooks.asyncapi.yaml');
