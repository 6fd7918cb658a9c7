import { relative } from 'node:path';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** One finding about the spec, with a 1-based position in the file. */
export interface SpecDiagnostic {
  file: string;
  line: number;
  column: number;
  severity: Severity;
  code: string;
  message: string;
  /** JSON path inside the document, e.g. `channels./aircall/webhook.publish`. */
  path: string;
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

interface RawDiagnostic {
  severity: number;
  code?: string | number;
  message: string;
  path?: readonly (string | number)[];
  range?: { start: { line: number; character: number } };
}

/** Converts the parser's diagnostics (0-based ranges, numeric severities) into ours, sorted by position. */
export function toSpecDiagnostics(raw: readonly RawDiagnostic[], file: string): SpecDiagnostic[] {
  return raw
    .map((d) => ({
      file,
      line: (d.range?.start.line ?? 0) + 1,
      column: (d.range?.start.character ?? 0) + 1,
      severity: SEVERITIES[d.severity] ?? 'hint',
      code: String(d.code ?? 'unknown'),
      message: d.message,
      path: (d.path ?? []).join('.'),
    }))
    .sort((a, b) => a.line - b.line || a.column - b.column || a.code.localeCompare(b.code, 'en'));
}

/** `file:line:col severity code message`, the shape editors and CI annotations understand. */
export function formatDiagnostic(d: SpecDiagnostic, cwd = process.cwd()): string {
  const file = relative(cwd, d.file) || d.file;
  return `${file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`;
}
