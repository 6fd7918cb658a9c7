import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, withoutConfigTip } from '../support/cli.js';
import { FIXTURE_SPECS, readTree, tempDir } from '../support/project.js';

const SECRET = 'SECRET-OUTSIDE-MARKER';
const PING_SCHEMA = `title: Ping\ntype: object\nrequired: [id]\nproperties:\n  id:\n    type: integer\n  note:\n    description: ${SECRET}\n    type: [string, 'null']\n`;

/** single-message.yaml with its info description and its `Ping` schema replaced by `$ref`s. */
async function specWithRefs(refs: { description?: string; ping?: string }): Promise<string> {
  let text = await readFile(join(FIXTURE_SPECS, 'single-message.yaml'), 'utf8');
  if (refs.description) text = text.replace(/ {2}description: .*/, `  description:\n    $ref: '${refs.description}'`);
  if (refs.ping) text = text.replace("$ref: '#/components/schemas/Ping'", `$ref: '${refs.ping}'`);
  return text;
}

/** root/outside/{host.txt,ping.yaml} and root/project/spec/ holding the spec (written by the caller). */
async function layout() {
  const root = await tempDir('refs');
  const outside = join(root, 'outside');
  const specDir = join(root, 'project', 'spec');
  await mkdir(outside, { recursive: true });
  await mkdir(join(specDir, 'schemas'), { recursive: true });
  await writeFile(join(outside, 'host.txt'), `${SECRET}\n`);
  await writeFile(join(outside, 'ping.yaml'), PING_SCHEMA);
  const out = join(root, 'out');
  const spec = join(specDir, 'spec.yaml');
  return { root, outside, specDir, spec, out };
}

async function outputMentions(out: string, marker: string): Promise<boolean> {
  if (!existsSync(out)) return false;
  return [...(await readTree(out)).values()].some((text) => text.includes(marker));
}

