/** SchemaNode -> the statements that validate one value inside a generated function. */

import { isAlwaysValid } from './compile-schema.js';
import type {
  ArrayRules,
  ConstRule,
  JsonType,
  NumberRules,
  ObjectRules,
  SchemaNode,
  SchemaRef,
  StringRules,
} from './ir.js';
import { IDENTIFIER, identifierFrom, jsPrimitive, jsString } from './names.js';
import type { FunctionWriter, PathExpr } from './writer.js';

type Group = 'number' | 'string' | 'array' | 'object';

const GROUP_OF: Record<JsonType, Group | undefined> = {
  null: undefined,
  boolean: undefined,
  integer: 'number',
  number: 'number',
  string: 'string',
  array: 'array',
  object: 'object',
};

/** Validates `value` (an expression) against `ref`; declares a local named after `hint` when needed. */
export function emitRef(w: FunctionWriter, ref: SchemaRef, value: string, hint: string, path: PathExpr): void {
  if ('call' in ref) {
    w.line(w.callStatement(ref.call, value, path));
    return;
  }
  if (isAlwaysValid(ref)) return;
  let local = value;
  if (!IDENTIFIER.test(value) && !ref.never) {
    local = w.locals.claim(identifierFrom(hint, 'item'));
    w.line(`const ${local} = ${value};`);
  }
  emitNode(w, ref, local, path, false);
}

/**
 * Validates the identifier `v` against `node`. At a function's root, a node with one type and
 * only keywords of that type returns early on a type mismatch, which keeps the body flat.
 */
export function emitNode(w: FunctionWriter, node: SchemaNode, v: string, path: PathExpr, root: boolean): void {
  if (node.never) {
    w.line(w.issue(path, 'boolean schema is false'));
    return;
  }
  const groups = groupsWithRules(node);
  const types = node.types;
  if (types !== undefined) {
    const allowed = new Set(types.map((type) => GROUP_OF[type]));
    const live = groups.filter((group) => allowed.has(group));
    const mismatch = typeMismatch(w, types, v);
    const message = `must be ${types.join(' or ')}`;
    const single = types.length === 1 && live.length === 1 ? live[0] : undefined;
    const onlyTyped = node.enum === undefined && node.const === undefined && !hasCombinators(node);
    if (single !== undefined && root && onlyTyped) {
      w.block(`if (${mismatch}) {`, () => {
        w.line(w.issue(path, message));
        w.line('return false;');
      });
      emitGroup(w, node, single, v, path);
    } else if (single !== undefined) {
      w.block(`if (${mismatch}) {`, () => w.line(w.issue(path, message)), null);
      w.block('} else {', () => emitGroup(w, node, single, v, path));
    } else {
      w.line(`if (${mismatch}) ${w.issue(path, message)}`);
      for (const group of live) {
        const guard =
          group === 'number' && !types.includes('number') ? typeTest(w, 'integer', v) : groupGuard(w, group, v);
        w.block(`if (${guard}) {`, () => emitGroup(w, node, group, v, path));
      }
    }
  } else {
    for (const group of groups) w.block(`if (${groupGuard(w, group, v)}) {`, () => emitGroup(w, node, group, v, path));
  }
  emitEnumAndConst(w, node, v, path);
  emitCombinators(w, node, v, path);
}

/** The condition that `v` is NOT one of `types`, written the readable way for a single type. */
function typeMismatch(w: FunctionWriter, types: readonly JsonType[], v: string): string {
  const tests = types.filter((type) => !(type === 'integer' && types.includes('number')));
  const only = tests.length === 1 ? tests[0] : undefined;
  if (only === 'null') return `${v} !== null`;
  if (only === 'boolean' || only === 'string') return `typeof ${v} !== '${only}'`;
  if (only !== undefined) return `!${typeTest(w, only, v)}`;
  return `!(${tests.map((type) => typeTest(w, type, v)).join(' || ')})`;
}

