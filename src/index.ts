// The library API: what `import { generate } from 'aircall-gen'` sees. The CLI is a thin layer over it.
export { DEFAULT_OUT, generate, type GenerateOptions, type GenerateResult } from './generate.js';
export { isUserError, UserError } from './errors.js';
export { EXIT_BUG, EXIT_NOT_ACCEPTED, EXIT_STALE, EXIT_USER_ERROR } from './cli/exit-codes.js';
export type { SpecDiagnostic } from './load/diagnostics.js';
export type { Action, EventChanges, Plan, PlanEntry } from './write/index.js';
