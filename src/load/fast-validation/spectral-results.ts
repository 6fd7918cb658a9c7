import type { ErrorObject } from 'ajv';
import { requireFromSpectralFunctions } from './parser-deps.js';
import type { JsonPath, RuleResult } from './types.js';

type BetterAjvErrors = (
  schema: unknown,
  errors: ErrorObject[],
  options: { propertyPath: JsonPath; targetValue: unknown },
) => { error: string; path: string; suggestion?: string }[];

let betterAjvErrors: BetterAjvErrors | undefined;

/**
 * Turns ajv errors into rule results worded and placed exactly as Spectral's `schema` function does
 * (@stoplight/spectral-functions/dist/schema/index.js), using the same better-ajv-errors. Only called
 * when something is invalid, so its import never costs a valid document anything.
 */
export function schemaResults(errors: ErrorObject[], path: JsonPath, targetValue: unknown): RuleResult[] {
  betterAjvErrors ??= requireFromSpectralFunctions<BetterAjvErrors>('@stoplight/better-ajv-errors');
  const unmatched = unmatchedCombinators(errors);
  return betterAjvErrors(undefined, errors, { propertyPath: path, targetValue }).map(
    ({ suggestion, error, path: errorPath }) => ({
      message: describeCombinator(
        describeArrayItem(suggestion !== undefined ? `${error}. ${suggestion}` : error, errorPath),
        unmatched.get(errorPath),
      ),
      path: [...path, ...(errorPath !== '' ? errorPath.replace(/^\//, '').split('/') : [])],
    }),
  );
}

function describeArrayItem(message: string, errorPath: string): string {
  const index = errorPath.split('/').pop();
  if (index === undefined || !/^\d+$/.test(index)) return message;
  const typePrefix = `"${index}" property type`;
  if (message.startsWith(typePrefix)) return `Item at index ${index}${message.slice(typePrefix.length)}`;
  const prefix = `"${index}" property`;
  return message.startsWith(prefix) ? `Item at index ${index}${message.slice(prefix.length)}` : message;
}

function unmatchedCombinators(errors: ErrorObject[]): Map<string, string> {
  const unmatched = new Map<string, string>();
  for (const { keyword, instancePath, params } of errors) {
    if (
      (keyword === 'oneOf' || keyword === 'anyOf') &&
      !Array.isArray((params as { passingSchemas?: unknown }).passingSchemas)
    ) {
      unmatched.set(instancePath, keyword);
    }
  }
  return unmatched;
}

function describeCombinator(message: string, keyword: string | undefined): string {
  return keyword !== undefined && message.endsWith(` in ${keyword}`)
    ? `${message}. None of the schemas matched, see the other errors reported for this value`
    : message;
}