function typeTest(w: FunctionWriter, type: JsonType, v: string): string {
  switch (type) {
    case 'null':
      return `${v} === null`;
    case 'boolean':
      return `typeof ${v} === 'boolean'`;
    case 'string':
      return `typeof ${v} === 'string'`;
    case 'integer':
      return `${w.use('isInteger')}(${v})`;
    case 'number':
      return `${w.use('isNumber')}(${v})`;
    case 'array':
      return `${w.use('isArray')}(${v})`;
    case 'object':
      return `${w.use('isObject')}(${v})`;
  }
}

function groupGuard(w: FunctionWriter, group: Group, v: string): string {
  switch (group) {
    case 'number':
      return `${w.use('isNumber')}(${v})`;
    case 'string':
      return `typeof ${v} === 'string'`;
    case 'array':
      return `${w.use('isArray')}(${v})`;
    case 'object':
      return `${w.use('isObject')}(${v})`;
  }
}

function hasCombinators(node: SchemaNode): boolean {
  return node.allOf.length > 0 || node.anyOf.length > 0 || node.oneOf.length > 0 || node.not !== undefined;
}

function groupsWithRules(node: SchemaNode): Group[] {
  const groups: Group[] = [];
  if (numberChecks(node.number, node.types).length > 0) groups.push('number');
  if (hasStringRules(node.string)) groups.push('string');
  if (hasArrayRules(node.array)) groups.push('array');
  if (hasObjectRules(node.object)) groups.push('object');
  return groups;
}

function emitGroup(w: FunctionWriter, node: SchemaNode, group: Group, v: string, path: PathExpr): void {
  if (group === 'number')
    for (const [test, message] of numberChecks(node.number, node.types))
      w.line(`if (${test(v, w)}) ${w.issue(path, message)}`);
  if (group === 'string') emitString(w, node.string, v, path);
  if (group === 'array') emitArray(w, node.array, v, path);
  if (group === 'object') emitObject(w, node.object, v, path);
}

type Check = [(v: string, w: FunctionWriter) => string, string];

/** Failing conditions of the number keywords, with ajv's messages. */
function numberChecks(rules: NumberRules, types: readonly JsonType[] | undefined): Check[] {
  const checks: Check[] = [];
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf, format } = rules;
  if (minimum !== undefined) checks.push([(v) => `${v} < ${jsPrimitive(minimum)}`, `must be >= ${minimum}`]);
  if (maximum !== undefined) checks.push([(v) => `${v} > ${jsPrimitive(maximum)}`, `must be <= ${maximum}`]);
  if (exclusiveMinimum !== undefined)
    checks.push([(v) => `${v} <= ${jsPrimitive(exclusiveMinimum)}`, `must be > ${exclusiveMinimum}`]);
  if (exclusiveMaximum !== undefined)
    checks.push([(v) => `${v} >= ${jsPrimitive(exclusiveMaximum)}`, `must be < ${exclusiveMaximum}`]);
  if (multipleOf !== undefined) {
    checks.push([
      (v, w) => `!${w.use('isMultipleOf')}(${v}, ${jsPrimitive(multipleOf)})`,
      `must be multiple of ${multipleOf}`,
    ]);
  }
  if (format !== undefined && format.check.kind === 'number') {
    const { condition, impliedByInteger } = format.check;
    const implied = impliedByInteger && types?.includes('integer') && !types.includes('number');
    if (!implied) checks.push([(v) => `!(${condition.replace(/\$/g, v)})`, `must match format "${format.name}"`]);
  }
  return checks;
}

function hasStringRules(rules: StringRules): boolean {
  return (
    rules.minLength !== undefined ||
    rules.maxLength !== undefined ||
    rules.pattern !== undefined ||
    rules.format !== undefined
  );
}

