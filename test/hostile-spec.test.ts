/**
 * The hostile-spec table: what an attacker can put in an AsyncAPI document (names, colliding names,
 * code in every text field, links in the output folder) either is refused with exit 2 or lands in
 * generated code that compiles and runs nothing it was not written to run.
 */
import { existsSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { cli, withoutConfigTip } from './support/cli.js';
import { FIXTURE_SPECS, generatedCompilerOptions, listFiles, readTree, tempDir } from './support/project.js';
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

/** Event names that are odd but allowed: Windows device names, JS prototype and reserved words, the longest. */
const ODD_NAMES = [
  'con',
  'AUX.created',
  'com1.ready',
  'lpt9',
  'nul.v2',
  'constructor',
  'toString',
  'hasOwnProperty',
  'default',
  'delete.v2',
  '2fa.enabled',
  'x'.repeat(128),
];

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
  const events = [{ name: 'call.created', data }, ...ODD_NAMES.map((name) => ({ name, data: {} }))];
  const spec = buildSpec(events, INJECTED) as {
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
    expect(withoutConfigTip(result.stderr)).toBe('');
    expect(result.code).toBe(0);

    const tree = await readTree(out);
    for (const [path, text] of tree) {
      // Fixtures are the example's data, kept as given (JSON escapes what would break the syntax).
      if (!path.startsWith('fixtures/'))
        expect({ path, bad: UNPRINTABLE.exec(text)?.[0] }).toEqual({ path, bad: undefined });
    }
    expect(tree.get('README.md')).toContain('globalThis.__pwned'); // the text is there, made inert
    // Windows device names get a `_` prefix; no file keeps one as its name before the first dot.
    for (const path of ['handlers/_con.ts', 'fixtures/_con.json', 'fixtures/_AUX.created.json', 'handlers/_lpt9.ts']) {
      expect(tree.has(path), path).toBe(true);
    }
    expect(tree.has('handlers/aux-created.ts')).toBe(true); // `aux-created` is no device name
    const devices = [...tree.keys()].filter((path) =>
      /^(con|prn|aux|nul|com\d|lpt\d)$/i.test(path.split('/').pop()!.split('.')[0]!),
    );
    expect(devices).toEqual([]);

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

/** A spec with `call.created` and one more message per name, keyed by position (any name fits). */
function specWithNames(names: string[]): object {
  const spec = buildSpec([{ name: 'call.created', data: {} }]) as {
    channels: Record<string, { publish: { message: { oneOf: object[] } } }>;
    components: { messages: Record<string, object> };
  };
  names.forEach((name, i) => {
    spec.components.messages[`Extra${i}`] = { name, payload: { $ref: '#/components/schemas/CallCreatedWebhook' } };
    spec.channels['/hooks']!.publish.message.oneOf.push({ $ref: `#/components/messages/Extra${i}` });
  });
  return spec;
}

describe('hostile event names are refused with exit 2 and the message line', () => {
  it.each([
    ['../../etc/passwd', 'cannot become a file or type name'],
    ['a/b', 'cannot become a file or type name'],
    ['caf\u00e9.created', 'cannot become a file or type name'],
    ['__proto__', 'cannot become a file or type name'],
    ['x'.repeat(129), 'cannot become a file or type name'],
    ['a\u0000b', 'cannot become a file or type name'],
  ])('%j', async (name, message) => {
    const dir = await tempDir('name');
    const spec = join(dir, 'spec.json');
    await writeFile(spec, JSON.stringify(specWithNames([name])));
    const result = await cli(['--spec', spec, '--out', join(dir, 'out')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toMatch(/spec\.json:\d+:\d+/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it.each([
    [['Call.Created'], "Events 'call.created' and 'Call.Created' would both become the type 'CallCreated'"],
    [['call_created'], "Events 'call.created' and 'call_created' would both become the type 'CallCreated'"],
    [['call.created'], "Two messages are named 'call.created'"],
  ])('collision %j', async (names, message) => {
    const dir = await tempDir('collide');
    const spec = join(dir, 'spec.json');
    await writeFile(spec, JSON.stringify(specWithNames(names)));
    const result = await cli(['--spec', spec, '--out', join(dir, 'out')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});

describe('links in the output folder never lead a write outside it', () => {
  const SPEC = join(FIXTURE_SPECS, 'single-message.yaml');

  async function setUp() {
    const dir = await tempDir('links');
    const outside = join(dir, 'outside');
    const out = join(dir, 'out');
    await mkdir(outside);
    await mkdir(out);
    await writeFile(join(outside, 'victim.ts'), 'precious\n');
    return { outside, out };
  }

  it('refuses a handlers/ folder that links outside, writing nothing there', async () => {
    const { outside, out } = await setUp();
    await symlink(outside, join(out, 'handlers'));
    const result = await cli(['--spec', SPEC, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Folder "handlers" in the output folder is a link to');
    expect(await readdir(outside)).toEqual(['victim.ts']);
  });

  it('replaces generated files that are links to outside (dangling too), never writing through them', async () => {
    const { outside, out } = await setUp();
    await symlink(join(outside, 'victim.ts'), join(out, 'events.ts'));
    await symlink(join(outside, 'created-by-link.ts'), join(out, 'models.ts')); // dangling
    await mkdir(join(out, 'handlers'));
    await symlink(join(outside, 'handler-by-link.ts'), join(out, 'handlers', 'ping-sent.ts')); // dangling
    const result = await cli(['--spec', SPEC, '--out', out, '--force']);
    expect(withoutConfigTip(result.stderr)).toBe('');
    expect(result.code).toBe(0);
    expect(await readFile(join(outside, 'victim.ts'), 'utf8')).toBe('precious\n');
    expect(await readdir(outside)).toEqual(['victim.ts']);
    // The links to generated files were replaced by real files; the handler path is the user's, kept as is.
    expect(await listFiles(out)).toEqual(expect.arrayContaining(['events.ts', 'models.ts']));
    expect((await lstat(join(out, 'handlers', 'ping-sent.ts'))).isSymbolicLink()).toBe(true);
  });
});
