import type { ErrorObject, ValidateFunction } from 'ajv';
import { schemaResults } from './spectral-results.js';
import type { RuleContext, RuleFunction, RuleResult } from './types.js';

/**
 * `asyncapi-document-resolved` / `asyncapi-document-unresolved` with the precompiled AsyncAPI schema.
 * Mirrors @asyncapi/parser/cjs/ruleset/functions/documentStructure.js: the resolved rule reports every
 * schema violation of the resolved document except misplaced `$ref`s; the unresolved rule reports only
 * those, on the document as written.
 */
export function documentStructure(
  validatorFor: (context: RuleContext) => ValidateFunction,
  resolved: boolean,
): RuleFunction {
  return (target, _options, context) => {
    const validateDocument = validatorFor(context);
    if (validateDocument(target)) return [];
    const errors = [...(validateDocument.errors ?? [])];
    if (resolved) prepareResults(errors);
    return filterRefErrors(schemaResults(errors, context.path, target), resolved);
  };
}

// Copied from documentStructure.js: ajv reports many errors without useful context (the branches of a
// oneOf, the `$ref` alternative of most objects); keep the meaningful ones, as the parser does.
function shouldIgnoreError(error: ErrorObject): boolean {
  return error.keyword === 'oneOf' || (error.keyword === 'required' && error.params['missingProperty'] === '$ref');
}

function prepareResults(errors: ErrorObject[]): void {
  for (let i = 0; i < errors.length; i++) {
    const error = errors[i]!;
    if (error.keyword === 'additionalProperties') {
      error.instancePath = `${error.instancePath}/${String(error.params['additionalProperty'])}`;
    } else if (error.keyword === 'required' && error.params['missingProperty'] === '$ref') {
      errors.splice(i, 1);
      i--;
    }
  }
  for (let i = 0; i < errors.length; i++) {
    const error = errors[i]!;
    if (i + 1 < errors.length && errors[i + 1]!.instancePath === error.instancePath) {
      errors.splice(i + 1, 1);
      i--;
    } else if (i > 0 && shouldIgnoreError(error) && errors[i - 1]!.instancePath.startsWith(error.instancePath)) {
      errors.splice(i, 1);
      i--;
    }
  }
}

const REF_ERROR_MESSAGE = 'Property "$ref" is not expected to be here';

function filterRefErrors(results: RuleResult[], resolved: boolean): RuleResult[] {
  if (resolved) return results.filter((result) => result.message !== REF_ERROR_MESSAGE);
  return results
    .filter((result) => result.message === REF_ERROR_MESSAGE)
    .map((result) => ({ ...result, message: 'Referencing in this place is not allowed' }));
}