function emitString(w: FunctionWriter, rules: StringRules, v: string, path: PathExpr): void {
  if (rules.minLength !== undefined) {
    w.line(
      `if (${w.use('codePointLength')}(${v}) < ${rules.minLength}) ${w.issue(path, `must NOT have fewer than ${rules.minLength} characters`)}`,
    );
  }
  if (rules.maxLength !== undefined) {
    w.line(
      `if (${w.use('codePointLength')}(${v}) > ${rules.maxLength}) ${w.issue(path, `must NOT have more than ${rules.maxLength} characters`)}`,
    );
  }
  if (rules.pattern !== undefined) {
    w.line(
      `if (!${rules.pattern.constant}.test(${v})) ${w.issue(path, `must match pattern "${rules.pattern.source}"`)}`,
    );
  }
  const format = rules.format;
  if (format !== undefined) {
    const test =
      format.check.kind === 'pattern' ? `${format.check.constant}.test(${v})` : `${w.use('isRegExpSource')}(${v})`;
    w.line(`if (!${test}) ${w.issue(path, `must match format "${format.name}"`)}`);
  }
}

function hasArrayRules(rules: ArrayRules): boolean {
  return (
    rules.minItems !== undefined ||
    rules.maxItems !== undefined ||
    (rules.items !== undefined && !isAlwaysValid(rules.items))
  );
}

function emitArray(w: FunctionWriter, rules: ArrayRules, v: string, path: PathExpr): void {
  if (rules.minItems !== undefined)
    w.line(`if (${v}.length < ${rules.minItems}) ${w.issue(path, `must NOT have fewer than ${rules.minItems} items`)}`);
  if (rules.maxItems !== undefined)
    w.line(`if (${v}.length > ${rules.maxItems}) ${w.issue(path, `must NOT have more than ${rules.maxItems} items`)}`);
  const items = rules.items;
  if (items === undefined || isAlwaysValid(items)) return;
  const i = w.locals.claim('i');
  w.block(`for (let ${i} = 0; ${i} < ${v}.length; ${i}++) {`, () =>
    emitRef(w, items, `${v}[${i}]`, 'item', path.computed(i)),
  );
}

function hasObjectRules(rules: ObjectRules): boolean {
  return (
    rules.required.length > 0 ||
    rules.additional !== undefined ||
    rules.minProperties !== undefined ||
    rules.maxProperties !== undefined ||
    rules.properties.some((property) => !isAlwaysValid(property.schema))
  );
}

function emitObject(w: FunctionWriter, rules: ObjectRules, v: string, path: PathExpr): void {
  // Reading a key first is safe (a missing key reads undefined or something inherited, never runs
  // code) and fast: one inline-cached load, then hasOwnProperty only in the rare case where the value
  // equals what Object.prototype gives for that key (see INHERITED).
  const locals = new Map<string, string>();
  const read = (name: string): string => {
    let local = locals.get(name);
    if (local === undefined) {
      local = w.locals.claim(identifierFrom(name, 'item'));
      locals.set(name, local);
      w.line(`const ${local} = ${v}[${jsString(name)}];`);
    }
    return local;
  };
  const inherited = (name: string): string => `${w.use('INHERITED')}[${jsString(name)}]`;
  const has = (name: string): string => `${w.use('has')}(${v}, ${jsString(name)})`;
  const present = (name: string, local: string): string =>
    `${local} !== undefined && (${local} !== ${inherited(name)} || ${has(name)})`;
  const missing = (name: string, local: string): string =>
    `${local} === undefined || (${local} === ${inherited(name)} && !${has(name)})`;
  const chunks = rules.chunks;
  const callChunks = (names: readonly string[]): void => {
    for (const chunk of names) w.line(w.callStatement(chunk, v, path));
  };
  if (chunks !== undefined) callChunks(chunks.required);
  else
    for (const name of rules.required)
      w.line(`if (${missing(name, read(name))}) ${w.issue(path, `must have required property '${name}'`)}`);
  if (rules.minProperties !== undefined) {
    w.line(
      `if (${w.use('countKeys')}(${v}) < ${rules.minProperties}) ${w.issue(path, `must NOT have fewer than ${rules.minProperties} properties`)}`,
    );
  }
  if (rules.maxProperties !== undefined) {
    w.line(
      `if (${w.use('countKeys')}(${v}) > ${rules.maxProperties}) ${w.issue(path, `must NOT have more than ${rules.maxProperties} properties`)}`,
    );
  }
  if (chunks !== undefined) callChunks(chunks.properties);
  for (const { name, schema } of chunks === undefined ? rules.properties : []) {
    if (isAlwaysValid(schema)) continue;
    const local = read(name);
    const guard = present(name, local);
    if ('call' in schema) w.line(w.callStatement(schema.call, local, path.property(name), guard));
    else w.block(`if (${guard}) {`, () => emitRef(w, schema, local, name, path.property(name)));
  }
  const additional = rules.additional;
  if (additional === undefined) return;
  const key = w.locals.claim('key');
  w.block(`for (const ${key} in ${v}) {`, () => {
    const known =
      rules.knownSetName !== undefined
        ? [`${rules.knownSetName}.has(${key})`]
        : rules.properties.map((property) => `${key} === ${jsString(property.name)}`);
    // Declared names first: for the usual body they settle every key without a hasOwnProperty call.
    w.line(`if (${[...known, `!${w.use('has')}(${v}, ${key})`].join(' || ')}) continue;`);
    const keyPath = path.computed(`${w.use('pointerSegment')}(${key})`);
    if (additional === false) w.line(w.issue(keyPath, 'must NOT have additional properties'));
    else emitRef(w, additional, `${v}[${key}]`, 'item', keyPath);
  });
}

