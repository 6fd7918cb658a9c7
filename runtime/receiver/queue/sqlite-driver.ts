// better-sqlite3, loaded when the sqlite mode starts rather than imported: a project that runs the inline mode
// (or a Fetch runtime) compiles and runs without it. The few parts used are declared here, structurally.
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** A prepared statement, as used here. */
export interface SqliteStatement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

/** A better-sqlite3 connection, as used here. */
export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): unknown;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  close(): unknown;
  readonly inTransaction: boolean;
}

/** The better-sqlite3 constructor (its default export). Pass it yourself to skip the lookup. */
export type SqliteDriver = new (
  file: string,
  options?: { timeout?: number; readonly?: boolean; fileMustExist?: boolean },
) => SqliteDatabase;

/** The package the sqlite mode needs. 12.x: 13 needs Node 22. */
export const SQLITE_PACKAGE = 'better-sqlite3';

/** better-sqlite3 is not installed (or does not load). Its message says how to fix that. */
export class SqliteDriverMissingError extends Error {
  override readonly name = 'SqliteDriverMissingError';
  constructor(cause: unknown) {
    super(
      `the sqlite queue needs the ${SQLITE_PACKAGE} package: run \`npm install ${SQLITE_PACKAGE}@12\` ` +
        '(12.x; 13 needs Node 22), or set AIRCALL_QUEUE=inline to run handlers inside the request instead',
      { cause },
    );
  }
}

/**
 * Where to look for the package: the CommonJS `require` when there is one, else from the entry script's
 * folder (the user's project) and from the working directory. Neither `import.meta` nor top-level await:
 * this file compiles as ES module and as CommonJS.
 */
function requirers(): NodeJS.Require[] {
  const found: NodeJS.Require[] = [];
  if (typeof require === 'function') found.push(require);
  const entry = process.argv[1];
  if (entry !== undefined && entry !== '') found.push(createRequire(entry));
  found.push(createRequire(join(process.cwd(), 'noop.js')));
  return found;
}

/** Loads better-sqlite3; throws {@link SqliteDriverMissingError} when it cannot. */
export function loadSqliteDriver(): SqliteDriver {
  let firstError: unknown;
  for (const load of requirers()) {
    try {
      const loaded = load(SQLITE_PACKAGE) as SqliteDriver | { default: SqliteDriver };
      return typeof loaded === 'function' ? loaded : loaded.default;
    } catch (error) {
      firstError ??= error;
    }
  }
  throw new SqliteDriverMissingError(firstError);
}
