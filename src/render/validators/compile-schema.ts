/**
 * Resolved payload schemas (parser output: refs inlined, possibly cyclic) -> ModuleDef.
 * A named schema (x-parser-schema-id not `<anonymous-schema-N>`) becomes one function, shared by
 * identity and by id, which also ends cycles. Anonymous schemas are validated inline, except an
 * anonymous schema that contains itself, which gets a helper named from its owner and path.
 */

import { UserError } from '../../errors.js';
import { compareText } from '../../shared/order.js';
import { formatCheck, formatPatterns } from './formats.js';
import type { ConstantDef, FunctionDef, ModuleDef, ObjectRules, SchemaNode, SchemaRef } from './ir.js';
import {
  malformed,
  readCount,
  readNumber,
  readPrimitive,
  readProperties,
  readSchemaList,
  readString,
  readStringList,
  readTypes,
  rejectUnsupported,
  type Where,
} from './keywords.js';
import { FIXED_NAMES } from './emit-helpers.js';
import { pascalCase } from '../../model/names.js';
import { IDENTIFIER, NameScope, identifierFrom, pointerToken } from './names.js';

export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

const ANONYMOUS = /^<anonymous-schema-.*>$/;
const ID = 'x-parser-schema-id';
/** Lists this long or longer are checked through a module-level Set instead of `===` chains. */
const SET_THRESHOLD = 6;

type SchemaObject = Record<string, unknown>;

interface InProgress {
  /** The function that validates this schema, once a cycle needs one. */
  helper: string | undefined;
  owner: string;
  label: string[];
}

interface Context {
  /** Base for helper and constant names: the schema id or the event's PascalCase name. */
  owner: string;
  where: Where;
  /** Readable path segments for names: property names, `items`, `anyOf1`... */
  label: string[];
}

export function compileModule(events: readonly { name: string; schema: JsonSchema }[]): ModuleDef {
  return new SchemaCompiler().compile(events);
}

class SchemaCompiler {
  private readonly names = new NameScope(FIXED_NAMES);
  private readonly functions: FunctionDef[] = [];
  private readonly constants = new Map<string, ConstantDef>();
  /** Function names of named schemas, by id and by object; and those already compiled. */
  private readonly byId = new Map<string, string>();
  private readonly byObject = new Map<object, string>();
  private readonly compiled = new Set<string>();
  /** Anonymous schemas being compiled in the current function, and the helper name if one re-entered. */
  private inProgress = new Map<object, InProgress>();