/** The condition that `v` is one of the enum's values (enums are never empty). */
function enumTest(list: NonNullable<SchemaNode['enum']>, v: string): string {
  if (list.setName !== undefined) return `${list.setName}.has(${v})`;
  const tests = list.values.map((value) => `${v} === ${jsPrimitive(value)}`);
  return tests.length === 1 ? tests.join('') : `(${tests.join(' || ')})`;
}

function emitEnumAndConst(w: FunctionWriter, node: SchemaNode, v: string, path: PathExpr): void {
  if (node.enum !== undefined) {
    const [only, ...others] = node.enum.values;
    const mismatch =
      node.enum.setName === undefined && only !== undefined && others.length === 0
        ? `${v} !== ${jsPrimitive(only)}`
        : `!${enumTest(node.enum, v)}`;
    w.line(`if (${mismatch}) ${w.issue(path, 'must be equal to one of the allowed values')}`);
  }
  if (node.const !== undefined)
    w.line(`if (${constMismatch(node.const, v)}) ${w.issue(path, 'must be equal to constant')}`);
}

/** The condition that `v` breaks the `const` rule (a parameter left undefined asks for nothing). */
function constMismatch(rule: ConstRule, v: string): string {
  if ('value' in rule) return `${v} !== ${jsPrimitive(rule.value)}`;
  return rule.optional ? `${rule.param} !== undefined && ${v} !== ${rule.param}` : `${v} !== ${rule.param}`;
}

/** The condition that `v` meets the `const` rule. */
function constMatch(rule: ConstRule, v: string): string {
  if ('value' in rule) return `${v} === ${jsPrimitive(rule.value)}`;
  return rule.optional ? `(${rule.param} === undefined || ${v} === ${rule.param})` : `${v} === ${rule.param}`;
}

