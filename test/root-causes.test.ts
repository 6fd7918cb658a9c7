import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SpecDiagnostic } from '../src/load/diagnostics.js';
import { rootCauses } from '../src/load/root-causes.js';
import { cli } from './support/cli.js';
import { BUNDLED_SPEC, tempDir } from './support/project.js';

const diag = (line: number, code: string, message: string): SpecDiagnostic => ({
  file: 'spec.yaml',
  line,
  column: 3,
  severity: 'error',
  code,
  message,
  path: '',
});

describe('rootCauses', () => {
  it('puts the suggestion first, drops echoes at its spot and follow-on messages, and counts them', () => {
    const typo = diag(50, 'asyncapi-document-resolved', '"type" must be one of ... Did you mean "string"?');
    const sameSpot = diag(50, 'asyncapi2-schemas', 'must be equal to one of the allowed values');
    const real = diag(2, 'asyncapi-document-resolved', '"info" property must have required property "version"');
    const noise = [
      diag(10, 'asyncapi-document-resolved', 'Property "payload" is not expected to be here'),
      diag(11, 'asyncapi-document-resolved', '"callCreated" property must have required property "oneOf"'),
      diag(12, 'asyncapi2-message-examples', 'type must be JSONType or JSONType[]: strnig'),
      diag(13, 'asyncapi2-schemas', 'must match a schema in anyOf'),
    ];
    expect(rootCauses([real, ...noise, sameSpot, typo])).toEqual({ shown: [typo, real], followOn: 5 });
  });

  it('shows everything when every error looks like an echo', () => {
    const only = [diag(10, 'asyncapi-document-resolved', 'Property "x" is not expected to be here')];
    expect(rootCauses(only)).toEqual({ shown: only, followOn: 0 });
  });
});

describe('one schema typo in the bundled spec', () => {
  it('validate and generate report the same root cause first, with the echoes as one count', async () => {
    const dir = await tempDir('typo');
    const lines = (await readFile(BUNDLED_SPEC, 'utf8')).split('\n');
    const at = lines.findIndex((line, i) => i > lines.indexOf('    IvrOption:') && line.trim() === 'type: string');
    lines[at] = lines[at]!.replace('type: string', 'type: strnig');
    const spec = join(dir, 'typo.yaml');
    await writeFile(spec, lines.join('\n'));

    const validate = await cli(['validate', '--spec', spec]);
    const generate = await cli(['--spec', spec, '--out', join(dir, 'out')]);
    expect([validate.code, generate.code]).toEqual([2, 2]);
    const errorLines = (text: string) => text.split('\n').filter((line) => / error /.test(line));
    expect(errorLines(validate.stdout)).toHaveLength(1);
    expect(errorLines(validate.stdout)[0]).toMatch(
      new RegExp(`typo\\.yaml:${at + 1}:\\d+ error .*Did you mean "string"\\?$`),
    );
    expect(errorLines(generate.stderr).map((line) => line.trim())).toEqual(errorLines(validate.stdout));
    expect(validate.stdout).toMatch(/\.\.\. and \d+ follow-on errors caused by the above/);
    expect(generate.stderr).toMatch(/\(1 error; \d+ follow-on errors not shown\)/);
    expect(generate.stderr.split('\n').length).toBeLessThan(8);
  }, 180_000);
});

describe('a YAML syntax error in the bundled spec', () => {
  it('is reported where it is (an unclosed quote), by validate and generate alike, within the line', async () => {
    const dir = await tempDir('unclosed-quote');
    const lines = (await readFile(BUNDLED_SPEC, 'utf8')).split('\n');
    const at = lines.findIndex((line) => /^ {6}summary: '.*'$/.test(line));
    lines[at] = lines[at]!.slice(0, -1);
    const spec = join(dir, 'quote.yaml');
    await writeFile(spec, lines.join('\n'));
    const where = `quote.yaml:${at + 1}:${lines[at]!.length + 1} error parser Missing closing 'quote`;

    const validate = await cli(['validate', '--spec', spec]);
    expect(validate.code).toBe(2);
    expect(validate.stdout).toContain(where);
    const generate = await cli(['--spec', spec, '--out', join(dir, 'out')]);
    expect(generate.code).toBe(2);
    expect(generate.stderr).toContain('The spec cannot be read: it is not valid YAML or JSON (1 error)');
    expect(generate.stderr).toContain(where);
  }, 180_000);
});
