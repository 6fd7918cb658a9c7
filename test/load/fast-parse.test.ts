// The fast path (src/load/fast-rules.ts) must find what the parser's default rules find: for every
// document of the corpus, the same diagnostics (severity, rule, line:column, message) and the same
// verdict. Each case runs the full parser too, which is what makes this file take seconds.
import { readFileSync } from 'node:fs';
import { Parser } from '@asyncapi/parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { toSpecDiagnostics, type SpecDiagnostic } from '../../src/load/diagnostics.js';
import { ENUMERATED_RULES, FAST_RULES, installFastRules } from '../../src/load/fast-rules.js';
import { declaresVersion, parseDocument } from '../../src/load/parse-document.js';
import { PRECOMPILED_VERSION, type PrecompiledModule } from '../../src/load/precompiled.js';
import { precompiledValidators } from './precompiled-helper.js';
import {
  BASE,
  BUNDLED_CASES,
  COVERAGE_CASE,
  GIVEN_COVERAGE,
  SMALL_CASES,
  SPEC_PATH,
  UPSTREAM_PATH,
  type Case,
} from './corpus.js';
import { compileGiven } from '../../src/load/rules/given.js';
import { skipWithoutUpstream } from '../support/examples.js';

const SOURCE = '/corpus/spec.yaml';
let precompiled: PrecompiledModule;

beforeAll(async () => {
  precompiled = await precompiledValidators();
});

interface Outcome {
  accepted: boolean;
  diagnostics: SpecDiagnostic[];
  /** How parseDocument's fast path ended for the document. */
  path: 'fast' | 'bail' | 'full';
  /** The fast rules that handed at least one target to the parser's own function. */
  fellBack: string[];
}

type RuleFunction = (...args: unknown[]) => unknown;
interface SpectralRules {
  spectral: { ruleset: { rules: Record<string, { then: { function: RuleFunction }[] }> } };
}

async function fullOutcome(text: string, source = SOURCE): Promise<Outcome> {
  const { document, diagnostics } = await parseDocument(text, source, { fast: false });
  return {
    accepted: document !== undefined,
    diagnostics: toSpecDiagnostics(diagnostics, source),
    path: 'full',
    fellBack: [],
  };
}

/** parseDocument's fast path, with the parser's functions wrapped to see when a fast rule hands them a target. */
async function fastOutcome(text: string, source = SOURCE): Promise<Outcome> {
  if (!declaresVersion(text, PRECOMPILED_VERSION)) return fullOutcome(text, source);
  const parser = new Parser();
  const fellBack = new Set<string>();
  const { rules } = (parser as unknown as SpectralRules).spectral.ruleset;
  for (const name of FAST_RULES) {
    rules[name]!.then = rules[name]!.then.map((then) => ({
      ...then,
      function: (...args: unknown[]) => {
        fellBack.add(name);
        return then.function(...args);
      },
    }));
  }
  const installed = installFastRules(parser, precompiled);
  const { document, diagnostics } = await parser.parse(text, { source });
  if (installed.bailed !== undefined)
    return { ...(await fullOutcome(text, source)), path: 'bail', fellBack: [...fellBack].sort() };
  return {
    accepted: document !== undefined,
    diagnostics: toSpecDiagnostics(diagnostics, source),
    path: 'fast',
    fellBack: [...fellBack].sort(),
  };
}

const errors = (o: Outcome) => o.diagnostics.filter((d) => d.severity === 'error');
const show = (d: SpecDiagnostic) => `${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`;

