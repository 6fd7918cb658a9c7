// Stand-in for the generated validators.ts, so runtime/ type-checks where it is written (tsconfig.runtime.json).
// Never copied into output: the generator emits one validator per named schema of the spec.
import type { EventName } from './events.js';

export interface ValidationIssue {
  /** JSON Pointer to the offending value, '' for the body itself. */
  path: string;
  message: string;
}

/** Accepts any object body: the stand-in only has to have the real module's signature. */
export function validateEvent(event: EventName, body: unknown): ValidationIssue[] | null {
  if (typeof body === 'object' && body !== null) return null;
  return [{ path: '', message: `${event}: must be object` }];
}
