import type { UserError } from '../errors.js';

/** What the user sees for a problem they can fix: what, where, and how to fix it. No stack. */
export function formatUserError(error: UserError): string {
  const lines = [`aircall-gen: error: ${error.message}`];
  if (error.location && !error.message.includes(error.location)) lines.push(`  at ${error.location}`);
  if (error.hint) lines.push(`  fix: ${error.hint}`);
  return lines.join('\n');
}