  compile(events: readonly { name: string; schema: JsonSchema }[]): ModuleDef {
    const sorted = [...events].sort((a, b) => compareText(a.name, b.name));
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]?.name === sorted[i - 1]?.name) {
        throw new UserError(`Two messages are named '${sorted[i]?.name}'; each event needs its own name.`);
      }
    }
    for (const name of Object.keys(formatPatterns).sort(compareText)) this.names.claim(formatConstant(name));
    this.reserveNamedSchemas(sorted.map((event) => event.schema));
    const roots = new Map<object, string>();
    const dispatch = sorted.map((event) => {
      const { schema } = event;
      if (isNamed(schema)) return { name: event.name, validator: this.named(schema) };
      const known = typeof schema === 'object' ? roots.get(schema) : undefined;
      if (known !== undefined) return { name: event.name, validator: known };
      const base = `${pascalCase(event.name)}Payload`;
      const fn = this.names.claim(`validate${base}`);
      if (typeof schema === 'object') roots.set(schema, fn);
      const where = { owner: `the payload of event '${event.name}'`, pointer: '' };
      this.addFunction(fn, `the payload of one event`, schema, { owner: base, where, label: [] });
      return { name: event.name, validator: fn };
    });
    return {
      functions: [...this.functions].sort((a, b) => compareText(a.name, b.name)),
      constants: [...this.constants.values()].sort((a, b) => compareText(a.name, b.name)),
      events: dispatch,
    };
  }

  /** Claims `validate<Id>` for every named schema first, so no helper or constant can take it. */
  private reserveNamedSchemas(roots: readonly unknown[]): void {
    const ids = new Set<string>();
    const seen = new Set<object>();
    const visit = (schema: unknown): void => {
      if (typeof schema !== 'object' || schema === null || seen.has(schema)) return;
      seen.add(schema);
      if (Array.isArray(schema)) {
        for (const item of schema) visit(item);
        return;
      }
      const node = schema as SchemaObject;
      if (isNamed(node)) ids.add(node[ID] as string);
      const map = node['properties'];
      if (typeof map === 'object' && map !== null) Object.values(map).forEach(visit);
      for (const key of ['items', 'additionalProperties', 'allOf', 'anyOf', 'oneOf', 'not']) visit(node[key]);
    };
    roots.forEach(visit);
    for (const id of [...ids].sort(compareText)) this.functionName(id);
  }

  /** `validate<Id>` (or `validate<Id>2` if a fixed name such as validateEvent is taken), once per id. */
  private functionName(id: string): string {
    const known = this.byId.get(id);
    if (known !== undefined) return known;
    if (!IDENTIFIER.test(id)) {
      throw new UserError(`The schema name '${id}' is not a valid identifier, so no validator can be named after it.`, {
        location: id,
        hint: 'Rename the schema (components/schemas key or $id) to letters, digits and _ only.',
      });
    }
    const fn = this.names.claim(`validate${id}`);
    this.byId.set(id, fn);
    return fn;
  }

  /** The function of a named schema, compiled on first use. */
  private named(schema: SchemaObject): string {
    const id = schema[ID] as string;
    const existing = this.byObject.get(schema);
    if (existing !== undefined) return existing;
    const fn = this.functionName(id);
    this.byObject.set(schema, fn);
    if (this.compiled.has(fn)) return fn;
    this.compiled.add(fn);
    this.addFunction(fn, `schema ${id}`, schema, {
      owner: id,
      where: { owner: `schema '${id}'`, pointer: '' },
      label: [],
    });
    return fn;
  }

  private addFunction(name: string, doc: string, schema: unknown, context: Context): void {
    const outer = this.inProgress;
    // The schema itself is "in progress" under the function's own name, so a cycle back to it calls it.
    this.inProgress = new Map();
    if (typeof schema === 'object' && schema !== null)
      this.inProgress.set(schema, { helper: name, owner: context.owner, label: [] });
    const def: FunctionDef = { name, doc, body: emptyNode() };
    this.functions.push(def);
    def.body = this.node(schema, context);
    this.inProgress = outer;
  }

  private ref(schema: unknown, context: Context): SchemaRef {
    if (isNamed(schema)) return { call: this.named(schema) };
    if (typeof schema !== 'object' || schema === null) return this.node(schema, context);
    const open = this.inProgress.get(schema);
    if (open !== undefined) {
      // Named after where the schema was first entered, not after the path that loops back to it.
      open.helper ??= this.names.claim(`validate${identifierFrom([open.owner, ...open.label].join('_'), 'Schema')}`);
      return { call: open.helper };
    }
    const entry: InProgress = { helper: undefined, owner: context.owner, label: context.label };
    this.inProgress.set(schema, entry);
    const node = this.node(schema, context);
    this.inProgress.delete(schema);
    if (entry.helper === undefined) return node;
    this.functions.push({ name: entry.helper, doc: `part of schema ${context.owner}`, body: node });
    return { call: entry.helper };
  }

  private child(context: Context, pointer: string[], label: string): Context {
    return {
      owner: context.owner,
      where: {
        owner: context.where.owner,
        pointer: context.where.pointer + pointer.map((p) => `/${pointerToken(p)}`).join(''),
      },
      label: [...context.label, label],
    };
  }

  private constantName(prefix: string, context: Context): string {
    return this.names.claim(identifierFrom([prefix, context.owner, ...context.label].join('_'), prefix));
  }

  private node(schema: unknown, context: Context): SchemaNode {
    const node = emptyNode();
    if (schema === true) return node;
    if (schema === false) return { ...node, never: true };
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
      throw new UserError(
        `${context.where.owner} at ${context.where.pointer || '/'} is not a schema (an object or boolean).`,
      );
    }
    const s = schema as SchemaObject;
    const where = context.where;
    rejectUnsupported(s, Object.keys(s).sort(compareText), where);
    node.types = readTypes(s, where);

    if (s['enum'] !== undefined) {
      if (!Array.isArray(s['enum']) || s['enum'].length === 0)
        throw malformed('enum', where, 'a non-empty list of values');
      const values = [...new Set(s['enum'].map((value) => readPrimitive(value, 'enum', where)))];
      const setName = values.length >= SET_THRESHOLD ? this.constantName('ENUM', context) : undefined;
      if (setName !== undefined) this.constants.set(setName, { name: setName, kind: 'set', values });
      node.enum = { values, setName };
    }
    if (s['const'] !== undefined) node.const = { value: readPrimitive(s['const'], 'const', where) };

    for (const keyword of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'] as const) {
      const value = readNumber(s, keyword, where);
      if (value !== undefined) node.number[keyword] = value;
    }
    for (const keyword of ['minLength', 'maxLength'] as const) {
      const value = readCount(s, keyword, where);
      if (value !== undefined) node.string[keyword] = value;
    }
    for (const keyword of ['minItems', 'maxItems'] as const) {
      const value = readCount(s, keyword, where);
      if (value !== undefined) node.array[keyword] = value;
    }
    for (const keyword of ['minProperties', 'maxProperties'] as const) {
      const value = readCount(s, keyword, where);
      if (value !== undefined) node.object[keyword] = value;
    }

    const pattern = readString(s, 'pattern', where);
    if (pattern !== undefined) {
      try {
        new RegExp(pattern, 'u');
      } catch {
        throw malformed('pattern', where, 'a regular expression valid with the `u` flag');
      }
      const constant = this.constantName('PATTERN', context);
      this.constants.set(constant, { name: constant, kind: 'pattern', source: pattern });
      node.string.pattern = { source: pattern, constant };
    }

    const format = readString(s, 'format', where);
    const check = format === undefined ? undefined : formatCheck(format);
    if (format !== undefined && check !== undefined) {
      if (check.kind === 'pattern')
        this.constants.set(check.constant, { name: check.constant, kind: 'format', regexp: check.regexp });
      if (check.kind === 'number') node.number.format = { name: format, check };
      if (check.kind === 'pattern' || check.kind === 'helper') node.string.format = { name: format, check };
    }

    if (s['items'] !== undefined) node.array.items = this.ref(s['items'], this.child(context, ['items'], 'items'));
    node.object = this.objectRules(s, node.object, context);

    for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
      node[keyword] = readSchemaList(s, keyword, where).map((branch, i) =>
        this.ref(branch, this.child(context, [keyword, String(i)], `${keyword}${i}`)),
      );
    }
    if (s['not'] !== undefined) node.not = this.ref(s['not'], this.child(context, ['not'], 'not'));
    return node;
  }

  private objectRules(s: SchemaObject, rules: ObjectRules, context: Context): ObjectRules {
    const where = context.where;
    const required = [...new Set(readStringList(s, 'required', where))].sort(compareText);
    const map = readProperties(s, where);
    const properties = Object.keys(map)
      .sort(compareText)
      .map((name) => ({ name, schema: this.ref(map[name], this.child(context, ['properties', name], name)) }));
    const raw = s['additionalProperties'];
    let additional: ObjectRules['additional'];
    if (raw === false) additional = false;
    else if (raw !== undefined && raw !== true) {
      const ref = this.ref(raw, this.child(context, ['additionalProperties'], 'additional'));
      additional = isAlwaysValid(ref) ? undefined : ref;
    }
    let knownSetName: string | undefined;
    if (additional !== undefined && properties.length >= SET_THRESHOLD) {
      knownSetName = this.constantName('PROPERTIES', context);
      this.constants.set(knownSetName, { name: knownSetName, kind: 'set', values: properties.map((p) => p.name) });
    }
    const chunked = { ...rules, required, properties, additional, knownSetName };
    if (required.length + properties.reduce((sum, p) => sum + weightOf(p.schema), 0) <= CHUNK_WEIGHT) return chunked;
    return { ...chunked, chunks: this.chunk(required, properties, context) };
  }

  /**
   * The functions that check an object's `required` and `properties` in its place, each small
   * enough for tsc: past a few hundred checks in one function, tsc stops with TS2563 ("too large
   * for control flow analysis"). They keep the order of the checks, and so of the issues.
   */
  private chunk(required: string[], properties: ObjectRules['properties'], context: Context): ObjectRules['chunks'] {
    const functions = (kind: 'required' | 'properties', groups: ObjectRules[]): string[] =>
      groups.map((object, i) => {
        const name = this.names.claim(
          identifierFrom([`validate${context.owner}`, ...context.label, `${kind}${i + 1}`].join('_'), 'validateChunk'),
        );
        const doc = `part ${i + 1} of ${groups.length} of the ${kind === 'required' ? 'required properties' : 'properties'} of schema ${context.owner}`;
        this.functions.push({ name, doc, body: { ...emptyNode(), object } });
        return name;
      });
    const requiredGroups: ObjectRules[] = [];
    for (let i = 0; i < required.length; i += CHUNK_WEIGHT)
      requiredGroups.push({ ...emptyNode().object, required: required.slice(i, i + CHUNK_WEIGHT) });
    const propertyGroups: ObjectRules[] = [];
    let weight = CHUNK_WEIGHT;
    for (const property of properties) {
      const w = weightOf(property.schema);
      const last = propertyGroups[propertyGroups.length - 1];
      if (last === undefined || weight + w > CHUNK_WEIGHT) {
        propertyGroups.push({ ...emptyNode().object, properties: [property] });
        weight = w;
      } else {
        last.properties.push(property);
        weight += w;
      }
    }
    return { required: functions('required', requiredGroups), properties: functions('properties', propertyGroups) };
  }
}

