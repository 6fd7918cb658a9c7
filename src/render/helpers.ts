import { commentText, plainText, stringLiteral } from '../model/names.js';

/**
 * Handlebars helpers. Templates are compiled with `noEscape`, so every value from the spec
 * must pass through one of these on its way into code: `str` for string literals, `doc` for
 * comment text. Identifiers were validated when the model was built.
 */
export const helpers = {
  /** A TypeScript string literal, safely escaped (line separators included). */
  str(value: unknown): string {
    return stringLiteral(String(value));
  },
  /** Text for inside a block comment: no terminator, one line. */
  doc(value: unknown): string {
    return commentText(String(value ?? '')).replace(/\s*\n\s*/g, ' ');
  },
  /** Text for inside a block comment, keeping paragraphs; each line prefixed for a JSDoc block. */
  docBlock(value: unknown): string {
    return commentText(String(value ?? ''))
      .split('\n')
      .map((line) => ` * ${line.trimEnd()}`.trimEnd())
      .join('\n');
  },
  /** Pretty JSON, for fixtures and manifests. */
  json(value: unknown): string {
    return JSON.stringify(value, null, 2);
  },
  /** Markdown table cell: no pipes, newlines or control characters. */
  cell(value: unknown): string {
    return plainText(String(value ?? ''))
      .replace(/\|/g, '\\|')
      .replace(/\s*\n\s*/g, ' ')
      .trim();
  },
};
