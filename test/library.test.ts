// The library API as a user's code meets it: `import ... from 'aircall-gen'` in a plain node process,
// resolved through package.json's `exports` to the built dist/index.js (npm test builds first), and
// its types through dist/index.d.ts.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_SPECS, listFiles, ROOT, tempDir, typecheck } from './support/project.js';

const SPEC = join(FIXTURE_SPECS, 'single-message.yaml');

// Runs inside the repository (test/.tmp), so `aircall-gen` resolves to this package by self-reference.
const SCRIPT = `
import * as api from 'aircall-gen';
const [spec, out] = process.argv.slice(2);
const first = await api.generate({ spec, out });
const again = await api.generate({ spec, out });
let failure;
try {
  await api.generate({ spec: spec + '.missing', out });
} catch (error) {
  failure = { isUserError: api.isUserError(error), isInstance: error instanceof api.UserError, location: error.location };
}
const pick = (r) => ({ written: r.written, upToDate: r.upToDate, events: r.events, outDir: r.outDir });
process.stdout.write(JSON.stringify({ exports: Object.keys(api).sort(), first: pick(first), again: pick(again), failure }));
`;

// Reports every module a process resolves through import/import() (the stages load that way), on stderr.
const REPORT_IMPORTS = `
import { register } from 'node:module';
const hooks = "export async function resolve(specifier, context, next) { const resolved = await next(specifier, context); process.stderr.write('resolved ' + resolved.url + '\\\\n'); return resolved; }";
register('data:text/javascript,' + encodeURIComponent(hooks));
`;

const NO_OP = `
import { generate } from 'aircall-gen';
const [spec, out] = process.argv.slice(2);
process.stdout.write(JSON.stringify((await generate({ spec, out })).upToDate));
`;

// Type-checked with the strict options of tsconfig.generated.json: the published types must serve such a project.
const TYPED_USE = `import { generate, isUserError, EXIT_USER_ERROR, type GenerateOptions, type GenerateResult } from 'aircall-gen';

const options: GenerateOptions = { spec: 'spec.yaml', out: 'src/aircall', dryRun: true };

export async function plannedPaths(): Promise<string[]> {
  try {
    const result: GenerateResult = await generate(options);
    return result.plan?.entries.map((entry) => entry.path) ?? [];
  } catch (error) {
    if (isUserError(error)) process.exitCode = EXIT_USER_ERROR;
    throw error;
  }
}
`;

let dir: string;

beforeAll(async () => {
  dir = await tempDir('library');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the package entry ('aircall-gen')", () => {
  it('exports generate(), which generates into a folder, then finds it up to date; errors are UserErrors', async () => {
    const script = join(dir, 'use-library.mjs');
    await writeFile(script, SCRIPT);
    const out = join(dir, 'out');
    const { stdout } = await promisify(execFile)(process.execPath, [script, SPEC, out], { cwd: ROOT });
    const report = JSON.parse(stdout);

    expect(report.exports).toEqual([
      'DEFAULT_OUT',
      'EXIT_BUG',
      'EXIT_NOT_ACCEPTED',
      'EXIT_STALE',
      'EXIT_USER_ERROR',
      'UserError',
      'generate',
      'isUserError',
    ]);
    expect(report.first).toEqual({ written: true, upToDate: false, events: 1, outDir: out });
    expect(report.again).toMatchObject({ written: false, upToDate: true });
    expect(await listFiles(out)).toEqual(
      expect.arrayContaining(['events.ts', 'handlers/ping-sent.ts', 'models.ts', 'validators.ts']),
    );
    expect(report.failure).toEqual({ isUserError: true, isInstance: true, location: `${SPEC}.missing` });

    // A fresh process finds the folder up to date without loading the parser, Modelina, handlebars or prettier.
    await writeFile(join(dir, 'report-imports.mjs'), REPORT_IMPORTS);
    await writeFile(join(dir, 'no-op.mjs'), NO_OP);
    const noOp = await promisify(execFile)(
      process.execPath,
      ['--import', join(dir, 'report-imports.mjs'), join(dir, 'no-op.mjs'), SPEC, out],
      { cwd: ROOT },
    );
    expect(noOp.stdout).toBe('true');
    const resolved = noOp.stderr.split('\n').filter((line) => line.startsWith('resolved '));
    expect(resolved).toContain(`resolved ${pathToFileURL(join(ROOT, 'dist/index.js')).href}`);
    expect(
      resolved.filter((line) => /@asyncapi|prettier|handlebars|\/dist\/(load\/parse|render|format)/.test(line)),
    ).toEqual([]);
  });

  it("publishes types a strict TypeScript project can use, the README's example included", async () => {
    expect(existsSync(join(ROOT, 'dist/index.d.ts'))).toBe(true);
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const example = /### Library API\n[\s\S]*?```ts\n([\s\S]*?)\n```/.exec(readme)?.[1];
    expect(example).toContain("from 'aircall-gen'");
    const typed = await tempDir('library-types');
    try {
      await writeFile(join(typed, 'use-library.ts'), TYPED_USE);
      await writeFile(join(typed, 'readme-example.ts'), `${example}\nexport {};\n`);
      expect(typecheck(typed)).toEqual([]);
    } finally {
      await rm(typed, { recursive: true, force: true });
    }
  });
});
