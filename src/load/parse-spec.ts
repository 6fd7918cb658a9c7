import { resolve } from 'node:path';
import type { AsyncAPIDocumentInterface } from '@asyncapi/parser';
import { UserError } from '../errors.js';
import { formatDiagnostic, toSpecDiagnostics, type SpecDiagnostic } from './diagnostics.js';
import { createRefGuard, type SpecReadPolicy } from './ref-guard.js';
import { refusedRefsError } from './ref-refusals.js';
import { assertAliasesBounded } from './spec-limits.js';

export interface ParsedSpec {
  path: string;
  text: string;
  document: AsyncAPIDocumentInterface;
  /** Warnings and hints that did not stop parsing. */
  diagnostics: SpecDiagnostic[];
}

export interface ValidationReport {
  path: string;
  diagnostics: SpecDiagnostic[];
  document: AsyncAPIDocumentInterface | undefined;
}

/**
 * Parses and validates an AsyncAPI document with @asyncapi/parser (schema + Spectral rules), its
 * slowest rules replaced by fast equivalents (see ./fast-rules.ts): same findings, same locations.
 * `$ref`s are read only as `refs` allows (./ref-guard.ts); YAML aliases are bounded before parsing.
 * The parser is imported lazily: it costs ~0.6 s to load, and a no-op regeneration never needs it.
 */
export async function validateSpec(path: string, text: string, refs: SpecReadPolicy = {}): Promise<ValidationReport> {
  assertAliasesBounded(text, path);
  const { parseDocument } = await import('./parse-document.js');
  const absolute = resolve(path);
  const guard = createRefGuard(absolute, refs);
  const { document, diagnostics } = await parseDocument(text, absolute, { resolvers: guard.resolvers });
  if (guard.refusals.length > 0) throw refusedRefsError(guard.refusals, path, text);
  return { path, document, diagnostics: toSpecDiagnostics(diagnostics, absolute) };
}

/** Like validateSpec, but any error-severity diagnostic becomes a UserError listing every error. */
export async function parseSpec(path: string, text: string, refs: SpecReadPolicy = {}): Promise<ParsedSpec> {
  const report = await validateSpec(path, text, refs);
  const all = report.diagnostics.filter((d) => d.severity === 'error');
  // A syntax error makes every schema finding after it noise: show the syntax errors alone.
  const syntax = all.filter((d) => d.code === 'parser');
  const errors = syntax.length > 0 ? syntax : all;
  if (errors.length > 0 || report.document === undefined) {
    const first = errors[0];
    throw new UserError(
      `${syntax.length > 0 ? 'The spec cannot be read: it is not valid YAML or JSON' : 'The spec is not a valid AsyncAPI document'} (${errors.length} error${errors.length === 1 ? '' : 's'}):\n` +
        errors.map((d) => `  ${formatDiagnostic(d)}`).join('\n'),
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
  };
}
