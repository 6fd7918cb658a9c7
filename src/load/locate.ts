import { LineCounter, parseDocument, isNode } from 'yaml';

/**
 * Finds the line and column of a JSON pointer (e.g. `/components/messages/x`) in the
 * spec's source text, for error messages about documents the parser accepted.
 * Returns undefined when the pointer does not resolve (then callers fall back to the pointer).
 */
export function locatePointer(text: string, pointer: string): { line: number; column: number } | undefined {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, keepSourceTokens: false });
  const path = pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
  const node = document.getIn(path, true);
  if (!isNode(node) || !node.range) return undefined;
  const { line, col } = lineCounter.linePos(node.range[0]);
  return { line, column: col };
}
