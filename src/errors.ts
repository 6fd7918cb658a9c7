/**
 * A problem the user can fix (bad spec, bad flag, unwritable folder, hand-edited file).
 * The CLI prints these as a message, never as a stack, and exits with code 2.
 * Anything else that escapes is a bug in aircall-gen.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  /** Where the problem is: `file:line:col`, a JSON path, or a file path. */
  readonly location: string | undefined;
  /** The edit or command that fixes it. */
  readonly hint: string | undefined;

  constructor(message: string, options: { location?: string; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.location = options.location;
    this.hint = options.hint;
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
