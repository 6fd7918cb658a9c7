#!/usr/bin/env node
/**
 * Build step: precompiles the AsyncAPI 2.6.0 JSON Schema (from @asyncapi/specs), and the draft-07
 * meta-schema it uses, into a standalone ajv module, so validating a document at run time costs
 * milliseconds instead of compiling the schema (~0.5 s) every run. Run by `npm run build` after tsc; writes
 * dist/load/fast-validation/asyncapi-2.6.0-validator.js, which src/load/fast-validation/precompiled.ts loads.
 *
 * The validators must report exactly what @asyncapi/parser's rules report, so this mirrors the
 * parser's own setup: the schema is prepared like `asyncapi-document-resolved` prepares it
 * (ruleset/functions/documentStructure.js) and compiled with the ajv options, formats and plugins of
 * Spectral's `schema` function (@stoplight/spectral-functions/dist/schema/ajv.js), all resolved
 * through the parser's own dependency tree so versions match what the parser runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION = '2.6.0';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'load', 'fast-validation', `asyncapi-${VERSION}-validator.js`);

const requireHere = createRequire(import.meta.url);
const requireParser = createRequire(requireHere.resolve('@asyncapi/parser'));
const requireSpectral = createRequire(requireParser.resolve('@stoplight/spectral-functions'));

const specs = requireParser('@asyncapi/specs');
const Ajv = requireSpectral('ajv').default;
const standaloneCode = requireSpectral('ajv/dist/standalone').default;
const addFormats = requireSpectral('ajv-formats');
const ajvErrors = requireSpectral('ajv-errors');
const draft4MetaSchema = requireSpectral('./schema/draft4.json');
const draft6MetaSchema = requireSpectral('ajv/dist/refs/json-schema-draft-06.json');

/**
 * A resolved document repeats every `$ref` target wherever it is used (the bundled spec's 180 KB become
 * 2.6 MB), but as one shared object. Every generated validate function is wrapped so that, inside one
 * scope (`createValidators()`, one per parsed document, whose objects do not change while it is
 * checked), an object it has already accepted is accepted again without re-walking it. Validity
 * depends only on the data and the schema here (no $data, defaults, coercion or removal), failures are
 * never cached, so the errors reported are the same.
 */
function memoize(source) {
  const signature =
    /function (validate\d+)\(data, \{instancePath="", parentData, parentDataProperty, rootData=data\}=\{\}\)\{/g;
  let wrapped = 0;
  const body = source.replace(signature, (declaration, name) => {
    wrapped++;
    return `function ${name}(data, options){return memoized(${name}_impl, ${name}, data, options);}\n${declaration.replace(name, `${name}_impl`)}`;
  });
  const declared = (source.match(/function validate\d+\(/g) ?? []).length;
  if (wrapped === 0 || wrapped !== declared)
    throw new Error(`ajv's standalone output changed shape: wrapped ${wrapped} of ${declared} functions`);
  return `${body}
let memo = null;
function memoized(impl, validate, data, options) {
  if (memo === null || typeof data !== 'object' || data === null) return impl(data, options);
  let accepted = memo.get(data);
  if (accepted !== undefined && accepted.has(validate)) {
    validate.errors = null;
    return true;
  }
  const valid = impl(data, options);
  if (valid) {
    if (accepted === undefined) memo.set(data, (accepted = new Set()));
    accepted.add(validate);
  }
  return valid;
}
function scoped(validate, scope) {
  const scopedValidate = (data) => {
    const outer = memo;
    memo = scope;
    try {
      const valid = validate(data);
      scopedValidate.errors = validate.errors;
      return valid;
    } finally {
      memo = outer;
    }
  };
  return scopedValidate;
}
/** Validators sharing one memo of accepted objects: use one pair per document, and do not change it meanwhile. */
export function createValidators() {
  const scope = new WeakMap();
  return {
    validateDocument: scoped(validateDocument, scope),
    validateSchemaObject: scoped(validateSchemaObject, scope),
    validateJsonSchema: scoped(validateJsonSchema, scope),
  };
}
`;
}

/**
 * The generated code requires `ajv-formats/dist/formats` from dist/, i.e. this project's ajv-formats,
 * while the parser validates with its own copy (another major version). Fail the build if any format
 * the schema uses is implemented differently in the two.
 */
function assertSameFormats(schema) {
  const used = new Set();
  JSON.stringify(schema, (key, value) => {
    if (key === 'format' && typeof value === 'string') used.add(value);
    return value;
  });
  const theirs = requireSpectral('ajv-formats/dist/formats').fullFormats;
  const ours = requireHere('ajv-formats/dist/formats').fullFormats;
  const source = (format) =>
    JSON.stringify(format, (_, value) =>
      typeof value === 'function' || value instanceof RegExp ? String(value) : value,
    );
  for (const name of used) {
    if (source(theirs[name]) !== source(ours[name])) {
      throw new Error(
        `ajv-formats differ on "${name}" between the parser's copy and this project's; pin a matching ajv-formats.`,
      );
    }
  }
}

/** As documentStructure.getSerializedSchema(version, resolved) prepares it (the $id aside). */
function documentSchema(version) {
  const copied = JSON.parse(JSON.stringify(specs.schemas[version]));
  delete copied.definitions['http://json-schema.org/draft-07/schema'];
  delete copied.definitions['http://json-schema.org/draft-04/schema'];
  const referenceObject = copied.definitions[`http://asyncapi.com/definitions/${version}/ReferenceObject.json`];
  if (referenceObject?.format === 'uri-reference') delete referenceObject.format;
  return copied;
}

// Spectral's createAjvInstance(Ajv, allErrors = true); the parser's AsyncAPISchemaParser uses the same
// options, formats and ajv-errors (minus the extra meta-schemas, which the Schema Object never references).
const ajv = new Ajv({
  allErrors: true,
  meta: true,
  messages: true,
  strict: false,
  allowUnionTypes: true,
  unicodeRegExp: false,
  logger: false,
  code: { source: true, esm: true, lines: false },
});
addFormats(ajv);
ajvErrors(ajv);
ajv.addSchema(draft4MetaSchema);
ajv.addSchema(draft6MetaSchema);

const schema = documentSchema(VERSION);
ajv.addSchema(schema);
const code = standaloneCode(ajv, {
  validateDocument: schema.$id,
  validateSchemaObject: `http://asyncapi.com/definitions/${VERSION}/schema.json`,
  // The draft-07 meta-schema, as ajv checks each schema it compiles for Spectral's `schema` function.
  validateJsonSchema: 'http://json-schema.org/draft-07/schema',
});

assertSameFormats(schema);

mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `// Generated by scripts/build-fast-validation.mjs from @asyncapi/specs ${requireParser('@asyncapi/specs/package.json').version} (AsyncAPI ${VERSION}). Do not edit.\n` +
    // ajv's standalone ESM output still calls require() for its runtime helpers and formats.
    `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n` +
    memoize(code.replace(/^"use strict";/, '')),
);
console.log(`wrote ${out.slice(root.length + 1)} (${Math.round(code.length / 1024)} KB)`);
