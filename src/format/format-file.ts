import type { Options } from 'prettier';

/**
 * Pinned formatting for everything the generator writes. Prettier's version is pinned in
 * package.json too, so the same spec gives the same bytes on every machine.
 */
export const PRETTIER_OPTIONS: Options = {
  printWidth: 100,
  tabWidth: 2,
  useTabs: false,
  semi: true,
  singleQuote: true,
  quoteProps: 'as-needed',
  trailingComma: 'all',
  bracketSpacing: true,
  arrowParens: 'always',
  endOfLine: 'lf',
  proseWrap: 'preserve',
};

/**
 * Only TypeScript goes through prettier. JSON is written by JSON.stringify and Markdown is laid
 * out by its template (prettier would realign the event table, at a cost, for no reader's gain).
 */
const PARSERS: Record<string, string> = { ts: 'typescript' };

/** Formats one file by its extension; other files pass through unchanged. */
export async function formatFile(path: string, contents: string): Promise<string> {
  const extension = path.slice(path.lastIndexOf('.') + 1);
  const parser = PARSERS[extension];
  if (parser === undefined) return contents;
  const prettier = await import('prettier');
  return prettier.format(contents, { ...PRETTIER_OPTIONS, parser });
}
