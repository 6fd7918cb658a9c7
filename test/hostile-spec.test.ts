/**
 * The hostile-spec table: what an attacker can put in an AsyncAPI document (names, colliding names,
 * code in every text field, links in the output folder) either is refused with exit 2 or lands in
 * generated code that compiles and runs nothing it was not written to run.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { cli } from './support/cli.js';
import { generatedCompilerOptions, readTree, tempDir } from './support/project.js';
import { buildSpec } from './support/spec-builder.js';

const PWN = 'globalThis.__pwned = 1';
/** Text that would run `PWN` if it escaped a string literal, a comment, a template or a line. */
const INJECTIONS = [
  `*/ ${PWN}; /*`,
  `"); ${PWN}; //`,
  `'); ${PWN}; //`,
  `\`; ${PWN}; //`,
  `\${${PWN}}`,
  `</script><script>${PWN}</script>`,
  `\n${PWN};\n//`,
  `\u2028${PWN};//`,
  `\r${PWN};//`,
  `\u0000\u001b[31m\u009b2J\u202e${PWN}`,
];
const INJECTED = INJECTIONS.join(' | ');

/** Raw characters no generated text file may hold: C0 but tab/newline, CR, DEL, C1, separators, bidi. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are what the test looks for
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028-\u202e\u2066-\u2069]/;

/** One event whose every text field, enum value, property name, example, const and default is hostile. */
function hostileSpec(): object {
  const data: Record<string, unknown> = {};
  INJECTIONS.forEach((text, i) => {
    data[text] = { type: 'string', description: text, title: text, enum: INJECTIONS, default: text, examples: [text] };
    data[`const${i}`] = { const: text, description: text };
  });
  const spec = buildSpec([{ name: 'call.created', data }], INJECTED) as {
    info: Record<string, unknown>;
    components: { messages: Record<string, Record<string, unknown>> };
  };
  spec.info['description'] = INJECTED;
  const message = spec.components.messages['CallCreated']!;
  Object.assign(message, { title: INJECTED, summary: INJECTED, description: INJECTED });
  const body: Record<string, unknown> = {};
  INJECTIONS.forEach((text, i) => {
    body[text] = text;
    body[`const${i}`] = text;
  });
  message['examples'] = [{ name: 'hostile', payload: { event: 'call.created', token: 't', timestamp: 1, data: body } }];
  return spec;
}

/** Compiles `dir` with the generated project's strict options into `dir/dist`; the diagnostics, empty when clean. */
function compile(dir: string): string[] {
  const files = ts.sys.readDirectory(dir, ['.ts'], ['**/dist/**'], undefined);
  const program = ts.createProgram(files, { ...generatedCompilerOptions(), rootDir: dir, outDir: join(dir, 'dist') });
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...program.emit().diagnostics];
  return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('text from the spec is inert in every generated file', () => {
  it('compiles, runs no injected code when imported and validating, and holds no control characters', async () => {
    const dir = await tempDir('hostile');
    const spec = join(dir, 'hostile.json');
    const out = join(dir, 'out');
    await writeFile(spec, JSON.stringify(hostileSpec(), null, 2));
    const result = await cli(['--spec', spec, '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    const tree = await readTree(out);
    for (const [path, text] of tree) {
      // Fixtures are the example's data, kept as given (JSON escapes what would break the syntax).
      if (!path.startsWith('fixtures/'))
        expect({ path, bad: UNPRINTABLE.exec(text)?.[0] }).toEqual({ path, bad: undefined });
    }
    expect(tree.get('README.md')).toContain('globalThis.__pwned'); // the text is there, made inert

    expect(compile(out)).toEqual([]);
    const globals = globalThis as { __pwned?: unknown };
    delete globals.__pwned;
    const module = await import(pathToFileURL(join(out, 'dist', 'index.js')).href);
    const fixture = JSON.parse(tree.get('fixtures/call.created.json')!);
    expect(module.validateEvent('call.created', fixture)).toBeNull();
    expect(module.validateEvent('call.created', { ...fixture, data: {} })).toBeNull();
    expect(globals.__pwned).toBeUndefined();
  }, 120_000);
});
