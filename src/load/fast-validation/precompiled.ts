import type { ValidateFunction } from 'ajv';

/** The AsyncAPI version whose JSON Schema `npm run build` precompiles (scripts/build-fast-validation.mjs). */
export const PRECOMPILED_VERSION = '2.6.0';

export interface PrecompiledValidators {
  /** The whole document, as `asyncapi-document-resolved` / `-unresolved` check it. */
  validateDocument: ValidateFunction;
  /** One Schema Object (a message payload), as the `asyncapi2-schemas` rule checks it. */
  validateSchemaObject: ValidateFunction;
  /** A JSON Schema against the draft-07 meta-schema, as ajv checks each schema it compiles for Spectral. */
  validateJsonSchema: ValidateFunction;
}

export interface PrecompiledModule extends PrecompiledValidators {
  /**
   * Validators that remember which objects they accepted, so the many references to one shared object
   * of a resolved document are checked once. Use one pair per document, which must not change meanwhile.
   */
  createValidators(): PrecompiledValidators;
}

// Resolves to dist/load/fast-validation/ from both dist/load/fast-validation/*.js and
// src/load/fast-validation/*.ts (tests), so tests use the built module.
const MODULE_URL = new URL(
  `../../../dist/load/fast-validation/asyncapi-${PRECOMPILED_VERSION}-validator.js`,
  import.meta.url,
);

/**
 * The build-time validators, or undefined when they were not built (e.g. running from a fresh checkout
 * without `npm run build`): callers then keep the parser's own, slower, rules.
 */
export async function loadPrecompiledValidators(): Promise<PrecompiledModule | undefined> {
  try {
    return (await import(MODULE_URL.href)) as PrecompiledModule;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}