/** How many checks one function may hold before an object's checks are split into chunk functions. */
const CHUNK_WEIGHT = 100;

/** Roughly how many checks validating `ref` inline emits (a call is one). */
function weightOf(ref: SchemaRef): number {
  if ('call' in ref) return 1;
  const chunks = ref.object.chunks;
  const objectWeight =
    chunks !== undefined
      ? chunks.required.length + chunks.properties.length
      : ref.object.required.length + ref.object.properties.reduce((sum, p) => sum + weightOf(p.schema), 0);
  const refs = [...ref.allOf, ...ref.anyOf, ...ref.oneOf];
  if (ref.not !== undefined) refs.push(ref.not);
  if (ref.array.items !== undefined) refs.push(ref.array.items);
  if (ref.object.additional !== undefined && ref.object.additional !== false) refs.push(ref.object.additional);
  return 1 + objectWeight + refs.reduce((sum, r) => sum + weightOf(r), 0);
}

function formatConstant(format: string): string {
  const check = formatCheck(format);
  if (check?.kind !== 'pattern') throw new Error(`format ${format} has no pattern`);
  return check.constant;
}

function isNamed(schema: unknown): schema is SchemaObject {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return false;
  const id = (schema as SchemaObject)[ID];
  return typeof id === 'string' && !ANONYMOUS.test(id);
}

