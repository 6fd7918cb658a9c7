/** ModuleDef -> the TypeScript source of validators.ts. */

import { isAlwaysValid } from './compile-schema.js';
import { FIXED_NAMES, helperSources, type HelperName } from './emit-helpers.js';
import { emitNode } from './emit-schema.js';
import { FunctionWriter, PathExpr } from './writer.js';
import type { ConstantDef, FunctionDef, JsonType, ModuleDef } from './ir.js';
import { NameScope, jsPrimitive, jsString } from './names.js';
import { MAX_DEPTH, recursiveCycles } from './recursion.js';
import { shareCommonShapes } from './shared-shapes.js';

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

const TOO_DEEP = `must NOT be nested more than ${MAX_DEPTH} levels deep`;

const MAX_DEPTH_SOURCE = `/**
 * How many levels of a recursive schema a body may nest. Deeper bodies fail validation (never a
 * stack overflow): no real webhook comes near, and a hostile one is refused cheaply.
 */
const MAX_DEPTH = ${MAX_DEPTH};`;

export function emitModule(compiled: ModuleDef): string {
  const cycles = recursiveCycles(compiled);
  const sizing = moduleContext(compiled, cycles, new Set());
  const linesOf = (fn: FunctionDef): number => emitFunction(fn, sizing).split('\n').length;
  // Functions on a cycle keep their own bodies, so the depth they count stays theirs.
  const def = shareCommonShapes(compiled, { exclude: new Set(cycles.keys()), linesOf });
  const helpers = new Set<HelperName>(['has']);
  const context = moduleContext(def, cycles, helpers);
  const functions = def.functions.map((fn) => emitFunction(fn, context));
  const dispatch = def.events.map(({ name, validator }) => {
    // A plain `"__proto__": x` in an object literal would set the prototype instead of a key.
    const key = name === '__proto__' ? `[${jsString(name)}]` : jsString(name);
    return `  ${key}: ${validator},`;
  });
  const sections = [PREAMBLE];
  if (cycles.size > 0) sections.push(MAX_DEPTH_SOURCE);
  sections.push(
    [
      '/** The validator of each event, by event name. */',
      'const validators: { readonly [E in EventName]: Validator } = {',
      ...dispatch,
      '};',
    ].join('\n'),
    VALIDATE_EVENT,
    '// One validator per named schema, sorted by name. Each returns true when it added no issue.',
    ...functions,
  );
  if (def.constants.length > 0)
    sections.push('// Compiled once, when the module loads.', def.constants.map(emitConstant).join('\n'));
  sections.push('// Helpers.', ...helperSources(helpers));
  return `${sections.join('\n\n')}\n`;
}

/** What every function of one module is emitted with. */
interface ModuleContext {
  moduleNames: readonly string[];
  helpers: Set<HelperName>;
  /** The `type` of each function's schema, by function name (undefined: any type). */
  rootTypes: ReadonlyMap<string, readonly JsonType[] | undefined>;
  cycles: ReadonlyMap<string, ReadonlySet<string>>;
}

function moduleContext(
  def: ModuleDef,
  cycles: ReadonlyMap<string, ReadonlySet<string>>,
  helpers: Set<HelperName>,
): ModuleContext {
  return {
    moduleNames: [
      ...def.functions.map((fn) => fn.name),
      ...def.constants.map((constant) => constant.name),
      ...FIXED_NAMES,
    ],
    helpers,
    rootTypes: new Map(def.functions.map((fn) => [fn.name, fn.body.never ? undefined : fn.body.types])),
    cycles,
  };
}

function emitFunction(fn: FunctionDef, context: ModuleContext): string {
  const cycle = context.cycles.get(fn.name);
  const params = ['value: unknown', 'path: string', 'issues: ValidationIssue[]'];
  for (const param of fn.params ?? []) params.push(`${param.name}: ${param.type}`);
  if (cycle !== undefined) params.push('depth = 0');
  const signature = `function ${fn.name}(${params.join(', ')}): boolean {`;
  const doc = `/** Validates ${fn.doc}. */`;
  if (fn.delegate !== undefined) {
    const args = ['value', 'path', 'issues', ...fn.delegate.args].join(', ');
    return [doc, signature, `  return ${fn.delegate.to}(${args});`, '}'].join('\n');
  }
  if (isAlwaysValid(fn.body)) return [doc, signature, '  return true;', '}'].join('\n');
  const paramNames = (fn.params ?? []).map((param) => param.name);
  const locals = new NameScope([...context.moduleNames, 'value', 'path', 'issues', 'start', 'depth', ...paramNames]);
  const w = new FunctionWriter(locals, context.helpers, context.rootTypes, cycle);
  if (cycle !== undefined) {
    w.block('if (depth >= MAX_DEPTH) {', () => {
      w.line(`issues.push({ path, message: ${jsString(TOO_DEEP)} });`);
      w.line('return false;');
    });
  }
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
