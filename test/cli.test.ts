import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { Io } from '../src/cli/io.js';
import { cli } from './support/cli.js';
import { FIXTURE_SPECS, ROOT, tempDir } from './support/project.js';
import { writeSpec } from './support/spec-builder.js';

const BAD = join(ROOT, 'test/fixtures/bad-specs');
const SINGLE = join(FIXTURE_SPECS, 'single-message.yaml');

describe('bad specs: exit 2 with what, where and how to fix', () => {
  it.each([
    [
      'yaml-syntax.yaml',
      /not valid YAML or JSON \(1 error\):\n {2}.*yaml-syntax\.yaml:11:1 error parser Flow map in block collection must be sufficiently indented and end with a \}\n/,
    ],
    [
      'schema-error.yaml',
      /schema-error\.yaml:2:6 error asyncapi-document-resolved "info" property must have required property "version"/,
    ],
    [
      'no-messages.yaml',
      /The spec has no channel with messages, so there is nothing to receive\.\n {2}at .*no-messages\.yaml\n {2}fix: Add a channel/,
    ],
    [
      'unnamed-message.yaml',
      /A message has no `name`.*\n {2}at .*unnamed-message\.yaml:11:13\n {2}fix: Give the message a name/,
    ],
    [
      'hostile-name.yaml',
      /The message name "\.\.\/\.\.\/escape'\); process\.exit\(1\); \/\/" cannot become a file or type name\.\n {2}at .*hostile-name\.yaml:10:13/,
    ],
    [
      'colliding-names.yaml',
      /Events 'user\.created_v2' and 'user\.created\.v2' would both become the type 'UserCreatedV2'/,
    ],
  ])('%s', async (file, message) => {
    const out = await tempDir('bad');
    const result = await cli(['--spec', join(BAD, file), '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^aircall-gen: error: /);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at .*\.(js|ts):\d+:\d+\)?$/m); // no stack trace
    expect(existsSync(join(out, 'events.ts'))).toBe(false);
  });

  it('a missing spec file is a user error too', async () => {
    const result = await cli(['--spec', join(BAD, 'nope.yaml')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/The spec file does not exist\.\n {2}at .*nope\.yaml\n {2}fix: Pass the path/);
  });
});

describe('validate', () => {
  it('prints file:line:col severity code message and exits 2 on errors', async () => {
    const result = await cli(['validate', '--spec', join(BAD, 'schema-error.yaml')]);
    expect(result.code).toBe(2);
    expect(result.stdout.split('\n')).toContain(
      'test/fixtures/bad-specs/schema-error.yaml:2:6 error asyncapi-document-resolved "info" property must have required property "version"',
    );
    for (const line of result.stdout.split('\n')) expect(line).toMatch(/^\S+:\d+:\d+ (error|warning) \S+ .+/);
  });

  it("exits 0 on a valid spec and runs aircall-gen's own checks too", async () => {
    expect((await cli(['validate', '--spec', SINGLE])).code).toBe(0);
    const hostile = await cli(['validate', '--spec', join(BAD, 'hostile-name.yaml')]);
    expect(hostile.code).toBe(2);
    expect(hostile.stderr).toMatch(/cannot become a file or type name/);
  });
});

describe('list', () => {
  it('lists events with summaries, as text or JSON', async () => {
    const text = await cli(['list', '--spec', join(FIXTURE_SPECS, 'shared-payload.yaml')]);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(
      'call.created     A call started.\ncall.ended       A call ended.\ncontact.created  Contact created',
    );
    const json = await cli(['list', '--json', '--spec', SINGLE]);
    expect(JSON.parse(json.stdout)).toEqual([
      { event: 'ping.sent', title: 'Ping sent', summary: 'A ping was sent.', handler: 'handlers/ping-sent.ts' },
    ]);
  });
});

describe('generate', () => {
  it('is the default command; --json prints a machine-readable summary', async () => {
    const out = await tempDir('cli-json');
    const result = await cli(['--spec', SINGLE, '--out', out, '--json']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({
      mode: 'write',
      upToDate: false,
      written: true,
      events: 1,
      eventChanges: { added: ['ping.sent'] },
    });
    expect(summary.counts.create).toBeGreaterThan(10);
    const again = JSON.parse((await cli(['generate', '--spec', SINGLE, '--out', out, '--json'])).stdout);
    expect(again).toMatchObject({ upToDate: true, written: false });
  });

  it('summarises a first generation in one line, and lists at most 20 new handlers in a dry run', async () => {
    const out = await tempDir('cli-first');
    const dry = await cli(['--dry-run', '--out', out]);
    expect(dry.code).toBe(0);
    const handlerLines = dry.stdout.split('\n').filter((line) => line.startsWith('  new handler '));
    expect(handlerLines).toHaveLength(20);
    expect(dry.stdout).toContain('\n  ... and 49 more new handlers');
    const first = await cli(['--spec', SINGLE, '--out', out]);
    expect(first.stdout).toContain('\n  first generation: one handler stub per event in handlers/ (yours to edit)');
    expect(first.stdout).not.toMatch(/^ {2}(create|new handler) /m);
  });

  it('--check exits 1 and names the fix when output is stale, 0 when fresh', async () => {
    const out = await tempDir('cli-check');
    const stale = await cli(['--check', '--spec', SINGLE, '--out', out]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(
      /is stale\. Run `npx aircall-gen --spec .*single-message\.yaml --out .*` and commit the result\./,
    );
    expect(stale.stdout).toMatch(/create {2}events\.ts/);
    expect(existsSync(join(out, 'events.ts'))).toBe(false);
    await cli(['--spec', SINGLE, '--out', out]);
    expect((await cli(['--check', '--spec', SINGLE, '--out', out])).code).toBe(0);
  });

  it('prints its version, shows --spec and --out in the top-level help, and suggests a mistyped command', async () => {
    const version = await cli(['--version']);
    expect(version.code).toBe(0);
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
    expect(version.stdout).toBe(pkg.version);
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--spec <path> +AsyncAPI document/);
    expect(help.stdout).toMatch(/--out <dir> +output folder/);
    const typo = await cli(['generat']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("unknown command 'generat'. Did you mean 'generate'?");
    expect(typo.stderr).not.toContain('too many arguments');
  });

  it('an output path that is a file is a clear user error (exit 2), not ENOTDIR', async () => {
    const dir = await tempDir('cli-out-file');
    const file = join(dir, 'not-a-folder');
    await writeFile(file, 'mine');
    for (const out of [file, join(file, 'sub')]) {
      const result = await cli(['--spec', SINGLE, '--out', out]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/The output path (is a file, not a folder|goes through a file)/);
      expect(result.stderr).toContain('fix: Pass --out with a folder path');
      expect(result.stderr).not.toContain('ENOTDIR');
    }
    expect(await readFile(file, 'utf8')).toBe('mine');
  });

  it('--check exits 1 naming a handler file that was deleted (registry.ts imports it)', async () => {
    const out = await tempDir('cli-check-handler');
    await cli(['--spec', SINGLE, '--out', out]);
    const [handler] = (await readdir(join(out, 'handlers'))).filter((name) => name.endsWith('.ts'));
    await rm(join(out, 'handlers', handler!));
    const stale = await cli(['--check', '--spec', SINGLE, '--out', out]);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain(`missing handler handlers/${handler}`);
    expect(stale.stderr).toContain('is stale');
    expect(existsSync(join(out, 'handlers', handler!))).toBe(false);
  });

  it('--dry-run prints the plan and writes nothing', async () => {
    const out = await tempDir('cli-dry');
    const result = await cli(['--dry-run', '--spec', SINGLE, '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/dry run, nothing written/);
    expect(result.stdout).toMatch(/new handler handlers\/ping-sent\.ts/);
    expect(existsSync(join(out, 'events.ts'))).toBe(false);
  });

  it('reads aircall-gen.config.json, resolving paths from it, and flags win', async () => {
    const dir = await tempDir('cli-config');
    await writeSpec(dir, 'hooks.json', [{ name: 'order.created', data: { id: { type: 'integer' } } }]);
    await writeFile(join(dir, 'aircall-gen.config.json'), JSON.stringify({ spec: 'hooks.json', out: 'from-config' }));
    expect((await cli([], dir)).code).toBe(0);
    expect(existsSync(join(dir, 'from-config/handlers/order-created.ts'))).toBe(true);
    expect((await cli(['--out', 'from-flag'], dir)).code).toBe(0);
    expect(existsSync(join(dir, 'from-flag/handlers/order-created.ts'))).toBe(true);
  });

  it('reads a TypeScript config file', async () => {
    const dir = await tempDir('cli-config-ts');
    await writeSpec(dir, 'hooks.json', [{ name: 'order.created', data: {} }]);
    await writeFile(
      join(dir, 'aircall-gen.config.ts'),
      "const config: { spec: string; out: string } = { spec: 'hooks.json', out: 'ts-out' };\nexport default config;\n",
    );
    expect((await cli([], dir)).code).toBe(0);
    expect(existsSync(join(dir, 'ts-out/events.ts'))).toBe(true);
  });

  it('reads .mjs and .js config files, and resolves paths from the file, not the working directory', async () => {
    const dir = await tempDir('cli-config-js');
    await mkdir(join(dir, 'sub'));
    await writeSpec(join(dir, 'sub'), 'hooks.json', [{ name: 'order.created', data: {} }]);
    await writeFile(join(dir, 'sub/esm.mjs'), "export default { spec: 'hooks.json', out: 'mjs-out' };\n");
    await writeFile(join(dir, 'sub/plain.js'), "export default { spec: 'hooks.json', out: 'js-out' };\n");
    expect((await cli(['--config', 'sub/esm.mjs'], dir)).code).toBe(0);
    expect((await cli(['--config', 'sub/plain.js'], dir)).code).toBe(0);
    expect(existsSync(join(dir, 'sub/mjs-out/events.ts'))).toBe(true);
    expect(existsSync(join(dir, 'sub/js-out/events.ts'))).toBe(true);
    expect(existsSync(join(dir, 'mjs-out'))).toBe(false);
  });

  it('refuses a generated file edited by hand with exit 2, and overwrites it with --force', async () => {
    const out = await tempDir('cli-force');
    expect((await cli(['--spec', SINGLE, '--out', out])).code).toBe(0);
    const events = join(out, 'events.ts');
    const generated = await readFile(events, 'utf8');
    await writeFile(events, `${generated}// my change\n`);
    const refused = await cli(['--spec', SINGLE, '--out', out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/1 generated file was changed by hand, so nothing was written:\n {2}events\.ts/);
    expect(await readFile(events, 'utf8')).toBe(`${generated}// my change\n`);
    expect((await cli(['--spec', SINGLE, '--out', out, '--force'])).code).toBe(0);
    expect(await readFile(events, 'utf8')).toBe(generated);
  });

  it('reports every invalid config option by name', async () => {
    const dir = await tempDir('cli-config-bad');
    await writeFile(join(dir, 'aircall-gen.config.json'), JSON.stringify({ spec: 3, output: 'x' }));
    const result = await cli([], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/'spec' must be a string, got 3/);
    expect(result.stderr).toMatch(
      /unknown option 'output' \(known: spec, out, allowRefRoots, allowRemoteRefs, refTimeoutMs, maxSpecBytes\)/,
    );
  });

  it('an output folder that cannot be created is a user error', async () => {
    const dir = await tempDir('cli-unwritable');
    await writeFile(join(dir, 'file'), 'not a folder');
    const result = await cli(['--spec', SINGLE, '--out', join(dir, 'file/out')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^aircall-gen: error: /);
  });
});

describe('flags and help', () => {
  it.each([[[]], [['generate']], [['validate']], [['list']], [['send']], [['replay']]])(
    '%j --help shows usage and examples',
    async (args) => {
      const result = await cli([...args, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/Usage: aircall-gen/);
      if (args.length > 0) expect(result.stdout).toMatch(/Examples:/);
    },
  );

  it('an unknown flag is a user error (exit 2)', async () => {
    const result = await cli(['--nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown option '--nope'/);
  });

  it('the installed binary runs and returns the exit code', () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'bin/aircall-gen.js'), 'list', '--spec', SINGLE], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe('ping.sent  A ping was sent.');
    const bad = spawnSync(
      process.execPath,
      [join(ROOT, 'bin/aircall-gen.js'), '--spec', join(BAD, 'no-messages.yaml')],
      { encoding: 'utf8' },
    );
    expect(bad.status).toBe(2);
  });
});

describe('run from anywhere', () => {
  it('finds the bundled spec from the package, not the working directory', async () => {
    const cwd = await tempDir('elsewhere');
    const result = spawnSync(process.execPath, [join(ROOT, 'bin/aircall-gen.js'), 'list'], { cwd, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(69);
  });
});

describe('the committed output', () => {
  it('generated/ is exactly what the generator produces for the bundled spec (--check)', async () => {
    const result = await cli(['--check', '--out', join(ROOT, 'generated')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(await readFile(join(ROOT, 'generated/events.ts'), 'utf8')).toContain(
      "export const CHANNEL_PATH = '/aircall/webhook';",
    );
  });
});

describe('a bug in the tool', () => {
  it('exits 70 and prints the stack, asking for a report', async () => {
    const err: string[] = [];
    // Writing the event list fails with a plain Error: not a user error, so it is treated as a bug.
    const io: Io = {
      out: () => {
        throw new Error('stdout exploded');
      },
      err: (text) => err.push(text),
    };
    const code = await main(['list', '--spec', SINGLE], io);
    expect(code).toBe(70);
    const [message] = err;
    expect(message).toMatch(
      /^aircall-gen: internal error \(a bug; please report it with the output below\)\nError: stdout exploded\n {4}at /,
    );
  });
});