async function expectSameOutcome(
  testCase: Pick<Case, 'text' | 'rejected' | 'fallsBack' | 'path'>,
  source = SOURCE,
): Promise<void> {
  const [full, fast] = await Promise.all([fullOutcome(testCase.text, source), fastOutcome(testCase.text, source)]);
  expect(errors(full).length > 0, 'the full parser rejects the case as the corpus says').toBe(testCase.rejected);
  expect(fast.path, 'how the fast path ended').toBe(testCase.path ?? 'fast');
  expect(fast.fellBack, 'the rules that handed targets to the parser').toEqual([...(testCase.fallsBack ?? [])].sort());
  expect(fast.accepted).toBe(full.accepted);
  expect(errors(fast).length > 0).toBe(errors(full).length > 0);
  // The first error, where a user looks first: same line (and column).
  expect(errors(fast)[0] && show(errors(fast)[0]!)).toBe(errors(full)[0] && show(errors(full)[0]!));
  // And in fact everything: errors, warnings and infos, with their messages.
  expect(fast.diagnostics.map(show)).toEqual(full.diagnostics.map(show));
}

describe('fast rules', () => {
  it('replace every rule they are meant to (a parser upgrade that changes a rule shows here)', async () => {
    const installed = installFastRules(new Parser(), precompiled);
    expect([...installed.replaced].sort()).toEqual([...FAST_RULES].sort());
    expect([...installed.enumerated].sort()).toEqual(
      [
        'asyncapi2-message-examples',
        'asyncapi2-message-examples-custom-format',
        'asyncapi2-schema-default',
        'asyncapi2-schema-examples',
        'asyncapi2-schemas',
        ...ENUMERATED_RULES,
      ].sort(),
    );
  });
});

describe('fast path agrees with the full parser on small documents', () => {
  it.each([...SMALL_CASES, COVERAGE_CASE].map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
    await expectSameOutcome(testCase);
  });
});

describe('fast path agrees with the full parser on real documents', () => {
  it.each(BUNDLED_CASES.map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
    await expectSameOutcome(testCase, SPEC_PATH);
  });

  it.skipIf(skipWithoutUpstream('fast-parse: upstream Aircall document'))('upstream Aircall document', async () => {
    await expectSameOutcome({ text: readFileSync(UPSTREAM_PATH, 'utf8'), rejected: false }, UPSTREAM_PATH);
  });
});

describe('given paths evaluated without Spectral', () => {
  /** The targets Spectral hands each rule (rule + path), next to those compileGiven finds for the same paths. */
  async function targets(text: string, source: string): Promise<{ spectral: string[]; ours: string[] }> {
    const parser = new Parser();
    const { rules } = (
      parser as unknown as {
        spectral: { ruleset: { rules: Record<string, { given: string[]; then: { function: RuleFunction }[] }> } };
      }
    ).spectral.ruleset;
    const enumerated = installFastRules(new Parser(), precompiled).enumerated;
    const spectral: string[] = [];
    let resolved: unknown;
    for (const name of [...enumerated, 'asyncapi-document-resolved']) {
      rules[name]!.then = rules[name]!.then.map((then) => ({
        ...then,
        function: (...args: unknown[]) => {
          const context = args[2] as { path: unknown[]; documentInventory: { resolved: unknown } };
          resolved = context.documentInventory.resolved;
          if (name !== 'asyncapi-document-resolved') spectral.push(`${name} ${JSON.stringify(context.path)}`);
          return [];
        },
      }));
    }
    await parser.parse(text, { source });
    const ours = enumerated.flatMap((name) =>
      rules[name]!.given.flatMap((given) =>
        compileGiven(given)!(resolved).map((match) => `${name} ${JSON.stringify(match.path)}`),
      ),
    );
    return { spectral: spectral.sort(), ours: ours.sort() };
  }

  it.each([
    ['a document with every kind of target', GIVEN_COVERAGE],
    ['the base document', BASE],
  ])('match what Spectral matches: %s', async (_name, text) => {
    const { spectral, ours } = await targets(text, SOURCE);
    expect(spectral.length).toBeGreaterThan(10);
    expect(ours).toEqual(spectral);
  });

  it('match what Spectral matches: the bundled spec', async () => {
    const { spectral, ours } = await targets(readFileSync(SPEC_PATH, 'utf8'), SPEC_PATH);
    expect(spectral.length).toBeGreaterThan(69 * 2);
    expect(ours).toEqual(spectral);
  });
});