export function emptyNode(): SchemaNode {
  return {
    never: false,
    types: undefined,
    enum: undefined,
    const: undefined,
    number: {},
    string: {},
    array: {},
    object: { required: [], properties: [], additional: undefined, knownSetName: undefined },
    allOf: [],
    anyOf: [],
    oneOf: [],
    not: undefined,
  };
}

/** True when the reference accepts every value (so nothing needs to be emitted for it). */
export function isAlwaysValid(ref: SchemaRef): boolean {
  if ('call' in ref) return false;
  const { number, string, array, object } = ref;
  return (
    !ref.never &&
    ref.types === undefined &&
    ref.enum === undefined &&
    ref.const === undefined &&
    Object.keys(number).length === 0 &&
    Object.keys(string).length === 0 &&
    array.minItems === undefined &&
    array.maxItems === undefined &&
    (array.items === undefined || isAlwaysValid(array.items)) &&
    object.required.length === 0 &&
    object.additional === undefined &&
    object.minProperties === undefined &&
    object.maxProperties === undefined &&
    object.properties.every((property) => isAlwaysValid(property.schema)) &&
    ref.allOf.every(isAlwaysValid) &&
    ref.anyOf.length === 0 &&
    ref.oneOf.length === 0 &&
    ref.not === undefined
  );
}
