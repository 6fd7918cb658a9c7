/**
 * The slice of Spectral's rule-function contract the fast rules use (see
 * @stoplight/spectral-core/dist/runner/lintNode.js): a function gets the matched value, the rule's
 * options and a context, and returns results whose `path` is in the resolved document. Spectral then
 * maps each path to a source range (through $refs), formats `{{error}}` messages and applies severity,
 * exactly as for the parser's own functions.
 */
export type JsonPath = (string | number)[];

export interface RuleResult {
  message: string;
  path?: JsonPath;
}

export interface RuleContext {
  path: JsonPath;
  document: { data: unknown };
  documentInventory: { resolved: unknown; document: { data: unknown } };
  rule: { resolved: boolean };
}

export type RuleOutput = RuleResult[] | undefined | Promise<RuleResult[] | undefined>;

export type RuleFunction = (target: unknown, options: unknown, context: RuleContext) => RuleOutput;

export type JsonObject = Record<string, unknown>;

/** What JSON Schema's `type: object` accepts (the input check of Spectral's createRulesetFunction). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
