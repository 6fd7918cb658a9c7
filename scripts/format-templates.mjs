// Formats the static templates (those with no handlebars expressions) with the generator's own
// pinned prettier settings: they are copied into the output as they are, so they must already be
// formatted (test/templates.test.ts checks). Run: npm run format:templates (after npm run build).
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { PRETTIER_OPTIONS } from '../dist/format/format-file.js';

const root = new URL('../templates/', import.meta.url).pathname;
for (const path of (await readdir(root, { recursive: true })).filter((p) => p.endsWith('.ts.hbs')).sort()) {
  const source = await readFile(join(root, path), 'utf8');
  if (source.includes('{{')) continue;
  const formatted = await prettier.format(source, { ...PRETTIER_OPTIONS, parser: 'typescript' });
  if (formatted !== source) {
    await writeFile(join(root, path), formatted);
    console.log(`formatted templates/${path}`);
  }
}
