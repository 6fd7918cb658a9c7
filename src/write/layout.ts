/** Names aircall-gen reserves at the top of the output folder. */

/** What the last run wrote; see manifest.ts. */
export const MANIFEST_FILE = 'aircall-gen.manifest.json';

/**
 * Staging folder for a write in progress. Lives inside the output folder so renames stay on one
 * file system (and therefore atomic); the name matches `.aircall-gen-tmp-*` in .gitignore.
 */
export const STAGING_DIR = '.aircall-gen-tmp-write';

/**
 * A finished write's staging folder, renamed before it is deleted: removing a folder is not atomic, and a
 * crash half-way through deleting STAGING_DIR could leave it without its journal, which would look like a
 * write interrupted before its commit point. Whatever is here is garbage.
 */
export const RETIRED_DIR = '.aircall-gen-tmp-done';

/** Inside STAGING_DIR: its presence is the commit point of a write. */
export const JOURNAL_FILE = 'journal.json';
