/**
 * Safe pieces of generated source: string literals and identifiers.
 * Nothing from the spec reaches the output except through `jsString` (inside a string literal)
 * or `identifierFrom` (reduced to [A-Za-z0-9_]); spec text never goes into a comment.
 */

import { stringLiteral } from '../../model/names.js';

/**
 * A double-quoted JS string literal for any text: quotes, backslashes, control characters, lone
 * surrogates, line separators and bidi marks escaped (see stringLiteral), so the literal stays on
 * one line and reads as it runs.
 */
export function jsString(text: string): string {
  return stringLiteral(text);
}

/** A JS literal for a JSON primitive (numbers are finite: keyword readers reject anything else). */
export function jsPrimitive(value: string | number | boolean | null): string {
  if (typeof value === 'string') return jsString(value);
  if (typeof value === 'number') return Object.is(value, -0) ? '0' : String(value);
  return String(value);
}

export const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'yield let static implements interface package private protected public await arguments eval undefined NaN ' +
    'Infinity Object Array Number String Boolean Set RegExp Math JSON Symbol Error'
  ).split(' '),
);

/** A readable identifier made from arbitrary text: other characters become `_`. Never empty. */
export function identifierFrom(text: string, fallback: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_]/g, '_').replace(/_+/g, '_');
  if (cleaned === '' || cleaned === '_') return fallback;
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
}

/** Hands out unique identifiers within one scope: `name`, then `name2`, `name3`... */
export class NameScope {
  private readonly taken: Set<string>;

  constructor(reserved: Iterable<string> = []) {
    this.taken = new Set([...RESERVED, ...reserved]);
  }

  /** A new scope that starts with every name taken here, plus `extra`. */
  fork(extra: Iterable<string> = []): NameScope {
    return new NameScope([...this.taken, ...extra]);
  }

  claim(wanted: string): string {
    let name = wanted;
    for (let n = 2; this.taken.has(name); n++) name = `${wanted}${n}`;
    this.taken.add(name);
    return name;
  }
}

/** JSON Pointer escaping of one reference token (RFC 6901). */
export function pointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
