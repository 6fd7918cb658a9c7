/** ModuleDef -> the TypeScript source of validators.ts (unformatted; prettier runs later). */

import { isAlwaysValid } from './compile-schema.js';
import { FIXED_NAMES, helperSources, type HelperName } from './emit-helpers.js';
import { emitNode } from './emit-schema.js';
import { FunctionWriter, PathExpr } from './writer.js';
import type { ConstantDef, FunctionDef, JsonType, ModuleDef } from './ir.js';
import { NameScope, jsPrimitive, jsString } from './names.js';

const PREAMBLE = `import type { EventName } from './events.js';

export interface ValidationIssue {
  /** JSON Pointer to the offending value, '' for the body itself. */
  path: string;
  message: string;
}

type Validator = (value: unknown, path: string, issues: ValidationIssue[]) => boolean;`;

const VALIDATE_EVENT = `/** Checks \`body\` against the payload schema of \`event\`. Returns null when it conforms, otherwise every problem found. */
export function validateEvent(event: EventName, body: unknown): ValidationIssue[] | null {
  if (!has(validators, event)) return [{ path: '', message: 'must be a known event' }];
  const issues: ValidationIssue[] = [];
  return validators[event](body, '', issues) ? null : issues;
}`;

export function emitModule(def: ModuleDef): string {
  const helpers = new Set<HelperName>(['has']);
  const moduleNames = [
    ...def.functions.map((fn) => fn.name),
    ...def.constants.map((constant) => constant.name),
    ...FIXED_NAMES,
  ];
  const rootTypes = new Map(def.functions.map((fn) => [fn.name, fn.body.never ? undefined : fn.body.types]));
  const functions = def.functions.map((fn) => emitFunction(fn, moduleNames, helpers, rootTypes));
  const dispatch = def.events.map(({ name, validator }) => {
    // A plain `"__proto__": x` in an object literal would set the prototype instead of a key.
    const key = name === '__proto__' ? `[${jsString(name)}]` : jsString(name);
    return `  ${key}: ${validator},`;
  });
  const sections = [
    PREAMBLE,
    [
      '/** The validator of each event, by event name. */',
      'const validators: { readonly [E in EventName]: Validator } = {',
      ...dispatch,
      '};',
    ].join('\n'),
    VALIDATE_EVENT,
    '// One validator per named schema, sorted by name. Each returns true when it added no issue.',
    ...functions,
  ];
  if (def.constants.length > 0)
    sections.push('// Compiled once, when the module loads.', def.constants.map(emitConstant).join('\n'));
  sections.push('// Helpers.', ...helperSources(helpers));
  return `${sections.join('\n\n')}\n`;
}

function emitFunction(
  fn: FunctionDef,
  moduleNames: readonly string[],
  helpers: Set<HelperName>,
  rootTypes: ReadonlyMap<string, readonly JsonType[] | undefined>,
): string {
  const signature = `function ${fn.name}(value: unknown, path: string, issues: ValidationIssue[]): boolean {`;
  const doc = `/** Validates ${fn.doc}. */`;
  if (isAlwaysValid(fn.body)) return [doc, signature, '  return true;', '}'].join('\n');
  const w = new FunctionWriter(new NameScope([...moduleNames, 'value', 'path', 'issues', 'start']), helpers, rootTypes);
  w.line('const start = issues.length;');
  emitNode(w, fn.body, 'value', PathExpr.param(), true);
  w.line('return issues.length === start;');
  return [doc, signature, ...w.lines, '}'].join('\n');
}

function emitConstant(constant: ConstantDef): string {
  switch (constant.kind) {
    case 'set':
      return `const ${constant.name}: ReadonlySet<unknown> = new Set<unknown>([${constant.values.map(jsPrimitive).join(', ')}]);`;
    case 'pattern':
      return `const ${constant.name} = new RegExp(${jsString(constant.source)}, 'u');`;
    case 'format':
      return `const ${constant.name} = /${constant.regexp.source}/${constant.regexp.flags};`;
  }
}
