/** The small module-level helpers a generated validators module may use; only the used ones are emitted. */

export type HelperName =
  | 'has'
  | 'INHERITED'
  | 'isObject'
  | 'isArray'
  | 'isNumber'
  | 'isInteger'
  | 'codePointLength'
  | 'countKeys'
  | 'pointerSegment'
  | 'isMultipleOf'
  | 'isRegExpSource';

/** Helper sources, in the order they are emitted, with the helpers each one needs. */
const HELPERS: { name: HelperName; needs: HelperName[]; source: string }[] = [
  {
    name: 'has',
    needs: [],
    source: `const hasOwnProperty = Object.prototype.hasOwnProperty;

/** Own properties only: \`__proto__\`, \`constructor\` and friends are data like any other key. */
function has(object: object, key: string): boolean {
  return hasOwnProperty.call(object, key);
}`,
  },
  {
    name: 'INHERITED',
    needs: ['has'],
    source: `/**
 * What an object without a given own key reads for it: undefined, unless Object.prototype has the key
 * (\`constructor\`, \`__proto__\`, or a polluted prototype). A value read from a JSON object is its own
 * when it is not undefined and not this one; only when the two are the same does \`has\` have to decide.
 */
const INHERITED: Readonly<Record<string, unknown>> = {};`,
  },
  {
    name: 'isObject',
    needs: [],
    source: `function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}`,
  },
  {
    name: 'isArray',
    needs: [],
    source: `function isArray(value: unknown): value is readonly unknown[] {
  return Array.isArray(value);
}`,
  },
  {
    name: 'isNumber',
    needs: [],
    source: `/** JSON Schema numbers are finite (JSON.parse turns 1e400 into Infinity). */
function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}`,
  },
  {
    name: 'isInteger',
    needs: [],
    source: `function isInteger(value: unknown): value is number {
  return Number.isInteger(value);
}`,
  },
  {
    name: 'codePointLength',
    needs: [],
    source: `/** String length in code points, as JSON Schema counts it (a surrogate pair is one character). */
function codePointLength(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
    length++;
  }
  return length;
}`,
  },
  {
    name: 'countKeys',
    needs: ['has'],
    source: `function countKeys(object: object): number {
  let count = 0;
  for (const key in object) if (has(object, key)) count++;
  return count;
}`,
  },
  {
    name: 'pointerSegment',
    needs: [],
    source: `const TILDE = /~/g;
const SLASH = /\\//g;

/** Escapes a property name for a JSON Pointer (RFC 6901). */
function pointerSegment(key: string): string {
  return key.replace(TILDE, '~0').replace(SLASH, '~1');
}`,
  },
  {
    name: 'isMultipleOf',
    needs: [],
    source: `/** The same test as ajv: the quotient must be an integer. */
function isMultipleOf(value: number, divisor: number): boolean {
  const quotient = value / divisor;
  return quotient === parseInt(String(quotient), 10);
}`,
  },
  {
    name: 'isRegExpSource',
    needs: [],
    source: `const Z_ANCHOR = /[^\\\\]\\\\Z/;

/** format "regex": the text must compile as a RegExp (the only check that builds one per call). */
function isRegExpSource(text: string): boolean {
  if (Z_ANCHOR.test(text)) return false;
  try {
    new RegExp(text);
    return true;
  } catch {
    return false;
  }
}`,
  },
];

/** Every name a helper defines, reserved so that no validator, constant or local can shadow it. */
export const HELPER_NAMES: readonly string[] = [
  ...HELPERS.map((helper) => helper.name),
  'hasOwnProperty',
  'TILDE',
  'SLASH',
  'Z_ANCHOR',
];

/** Every module-level name that is not a validator or constant: helpers plus the fixed API. */
export const FIXED_NAMES: readonly string[] = [
  ...HELPER_NAMES,
  'validateEvent',
  'validators',
  'MAX_DEPTH',
  'ValidationIssue',
  'EventName',
  'Validator',
];

/** The sources of the used helpers (and what they need), in a fixed order. */
export function helperSources(used: ReadonlySet<HelperName>): string[] {
  const wanted = new Set<HelperName>();
  const add = (name: HelperName): void => {
    if (wanted.has(name)) return;
    wanted.add(name);
    HELPERS.find((helper) => helper.name === name)?.needs.forEach(add);
  };
  used.forEach(add);
  return HELPERS.filter((helper) => wanted.has(helper.name)).map((helper) => helper.source);
}
