import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeInvocation } from '../src/model/invocation.js';
import { cli } from './support/cli.js';
import { FIXTURE_SPECS, tempDir } from './support/project.js';

describe('describeInvocation', () => {
  it.each([
    ['defaults', '/p/generated', undefined, 'npx aircall-gen', 'dist/generated/server.js', ''],
    [
      'a src/ folder and a spec',
      '/p/src/aircall',
      '/p/specs/aircall.yaml',
      'npx aircall-gen --spec specs/aircall.yaml --out src/aircall',
      'dist/aircall/server.js',
      '--out src/aircall',
    ],
    [
      'a path with a space',
      '/p/my hooks',
      undefined,
      "npx aircall-gen --out 'my hooks'",
      'dist/my hooks/server.js',
      "--out 'my hooks'",
    ],
  ])('%s', (_name, out, spec, command, serverJs, outFlag) => {
    const invocation = describeInvocation('/p', out, spec);
    expect(invocation).toMatchObject({ command, serverJs, outFlag });
    expect(invocation.workerJs).toBe(serverJs.replace(/server\.js$/, 'worker.js'));
  });
});

describe('the output folder follows the options it was generated with', () => {
  it('README, manifest, --check, send and the config tip use --spec and --out as given', async () => {
    const project = await tempDir('invocation');
    await copyFile(join(FIXTURE_SPECS, 'single-message.yaml'), join(project, 'hooks.yaml'));
    await mkdir(join(project, 'src'));

    const first = await cli(['--spec', 'hooks.yaml', '--out', 'src/aircall'], project);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain(`echo '{"spec":"hooks.yaml","out":"src/aircall"}' > aircall-gen.config.json`);

    const readme = await readFile(join(project, 'src/aircall/README.md'), 'utf8');
    expect(readme).toContain('npx aircall-gen --spec hooks.yaml --out src/aircall\n');
    expect(readme).toContain('node dist/aircall/server.js');
    expect(readme).toContain('npx aircall-gen send --all --token <token> --out src/aircall');
    expect(readme).not.toContain('node dist/server.js');
    const manifest = JSON.parse(await readFile(join(project, 'src/aircall/aircall-gen.manifest.json'), 'utf8'));
    expect(manifest.spec).toBe('../../hooks.yaml');

    // Without --spec, the folder is checked against the spec it was made from, not the bundled one.
    const check = await cli(['--check', '--out', 'src/aircall'], project);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);

    // send finds the generated folder's fixtures without --out; nothing listens, so it says what to start.
    const send = await cli(['send', '--all', '--token', 't', '--url', 'http://127.0.0.1:9/hook'], project);
    expect(send.code).toBe(2);
    expect(send.stderr).not.toContain('No fixtures found');
    expect(send.stderr).toContain('Could not reach http://127.0.0.1:9/hook');
    expect(send.stderr).not.toContain('npm start');
    expect(send.stderr).toContain('compiled server.js of the generated folder');
  }, 120_000);
});