/** allOf keeps its branches' issues; anyOf, oneOf and not report one summary issue each. */
function emitCombinators(w: FunctionWriter, node: SchemaNode, v: string, path: PathExpr): void {
  for (const [i, branch] of node.allOf.entries()) emitRef(w, branch, v, `allOf${i}`, path);
  if (node.anyOf.length > 0) {
    truncatingBranches(w, () => {
      const matched = w.locals.claim('matched');
      const tests = node.anyOf.map((branch) => branchTest(w, branch, v, path));
      if (tests.every((test) => test !== undefined)) {
        w.line(`const ${matched} = ${tests.join(' || ')};`);
      } else {
        node.anyOf.forEach((branch, i) => {
          const test = tests[i];
          if (i === 0) w.line(`let ${matched} = ${test ?? branchFlag(w, branch, v, path)};`);
          else if (test !== undefined) w.line(`if (!${matched}) ${matched} = ${test};`);
          else w.block(`if (!${matched}) {`, () => w.line(`${matched} = ${branchFlag(w, branch, v, path)};`));
        });
      }
      return () => w.line(`if (!${matched}) ${w.issue(path, 'must match a schema in anyOf')}`);
    });
  }
  if (node.oneOf.length > 0) {
    truncatingBranches(w, () => {
      const passing = w.locals.claim('passing');
      w.line(`let ${passing} = 0;`);
      for (const branch of node.oneOf) {
        const test = branchTest(w, branch, v, path) ?? branchFlag(w, branch, v, path);
        w.line(`if (${test}) ${passing}++;`);
      }
      return () => w.line(`if (${passing} !== 1) ${w.issue(path, 'must match exactly one schema in oneOf')}`);
    });
  }
  const not = node.not;
  if (not !== undefined) {
    truncatingBranches(w, () => {
      const test = branchTest(w, not, v, path);
      const matched = test ?? branchFlag(w, not, v, path);
      // A call must be evaluated before the truncation that follows it.
      if (test === undefined || !('call' in not))
        return () => w.line(`if (${matched}) ${w.issue(path, 'must NOT be valid')}`);
      const local = w.locals.claim('matched');
      w.line(`const ${local} = ${matched};`);
      return () => w.line(`if (${local}) ${w.issue(path, 'must NOT be valid')}`);
    });
  }
}

/**
 * Emits branches (by `body`), then truncates `issues` back if any branch called a validator (which
 * pushes its own issues), then emits the summary that `body` returned.
 */
function truncatingBranches(w: FunctionWriter, body: () => () => void): void {
  const at = w.lines.length;
  const calls = w.branchCalls;
  const summary = body();
  if (w.branchCalls > calls) {
    const before = w.locals.claim('before');
    w.insert(at, `const ${before} = issues.length;`);
    // Drops what the called validators reported (setting length is not free, hence the test).
    w.line(`if (issues.length !== ${before}) issues.length = ${before};`);
  }
  summary();
}

/** A single expression telling whether `v` passes the branch, when there is one. */
function branchTest(w: FunctionWriter, branch: SchemaRef, v: string, path: PathExpr): string | undefined {
  if ('call' in branch) {
    // A value of a type the callee refuses fails it anyway: test the type inline and skip the call,
    // with the issues and paths it would build only to have them truncated (e.g. null in [ref, null]).
    const types = w.typesOf(branch.call);
    const call = w.branchCall(branch.call, v, path);
    if (types === undefined || types.length === 0) return call;
    const tests = types.filter((type) => !(type === 'integer' && types.includes('number')));
    const test = tests.map((type) => typeTest(w, type, v)).join(' || ');
    return tests.length > 1 ? `(${test}) && ${call}` : `${test} && ${call}`;
  }
  if (branch.never) return 'false';
  if (groupsWithRules(branch).length > 0 || hasCombinators(branch)) return undefined;
  const parts: string[] = [];
  if (branch.types !== undefined) {
    const tests = branch.types.filter((type) => !(type === 'integer' && branch.types?.includes('number')));
    const joined = tests.map((type) => typeTest(w, type, v)).join(' || ');
    parts.push(tests.length > 1 ? `(${joined})` : joined);
  }
  if (branch.enum !== undefined) parts.push(enumTest(branch.enum, v));
  if (branch.const !== undefined) parts.push(constMatch(branch.const, v));
  return parts.length === 0 ? 'true' : parts.join(' && ');
}

/** Emits the branch with failures recorded in a fresh flag; returns the flag's name. */
function branchFlag(w: FunctionWriter, branch: SchemaRef, v: string, path: PathExpr): string {
  const ok = w.locals.claim('ok');
  w.line(`let ${ok} = true;`);
  w.withFlag(ok, () => emitRef(w, branch, v, 'branch', path));
  return ok;
}
