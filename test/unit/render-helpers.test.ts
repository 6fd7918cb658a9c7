import { describe, expect, it } from 'vitest';
import { helpers } from '../../src/render/helpers.js';
import { splitUnion, tidyUnion } from '../../src/render/models.js';

describe('string literal helper', () => {
  it.each([
    ['call.created', '"call.created"'],
    ['it\'s "quoted"', '"it\'s \\"quoted\\""'],
    ['line\u2028sep', '"line\\u2028sep"'],
    ['`${x}`', '"`${x}`"'],
    ['c1\u009b bidi\u202e\u2066', '"c1\\u009b bidi\\u202e\\u2066"'],
    ['nul\u0000', '"nul\\u0000"'],
  ])('%j', (given, want) => {
    const literal = helpers.str(given);
    expect(literal).toBe(want);
    // Whatever went in comes back out when the literal is evaluated: nothing escapes the string.
    expect(new Function(`return ${literal};`)()).toBe(given);
  });
});

describe('comment helpers', () => {
  it('doc joins lines and neutralises terminators', () => {
    expect(helpers.doc('a */ b\n  c')).toBe('a *\\/ b c');
  });
  it('docBlock prefixes every line', () => {
    expect(helpers.docBlock('one\n\ntwo')).toBe(' * one\n *\n * two');
  });
  it('cell escapes pipes and newlines for markdown tables', () => {
    expect(helpers.cell('a | b\nc')).toBe('a \\| b c');
  });
  it('doc and cell drop control characters, and a lone CR cannot end a line comment', () => {
    expect(helpers.doc('t\rglobalThis.x = 1')).toBe('t globalThis.x = 1');
    expect(helpers.cell('esc\u001b[2J nul\u0000 \u202eright')).toBe('esc [2J nul   right');
  });
});

describe('union tidying', () => {
  it.each([
    ['string | null | number | null | null', 'string | number | null'],
    ['string', 'string'],
    ['null | string', 'string | null'],
    ['Record<string, A | B> | null', 'Record<string, A | B> | null'],
    ['(A | B)[] | A', '(A | B)[] | A'],
  ])('%s -> %s', (given, want) => expect(tidyUnion(given)).toBe(want));

  it('splits only at the top level', () => {
    expect(splitUnion('Map<A | B, C> | { x: D | E } | F')).toEqual(['Map<A | B, C>', '{ x: D | E }', 'F']);
  });
});
