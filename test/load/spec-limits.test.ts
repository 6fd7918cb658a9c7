import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, withoutConfigTip } from '../support/cli.js';
import { FIXTURE_SPECS, tempDir } from '../support/project.js';

/** 631 bytes of YAML whose aliases expand to 9^9 strings: the "billion laughs". */
function billionLaughs(): string {
  const levels = 'abcdefghi'.split('');
  const lines = ['asyncapi: 2.6.0', 'info: {title: bomb, version: "1"}', 'channels: {}', 'x-bomb:'];
  lines.push(`  a: &a [${Array(9).fill('"lol"').join(',')}]`);
  for (let i = 1; i < levels.length; i++) {
    lines.push(
      `  ${levels[i]}: &${levels[i]} [${Array(9)
        .fill(`*${levels[i - 1]}`)
        .join(',')}]`,
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('spec size and YAML alias limits', () => {
  it('refuses a YAML alias bomb with exit 2 and the first alias line, for generate and validate', async () => {
    const dir = await tempDir('bomb');
    const spec = join(dir, 'bomb.yaml');
    await writeFile(spec, billionLaughs());
    for (const args of [['--out', join(dir, 'out')], ['validate']]) {
      const result = await cli([...args, '--spec', spec]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('YAML aliases (*name) expand into more than 100 copies');
      expect(result.stderr).toMatch(/at .*bomb\.yaml:6:10\n/);
    }
  }, 30_000);

  it('accepts a few aliases, as ordinary YAML uses them', async () => {
    const dir = await tempDir('alias');
    const text = await readFile(join(FIXTURE_SPECS, 'single-message.yaml'), 'utf8');
    const spec = join(dir, 'spec.yaml');
    const withAlias = text
      .replace('        resource:\n          type: string', '        resource: &text\n          type: string')
      .replace(
        '        timestamp:\n          type: integer',
        '        timestamp:\n          type: integer\n        label: *text',
      );
    expect(withAlias).toContain('label: *text');
    await writeFile(spec, withAlias);
    const result = await cli(['--spec', spec, '--out', join(dir, 'out')]);
    expect(withoutConfigTip(result.stderr)).toBe('');
    expect(result.code).toBe(0);
    expect(await readFile(join(dir, 'out', 'models.ts'), 'utf8')).toMatch(/label\?: string/);
  });

  it('refuses a spec over maxSpecBytes before reading it, and a $ref target over it', async () => {
    const dir = await tempDir('size');
    const spec = join(dir, 'spec.yaml');
    const text = await readFile(join(FIXTURE_SPECS, 'single-message.yaml'), 'utf8');
    await writeFile(spec, text);
    await writeFile(join(dir, 'small.json'), JSON.stringify({ maxSpecBytes: 100 }));
    const tooBig = await cli(['--spec', spec, '--out', join(dir, 'out'), '--config', join(dir, 'small.json')]);
    expect(tooBig.code).toBe(2);
    expect(tooBig.stderr).toContain(
      `The spec file is ${Buffer.byteLength(text)} bytes, more than the limit of 100 bytes.`,
    );
    expect(tooBig.stderr).toContain('maxSpecBytes');

    await writeFile(join(dir, 'big.yaml'), `title: Ping\ntype: object\ndescription: "${'x'.repeat(5000)}"\n`);
    await writeFile(spec, text.replace("$ref: '#/components/schemas/Ping'", "$ref: './big.yaml'"));
    await writeFile(join(dir, 'medium.json'), JSON.stringify({ maxSpecBytes: 4000 }));
    const bigRef = await cli(['--spec', spec, '--out', join(dir, 'out'), '--config', join(dir, 'medium.json')]);
    expect(bigRef.code).toBe(2);
    expect(bigRef.stderr).toMatch(/big\.yaml was not read: it is 50\d\d bytes, more than the limit of 4000/);
  });
});
