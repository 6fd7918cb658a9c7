/** The format checks are ajv-formats' fast-mode checks, byte for byte. */

import { fastFormats } from 'ajv-formats/dist/formats.js';
import { describe, expect, it } from 'vitest';
import { formatCheck, formatPatterns } from '../../src/render/validators/formats.js';

describe('formats', () => {
  it('uses the same regular expressions as ajv-formats fast mode', () => {
    for (const [name, regexp] of Object.entries(formatPatterns)) {
      if (name === 'byte') continue; // a function there (a /gm RegExp behind a lastIndex reset): compared below
      const theirs = (fastFormats as Record<string, unknown>)[name];
      const reference = theirs instanceof RegExp ? theirs : (theirs as { validate?: unknown } | undefined)?.validate;
      expect(reference, name).toBeInstanceOf(RegExp);
      const { source, flags } = reference as RegExp;
      expect(regexp.source, name).toBe(source);
      expect(regexp.flags, name).toBe(flags.replace('g', ''));
    }
  });

  it('checks byte like ajv-formats', () => {
    const theirs = fastFormats.byte as unknown as (text: string) => boolean;
    const samples = ['', 'aGk=', 'aGk', 'aGVsbG8=', 'a\naGk=', 'aGk=\n', '!!!!', 'aGVsbA==', 'aGVsbA=', 'ab\ncd'];
    for (const sample of samples) expect(formatPatterns['byte']?.test(sample), sample).toBe(theirs(sample));
  });

  it('covers every format ajv-formats knows', () => {
    const unknown = Object.keys(fastFormats).filter((name) => formatCheck(name) === undefined);
    expect(unknown).toEqual([]);
    expect(formatCheck('phone')).toBeUndefined();
  });
});
