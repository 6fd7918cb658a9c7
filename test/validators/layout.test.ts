/** validators.ts goes through prettier like every other file, unless it is too large to format quickly. */

import { describe, expect, it } from 'vitest';
import { describeInvocation } from '../../src/model/invocation.js';
import { FORMAT_VALIDATORS_BELOW, renderFiles } from '../../src/render/render-files.js';

const INVOCATION = describeInvocation('/project', '/project/generated', undefined);

const SPEC = {
  title: 'Hooks',
  version: '1.0.0',
  channelPath: '/hooks',
  operationId: 'receive',
  events: [],
  payloads: [],
  shapes: {},
};

async function renderedValidators(validators: string) {
  const files = await renderFiles({ spec: SPEC, models: '', validators, retired: [], invocation: INVOCATION });
  const file = files.find((candidate) => candidate.path === 'validators.ts');
  if (file === undefined) throw new Error('no validators.ts rendered');
  return file;
}

describe('layout of validators.ts', () => {
  it('leaves a usual module to the formatter', async () => {
    const file = await renderedValidators('const a = "x";\n');
    expect(file.formatted).toBeFalsy();
    expect(file.contents).not.toContain('Laid out by the generator');
  });

  it('keeps the emitter layout of a huge module, and says so in its header', async () => {
    const file = await renderedValidators(`// ${'x'.repeat(FORMAT_VALIDATORS_BELOW)}\n`);
    expect(file.formatted).toBe(true);
    expect(file.contents.split('\n').slice(0, 5).join('\n')).toContain('Laid out by the generator, not by prettier');
  });
});
