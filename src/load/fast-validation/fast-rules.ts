import type { Parser } from '@asyncapi/parser';
import { PRECOMPILED_VERSION, type PrecompiledModule, type PrecompiledValidators } from './precompiled.js';
import { Bail } from './bail.js';
import { documentStructure } from './document-structure.js';
import { fastCustomFormatMessageExamples, fastMessageExamples, fastSchemaValidation } from './examples.js';
import { compileGiven, type Given } from './given.js';
import { payloadSchemas } from './payload-schemas.js';
import { constSchema, nonEmptyObjectSchema } from './simple-schemas.js';
import type { RuleContext, RuleFunction, RuleResult } from './types.js';

interface SpectralThen {
  function: RuleFunction;
  functionOptions?: unknown;
  field?: string;
}

interface SpectralRule {
  get then(): SpectralThen[];
  set then(then: SpectralThen[]);
  get given(): string[];
  set given(given: string | string[]);
}

/**
 * Rules kept as the parser ships them, but whose `given` paths are evaluated here (see forEachMatch):
 * their deep `.[publish,subscribe]` paths make Spectral walk every channel's resolved subtree.
 */
export const ENUMERATED_RULES = ['asyncapi2-tags-uniqueness', 'asyncapi2-message-messageId'] as const;

/** The rules whose functions this module replaces; every other rule runs as the parser ships it. */
export const FAST_RULES = [
  'asyncapi-latest-version',
  'asyncapi-servers',
  'asyncapi-document-resolved',
  'asyncapi-document-unresolved',
  'asyncapi2-schemas',
  'asyncapi2-message-examples',
  'asyncapi2-message-examples-custom-format',
  'asyncapi2-schema-examples',
  'asyncapi2-schema-default',
] as const;

export type FastRuleName = (typeof FAST_RULES)[number] | (typeof ENUMERATED_RULES)[number];

export interface FastRules {
  /** The rules replaced (all of FAST_RULES unless the parser's ruleset changed shape). */
  replaced: FastRuleName[];
  /** Rules whose `given` paths are evaluated here instead of by Spectral's traversal. */
  enumerated: FastRuleName[];
  /** Set when a fast rule gave up on the document: its diagnostics are void, parse it with the full rules. */
  readonly bailed: string | undefined;
}

/**
 * Swaps the functions of the parser's slowest rules for equivalent fast ones, in place. The rules keep
 * their names, severities and messages, and Spectral still maps every result to its line, so the
 * diagnostics do not change, only how they are computed:
 * - the AsyncAPI document and payload schemas are checked by validators precompiled at build time
 *   (AsyncAPI 2.6.0 only), memoized over the objects the resolved document shares;
 * - examples and defaults are checked against schemas compiled once per shared `$ref` target;
 * - the rules' `given` paths are evaluated directly, not by a traversal of the whole resolved document.
 * A target the parser's function answers the same in any order (a malformed one, a payload in another
 * schema format) goes to that function; anything else unusual sets `bailed`, and the caller must parse
 * the document again with a parser as shipped.
 */
