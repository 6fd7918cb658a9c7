/** Every exit code the CLI returns, in one place (the help text lists them too). */

/** Exit code 1 from `--check`: generated files are stale or missing. */
export const EXIT_STALE = 1;

/** Exit code 1 from `send` / `replay`: some deliveries were not handled (quarantined, unknown, rejected, or no 2xx). */
export const EXIT_NOT_ACCEPTED = 1;

/** Exit code 2: a problem the user can fix (bad spec, flag, config or folder; a spec with errors). */
export const EXIT_USER_ERROR = 2;

/** Exit code 70: a bug in aircall-gen (printed with its stack). */
export const EXIT_BUG = 70;
