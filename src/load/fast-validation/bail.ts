/**
 * Thrown by a fast rule that meets something only the parser's own functions answer exactly (see
 * ./fast-rules.ts): Spectral stops linting, and the document is parsed again with the full rules.
 * Used where the parser's functions are not pure per target (they share one ajv instance whose
 * answers depend on the order of compiles, or throw), so handing them single targets would not do.
 */
export class Bail extends Error {
  override readonly name = 'Bail';
}
