import type { AsyncAPIDocumentInterface, Diagnostic, Parser } from '@asyncapi/parser';
import { PRECOMPILED_VERSION } from './fast-validation/precompiled.js';

type ParserOptions = NonNullable<ConstructorParameters<typeof Parser>[0]>;

/** Custom `$ref` readers (see ./ref-guard.ts), tried before the parser's own. */
export type ResolverList = NonNullable<NonNullable<NonNullable<ParserOptions['__unstable']>['resolver']>['resolvers']>;

export interface ParserOutput {
  document: AsyncAPIDocumentInterface | undefined;
  diagnostics: Diagnostic[];
}

/** A cheap look at the `asyncapi:` line, to pick the fast path before parsing anything. */
export function declaresVersion(text: string, version: string): boolean {
  const escaped = version.replace(/\./g, '\\.');
  return (
    new RegExp(`^asyncapi\\s*:\\s*(['"]?)${escaped}\\1\\s*(#.*)?$`, 'm').test(text) ||
    new RegExp(`"asyncapi"\\s*:\\s*"${escaped}"`).test(text)
  );
}

/**
 * Parses with @asyncapi/parser and its default rulesets. An AsyncAPI 2.6.0 document is parsed with the
 * slowest rules swapped for equivalent fast ones (./fast-validation/), when `npm run build` has produced
 * their validators; any other document, or one the fast rules bail out on, is parsed by the parser
 * exactly as shipped. `fast: false` always does the latter (the tests compare the two).
 * Everything is imported lazily: the parser alone costs ~0.6 s to load.
 */
export async function parseDocument(
  text: string,
  source: string,
  options: { fast?: boolean; resolvers?: ResolverList } = {},
): Promise<ParserOutput> {
  // Resolvers go to the constructor: given to parse(), they would make the parser build a new
  // Spectral instance with the shipped rules, undoing installFastRules.
  const parserOptions: ParserOptions = options.resolvers
    ? { __unstable: { resolver: { resolvers: options.resolvers } } }
    : {};
  const fast = (options.fast ?? true) && declaresVersion(text, PRECOMPILED_VERSION);
  const [{ Parser }, fastRules, precompiled] = await Promise.all([
    import('@asyncapi/parser'),
    fast ? import('./fast-validation/fast-rules.js') : undefined,
    fast ? import('./fast-validation/precompiled.js').then((m) => m.loadPrecompiledValidators()) : undefined,
  ]);
  if (fastRules && precompiled) {
    const parser = new Parser(parserOptions);
    const installed = fastRules.installFastRules(parser, precompiled);
    const output = await parseWithoutFalseAlarms(parser, text, source);
    if (installed.bailed === undefined) return output;
  }
  return parseWithoutFalseAlarms(new Parser(parserOptions), text, source);
}

/**
 * The parser's output without its false alarms about examples (see ./inherited-names.ts). When
 * those were the only errors, the document is parsed again with errors allowed, to get the
 * document the parser would otherwise have built.
 */
async function parseWithoutFalseAlarms(parser: Parser, text: string, source: string): Promise<ParserOutput> {
  const { document, diagnostics } = await parser.parse(text, { source });
  if (document !== undefined || !diagnostics.some((d) => d.severity === 0 && String(d.code).includes('examples')))
    return { document, diagnostics };
  const { isInheritedNameFalseAlarm, readData } = await import('./inherited-names.js');
  const data = readData(text);
  const kept = diagnostics.filter((d) => !isInheritedNameFalseAlarm(d, data));
  if (kept.length === diagnostics.length || kept.some((d) => d.severity === 0)) return { document, diagnostics: kept };
  const again = await parser.parse(text, { source, validateOptions: { allowedSeverity: { error: true } } });
  return {
    document: again.document,
    diagnostics: again.diagnostics.filter((d) => !isInheritedNameFalseAlarm(d, data)),
  };
}