describe('$refs to files: only under the spec folder unless allowed', () => {
  it('refuses a $ref that climbs out of the spec folder, naming the line and the flag', async () => {
    const { spec, out } = await layout();
    await writeFile(spec, await specWithRefs({ description: '../../outside/host.txt' }));
    const result = await cli(['--spec', spec, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('spec.yaml:6:11: $ref ');
    expect(result.stderr).toMatch(/outside[/\\]host\.txt was not read: it is outside the spec's folder/);
    expect(result.stderr).toContain('--allow-ref-root <dir>');
    expect(result.stderr).not.toContain(SECRET);
    expect(existsSync(join(out, 'events.ts'))).toBe(false);
  });

  it('refuses a schema two folders up, and `validate` refuses it too', async () => {
    const { spec, out } = await layout();
    await writeFile(spec, await specWithRefs({ ping: '../../outside/ping.yaml' }));
    const generated = await cli(['--spec', spec, '--out', out]);
    expect(generated.code).toBe(2);
    expect(generated.stderr).toMatch(/spec\.yaml:\d+:\d+: \$ref .*ping\.yaml was not read/);
    expect(await outputMentions(out, SECRET)).toBe(false);
    const validated = await cli(['validate', '--spec', spec]);
    expect(validated.code).toBe(2);
    expect(validated.stderr).toContain('was not read');
  });

  it('reads files under the spec folder, and an allowed root given by flag or config', async () => {
    const { spec, specDir, outside, root, out } = await layout();
    await writeFile(join(specDir, 'schemas', 'ping.yaml'), PING_SCHEMA);
    await writeFile(spec, await specWithRefs({ ping: './schemas/ping.yaml' }));
    expect((await cli(['--spec', spec, '--out', out])).code).toBe(0);
    expect(await outputMentions(out, SECRET)).toBe(true);

    await writeFile(spec, await specWithRefs({ ping: '../../outside/ping.yaml' }));
    const flagged = await cli(['--spec', spec, '--out', join(root, 'out2'), '--allow-ref-root', outside]);
    expect(withoutConfigTip(flagged.stderr)).toBe('');
    expect(flagged.code).toBe(0);
    // A config file's folders are relative to the config file.
    await writeFile(join(root, 'cfg.json'), JSON.stringify({ allowRefRoots: ['outside'] }));
    const configured = await cli(['--spec', spec, '--out', join(root, 'out3'), '--config', join(root, 'cfg.json')]);
    expect(configured.code).toBe(0);
  });

  it('treats a symlink inside the spec folder that points out as outside', async () => {
    const { spec, specDir, outside, out } = await layout();
    await symlink(outside, join(specDir, 'linked'));
    await writeFile(spec, await specWithRefs({ ping: './linked/ping.yaml' }));
    const result = await cli(['--spec', spec, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/linked[/\\]ping\.yaml was not read: it is a link to .*outside[/\\]ping\.yaml/);
    expect(await outputMentions(out, SECRET)).toBe(false);
  });

  it('refuses a $ref to the outside written in a file the spec references, at its line there', async () => {
    const { spec, specDir, out } = await layout();
    await writeFile(
      join(specDir, 'schemas', 'ping.yaml'),
      "title: Ping\ntype: object\nproperties:\n  note:\n    $ref: '../../../outside/ping.yaml'\n",
    );
    await writeFile(spec, await specWithRefs({ ping: './schemas/ping.yaml' }));
    const result = await cli(['--spec', spec, '--out', out]);
    expect(result.code).toBe(2);
    // Located in the file that holds it, not only in the spec.
    expect(result.stderr).toMatch(/schemas[/\\]ping\.yaml:5:11: \$ref .*outside[/\\]ping\.yaml was not read/);
  });
});

describe('$refs and the up-to-date check', () => {
  it('regenerates when only a referenced file changed, and --check reports it stale first', async () => {
    const { specDir, spec, out } = await layout();
    await writeFile(join(specDir, 'schemas', 'ping.yaml'), PING_SCHEMA);
    await writeFile(spec, await specWithRefs({ ping: './schemas/ping.yaml' }));
    expect((await cli(['--spec', spec, '--out', out])).code).toBe(0);
    const manifest = JSON.parse(await readFile(join(out, 'aircall-gen.manifest.json'), 'utf8'));
    expect(Object.keys(manifest.refs)).toEqual(['../project/spec/schemas/ping.yaml']);
    const again = await cli(['--spec', spec, '--out', out]);
    expect(again.stdout).toContain('is up to date');

    // The spec's own text is unchanged; the schema it references gains a field.
    await writeFile(join(specDir, 'schemas', 'ping.yaml'), `${PING_SCHEMA}  added_field:\n    type: string\n`);
    const check = await cli(['--spec', spec, '--out', out, '--check']);
    expect(check.code).toBe(1);
    const regenerated = await cli(['--spec', spec, '--out', out]);
    expect(regenerated.code).toBe(0);
    expect(regenerated.stdout).not.toContain('is up to date');
    expect(await outputMentions(out, 'added_field')).toBe(true);
    expect((await cli(['--spec', spec, '--out', out])).stdout).toContain('is up to date');
  });
});

describe('remote $refs: refused unless allowed, and bounded in time', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    server?.close();
    server = undefined;
  });

  /** A server on 127.0.0.1 that counts requests and answers with `answer` (never, when undefined). */
  async function serve(answer: string | undefined) {
    const seen = { requests: 0 };
    server = createServer((_request, response) => {
      seen.requests += 1;
      if (answer !== undefined) response.end(answer);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ping.yaml`, seen };
  }

  it('does not fetch a remote $ref by default, and says how to allow it', async () => {
    const { url, seen } = await serve(PING_SCHEMA);
    const { spec, out } = await layout();
    await writeFile(spec, await specWithRefs({ ping: url }));
    const result = await cli(['--spec', spec, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`$ref ${url} was not read: remote $refs are not allowed`);
    expect(result.stderr).toContain('--allow-remote-refs');
    expect(seen.requests).toBe(0);
  });

  it('fetches it when allowed, for any host or for a listed host only', async () => {
    const { url, seen } = await serve(PING_SCHEMA);
    const { spec, out, root } = await layout();
    await writeFile(spec, await specWithRefs({ ping: url }));
    const other = await cli(['--spec', spec, '--out', out, '--allow-remote-refs', 'example.com']);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('the host 127.0.0.1');
    expect(seen.requests).toBe(0);
    expect((await cli(['--spec', spec, '--out', out, '--allow-remote-refs', '127.0.0.1'])).code).toBe(0);
    expect(seen.requests).toBeGreaterThan(0);
    expect(await outputMentions(out, SECRET)).toBe(true);
    expect((await cli(['--spec', spec, '--out', join(root, 'o2'), '--allow-remote-refs'])).code).toBe(0);
    // What a URL answers can change without the spec changing: a run with a remote $ref is never a no-op.
    const before = seen.requests;
    const rerun = await cli(['--spec', spec, '--out', out, '--allow-remote-refs', '127.0.0.1']);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).not.toContain('is up to date');
    expect(seen.requests).toBeGreaterThan(before);
  });

  it('gives up on a server that accepts and never answers, naming the ref and its line', async () => {
    const { url } = await serve(undefined);
    const { spec, out, root } = await layout();
    await writeFile(spec, await specWithRefs({ ping: url }));
    await writeFile(join(root, 'cfg.json'), JSON.stringify({ allowRemoteRefs: true, refTimeoutMs: 300 }));
    const started = Date.now();
    const result = await cli(['--spec', spec, '--out', out, '--config', join(root, 'cfg.json')]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(
        `spec\\.yaml:\\d+:\\d+: \\$ref ${url.replace(/\./g, '\\.')} was not read: no complete answer within 300 ms`,
      ),
    );
    expect(result.stderr).toContain('refTimeoutMs');
  }, 20_000);
});
