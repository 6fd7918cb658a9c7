import { parseDocument } from 'yaml';
import type { SpecDiagnostic } from './diagnostics.js';

/**
 * YAML syntax errors where they are: the AsyncAPI parser's YAML reader is lenient (an unclosed quote
 * swallows the lines after it and surfaces much later as a schema error, or at a position past the end
 * of a line), so the text is first read by the `yaml` package, whose errors carry the cause's position.
 */
export function yamlSyntaxErrors(text: string, file: string): SpecDiagnostic[] {
  // uniqueKeys off: duplicate keys are the AsyncAPI parser's to report, with its own rule.
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: false });
  const lines = text.split('\n');
  return document.errors.map((error) => {
    const start = error.linePos?.[0] ?? { line: 1, col: 1 };
    const lineLength = (lines[start.line - 1] ?? '').replace(/\r$/, '').length;
    return {
      file,
      line: start.line,
      column: Math.min(start.col, lineLength + 1),
      severity: 'error',
      code: 'parser',
      message: (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, ''),
      path: '',
    };
  });
}
