import { resolve } from 'node:path';
import type { AsyncAPIDocumentInterface } from '@asyncapi/parser';
import { UserError } from '../errors.js';
import { formatDiagnostic, toSpecDiagnostics, type SpecDiagnostic } from './diagnostics.js';
import { yamlSyntaxErrors } from './yaml-syntax.js';
import { errorCountText, followOnLine, rootCauses } from './root-causes.js';
import { createRefGuard, type RefInputs, type SpecReadPolicy } from './ref-guard.js';
import { refusedRefsError } from './ref-refusals.js';
import { assertAliasesBounded } from './spec-limits.js';

export interface ParsedSpec {
  path: string;
  text: string;
  document: AsyncAPIDocumentInterface;
  /** Warnings and hints that did not stop parsing. */
  diagnostics: SpecDiagnostic[];
  /** The files (and whether any URL) the spec's `$ref`s read. */
  refInputs: RefInputs;
}

export interface ValidationReport {
  path: string;
  diagnostics: SpecDiagnostic[];
  document: AsyncAPIDocumentInterface | undefined;
  refInputs: RefInputs;
}

/**
 * Parses and validates an AsyncAPI document with @asyncapi/parser (schema + Spectral rules), its
 * slowest rules replaced by fast equivalents (see ./fast-validation/): same findings, same locations.
 * `$ref`s are read only as `refs` allows (./ref-guard.ts); YAML aliases are bounded before parsing.
 * The parser is imported lazily: it costs ~0.6 s to load, and a no-op regeneration never needs it.
 */
export async function validateSpec(path: string, text: string, refs: SpecReadPolicy = {}): Promise<ValidationReport> {
  assertAliasesBounded(text, path);
  const absolute = resolve(path);
  const syntax = yamlSyntaxErrors(text, absolute);
  if (syntax.length > 0) {
    return {
      path,
      document: undefined,
      diagnostics: syntax,
      refInputs: { files: new Map(), texts: new Map(), remote: false },
    };
  }
  const { parseDocument } = await import('./parse-document.js');
  const guard = createRefGuard(absolute, refs);
  const { document, diagnostics } = await parseDocument(text, absolute, { resolvers: guard.resolvers });
  if (guard.refusals.length > 0) throw refusedRefsError(guard.refusals, path, text, guard.inputs.texts);
  return { path, document, diagnostics: toSpecDiagnostics(diagnostics, absolute), refInputs: guard.inputs };
}

/** Like validateSpec, but any error-severity diagnostic becomes a UserError listing every error. */
export async function parseSpec(path: string, text: string, refs: SpecReadPolicy = {}): Promise<ParsedSpec> {
  const report = await validateSpec(path, text, refs);
  const all = report.diagnostics.filter((d) => d.severity === 'error');
  // A syntax error makes every schema finding after it noise: show the syntax errors alone.
  const syntax = all.filter((d) => d.code === 'parser');
  const causes = rootCauses(syntax.length > 0 ? syntax : all);
  if (causes.shown.length > 0 || report.document === undefined) {
    const first = causes.shown[0];
    const more = followOnLine(causes);
    throw new UserError(
      `${syntax.length > 0 ? 'The spec cannot be read: it is not valid YAML or JSON' : 'The spec is not a valid AsyncAPI document'} (${errorCountText(causes)}):\n` +
        causes.shown.map((d) => `  ${formatDiagnostic(d)}`).join('\n') +
        (more === undefined ? '' : `\n  ${more}`),
      {
        ...(first ? { location: `${path}:${first.line}:${first.column}` } : { location: path }),
        hint: 'Fix the lines above; `aircall-gen validate --spec <file>` re-checks without generating.',
      },
    );
  }
  return {
    path,
    text,
    document: report.document,
    diagnostics: report.diagnostics.filter((d) => d.severity !== 'error'),
    refInputs: report.refInputs,
  };
}
