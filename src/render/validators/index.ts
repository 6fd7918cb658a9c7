/**
 * Ahead-of-time validators: the payload schemas of the events -> one readable TypeScript module
 * (validators.ts in the generated project) with no runtime dependency.
 *
 * Semantics follow ajv (draft-07, `strict: false`, `allErrors: true`, `ownProperties: true`) with
 * ajv-formats' fast formats, for the keywords listed in keywords.ts; other validation keywords
 * are rejected with a UserError rather than silently ignored.
 */

import { UserError } from '../../errors.js';
import { compileModule, type JsonSchema } from './compile-schema.js';
import { emitModule } from './emit.js';

export type { JsonSchema } from './compile-schema.js';

export interface ValidatorInput {
  /**
   * One entry per event. `name` is the event literal (e.g. `call.created`); `schema` is the message
   * payload as resolved by @asyncapi/parser (`message.payload().json()`): refs inlined, every node
   * tagged with `x-parser-schema-id`, possibly cyclic by object identity.
   */
  events: { name: string; schema: JsonSchema }[];
}

/** The TypeScript source of validators.ts, from its imports on (the caller adds the header). */
export function renderValidatorsModule(input: ValidatorInput): string {
  if (input.events.length === 0) {
    throw new UserError('The document has no messages, so there is nothing to validate.', {
      hint: 'Add at least one message to the receive operation.',
    });
  }
  return emitModule(compileModule(input.events));
}
