/** What the schema compiler hands to the emitter: plain data, names already chosen. */

import type { FormatCheck } from './formats.js';

export type JsonType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';
export type Primitive = string | number | boolean | null;

/** A subschema: either a call to a generated function or a node validated inline. */
export type SchemaRef = { call: string } | SchemaNode;

export interface SchemaNode {
  /** `false` schema: nothing is valid. */
  never: boolean;
  /** Allowed types after `nullable`, in schema order; undefined when `type` is absent. */
  types: JsonType[] | undefined;
  /** `enum`: the allowed values and, for long lists, the module-level Set holding them. */
  enum: { values: Primitive[]; setName: string | undefined } | undefined;
  const: ConstRule | undefined;
  number: NumberRules;
  string: StringRules;
  array: ArrayRules;
  object: ObjectRules;
  allOf: SchemaRef[];
  anyOf: SchemaRef[];
  oneOf: SchemaRef[];
  not: SchemaRef | undefined;
}

/**
 * `const`: a value, or (in a function shared by schemas of one shape) a parameter holding each
 * schema's value; `optional` when some of those schemas have no `const` there (the argument is
 * then undefined).
 */
export type ConstRule = { value: Primitive } | { param: string; optional: boolean };

export interface NumberRules {
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  format?: { name: string; check: FormatCheck };
}

export interface StringRules {
  minLength?: number;
  maxLength?: number;
  /** `pattern`: the spec's source and the module-level RegExp compiled from it. */
  pattern?: { source: string; constant: string };
  format?: { name: string; check: FormatCheck };
}

export interface ArrayRules {
  minItems?: number;
  maxItems?: number;
  items?: SchemaRef;
}

export interface ObjectRules {
  /** Sorted, without duplicates. */
  required: string[];
  /** Sorted by name; always-valid property schemas are kept (they matter to additionalProperties). */
  properties: { name: string; schema: SchemaRef }[];
  /** undefined = any extra property is fine. */
  additional: false | SchemaRef | undefined;
  /**
   * Functions that check `required` and `properties` instead of this node, in order, when there are
   * too many for one function (tsc gives up on control flow analysis of very long functions).
   */
  chunks?: { required: string[]; properties: string[] };
  /** Module-level Set of the declared property names, when there are many of them. */
  knownSetName: string | undefined;
  minProperties?: number;
  maxProperties?: number;
}

export interface FunctionDef {
  name: string;
  /** Safe text for the doc comment (identifiers and fixed words only). */
  doc: string;
  body: SchemaNode;
  /** Extra parameters after (value, path, issues): set on a function shared by schemas of one shape. */
  params?: { name: string; type: string }[];
  /** Set when this schema's checks are a shared function's, called with these arguments (code). */
  delegate?: { to: string; args: string[] };
}

export type ConstantDef =
  | { name: string; kind: 'set'; values: Primitive[] }
  | { name: string; kind: 'pattern'; source: string }
  | { name: string; kind: 'format'; regexp: RegExp };

export interface ModuleDef {
  /** Sorted by name. */
  functions: FunctionDef[];
  /** Sorted by name. */
  constants: ConstantDef[];
  /** Sorted by event name. */
  events: { name: string; validator: string }[];
}