export function installFastRules(parser: Parser, precompiled: PrecompiledModule): FastRules {
  const rules = (parser as unknown as { spectral: { ruleset: { rules: Record<string, SpectralRule | undefined> } } })
    .spectral.ruleset.rules;
  const state: FastRules = { replaced: [], enumerated: [], bailed: undefined };

  const bailing =
    (fn: RuleFunction): RuleFunction =>
    (target, options, context) => {
      try {
        return fn(target, options, context);
      } catch (error) {
        if (error instanceof Bail) (state as { bailed: string | undefined }).bailed ??= error.message;
        throw error;
      }
    };

  const replace = (
    name: FastRuleName,
    fast: ((original: RuleFunction) => RuleFunction) | undefined,
    options: { enumerate?: boolean } = {},
  ) => {
    const rule = rules[name];
    const then = rule?.then;
    // Only the shape the pinned parser ships; anything else keeps the parser's rule.
    if (!rule || then?.length !== 1) return;
    const original = then[0]!.function;
    let replacement = fast ? fast(original) : original;
    // A `field` applies to each match; with `given: '$'` Spectral would apply it to the root instead.
    const given = options.enumerate && then[0]!.field === undefined ? rule.given.map(compileGiven) : [];
    if (given.length > 0 && given.every((g): g is Given => g !== undefined)) {
      replacement = forEachMatch(given, replacement);
      rule.given = '$';
      state.enumerated.push(name);
    }
    replacement = bailing(replacement);
    // Spectral names the function when it throws; keep the parser's name in that message.
    Object.defineProperty(replacement, 'name', { value: original.name });
    rule.then = [{ ...then[0]!, function: replacement }];
    if (fast) state.replaced.push(name);
  };

  const scopes = new WeakMap<object, PrecompiledValidators>();
  const validatorsFor = (context: RuleContext) => {
    let validators = scopes.get(context.documentInventory);
    if (validators === undefined) {
      validators = precompiled.createValidators();
      scopes.set(context.documentInventory, validators);
    }
    return validators;
  };
  const onlyPrecompiledVersion =
    (fast: RuleFunction): RuleFunction =>
    (target, options, context) => {
      if ((context.document.data as { asyncapi?: unknown } | null)?.asyncapi !== PRECOMPILED_VERSION) {
        throw new Bail(`not an AsyncAPI ${PRECOMPILED_VERSION} document`);
      }
      return fast(target, options, context);
    };
  const validateDocument = (context: RuleContext) => validatorsFor(context).validateDocument;
  const validateSchemaObject = (context: RuleContext) => validatorsFor(context).validateSchemaObject;
  const validateJsonSchema = (context: RuleContext) => validatorsFor(context).validateJsonSchema;

  replace('asyncapi-latest-version', constSchema);
  replace('asyncapi-servers', nonEmptyObjectSchema);
  replace('asyncapi-document-resolved', () => onlyPrecompiledVersion(documentStructure(validateDocument, true)));
  replace('asyncapi-document-unresolved', () => onlyPrecompiledVersion(documentStructure(validateDocument, false)));
  replace(
    'asyncapi2-schemas',
    (original) => onlyPrecompiledVersion(payloadSchemas(validateSchemaObject, parser, original)),
    { enumerate: true },
  );
  replace('asyncapi2-message-examples', (original) => fastMessageExamples(validateJsonSchema, original), {
    enumerate: true,
  });
  replace(
    'asyncapi2-message-examples-custom-format',
    (original) => fastCustomFormatMessageExamples(validateJsonSchema, parser, original),
    {
      enumerate: true,
    },
  );
  replace('asyncapi2-schema-examples', (original) => fastSchemaValidation(validateJsonSchema, original), {
    enumerate: true,
  });
  replace('asyncapi2-schema-default', (original) => fastSchemaValidation(validateJsonSchema, original), {
    enumerate: true,
  });
  for (const name of ENUMERATED_RULES) replace(name, undefined, { enumerate: true });
  return state;
}

/**
 * A rule function for `given: '$'` that runs `perTarget` on every match of the rule's own `given` paths,
 * as Spectral would, and returns all results with the path Spectral would have given them.
 */
function forEachMatch(given: Given[], perTarget: RuleFunction): RuleFunction {
  return (root, options, context) => {
    const results: RuleResult[] = [];
    const pending: Promise<void>[] = [];
    for (const matches of given) {
      for (const { path, value } of matches(root)) {
        let output: ReturnType<RuleFunction>;
        try {
          output = perTarget(value, options, { ...context, path });
        } catch (error) {
          // Spectral would report the first exception in document order, which this loop does not follow.
          if (error instanceof Bail) throw error;
          throw new Bail(`a rule function threw: ${String(error)}`);
        }
        const collect = (found: RuleResult[] | undefined) => {
          for (const result of found ?? []) results.push({ ...result, path: result.path ?? path });
        };
        if (output instanceof Promise) pending.push(output.then(collect));
        else collect(output);
      }
    }
    return pending.length === 0 ? results : Promise.all(pending).then(() => results);
  };
}
