import { LineCounter, parseDocument, visit } from 'yaml';
import { UserError } from '../errors.js';

/** Specs larger than this are refused before they are read (Aircall's whole document is about 230 kB). */
export const DEFAULT_MAX_SPEC_BYTES = 10 * 1024 * 1024;

/**
 * How many copies YAML aliases (`*name`) may expand to, counted the way the `yaml` package counts them
 * (nested aliases multiply). A few aliases are ordinary YAML; a "billion laughs" document needs far more.
 */
export const MAX_ALIAS_EXPANSIONS = 100;

/** A UserError for a spec (or a file or URL it references) over the size limit. */
export function tooLargeError(what: string, bytes: number, maxBytes: number, location: string): UserError {
  return new UserError(`${what} is ${bytes} bytes, more than the limit of ${maxBytes} bytes.`, {
    location,
    hint: 'Shrink the document, or raise the limit with `maxSpecBytes` in aircall-gen.config.json.',
  });
}

/** Line and column of the first alias, to point the user at the anchors and aliases to write out. */
function firstAliasLocation(text: string, path: string): string {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  let offset: number | undefined;
  visit(document, {
    Alias(_key, node) {
      offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  if (offset === undefined) return path;
  const { line, col } = lineCounter.linePos(offset);
  return `${path}:${line}:${col}`;
}

/**
 * Refuses a spec whose YAML aliases would expand into more than MAX_ALIAS_EXPANSIONS copies, before the
 * AsyncAPI parser (whose YAML reader expands them without a limit) sees it. Syntax errors are left to
 * the parser, which reports them with their lines.
 */
export function assertAliasesBounded(text: string, path: string): void {
  if (!text.includes('*')) return; // no alias possible: skip the extra parse
  const document = parseDocument(text);
  if (document.errors.length > 0) return;
  let aliases = false;
  visit(document, {
    Alias() {
      aliases = true;
      return visit.BREAK;
    },
  });
  if (!aliases) return;
  try {
    document.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
  } catch (error) {
    // Other alias errors (an alias before its anchor) are the parser's to report, with its line.
    if (!(error instanceof ReferenceError)) throw error;
    if (!error.message.startsWith('Excessive alias count')) return;
    throw new UserError(
      `The spec's YAML aliases (*name) expand into more than ${MAX_ALIAS_EXPANSIONS} copies; a document like this (a "billion laughs") would exhaust memory, so it is refused.`,
      {
        location: firstAliasLocation(text, path),
        hint: 'Write the repeated parts out, or share them with `$ref` to components/ instead of YAML anchors and aliases.',
        cause: error,
      },
    );
  }
}
