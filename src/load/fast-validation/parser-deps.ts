import { createRequire } from 'node:module';

/**
 * Loads modules from @asyncapi/parser's own dependency tree (Spectral's ajv-formats, better-ajv-errors, ...),
 * so the fast rules validate with exactly the code and versions the parser's rules use, wherever npm
 * placed them. They are the parser's dependencies, not ours: resolve them through it, never directly.
 */
const requireHere = createRequire(import.meta.url);
let requireSpectralFunctions: NodeJS.Require | undefined;

/** Modules as @stoplight/spectral-functions (the `schema` function behind the parser's rules) sees them. */
export function requireFromSpectralFunctions<T>(id: string): T {
  requireSpectralFunctions ??= createRequire(
    createRequire(requireHere.resolve('@asyncapi/parser')).resolve('@stoplight/spectral-functions'),
  );
  return requireSpectralFunctions(id) as T;
}
