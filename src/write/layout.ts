/** Names aircall-gen reserves at the top of the output folder. */

/** What the last run wrote; see manifest.ts. */
export const MANIFEST_FILE = 'aircall-gen.manifest.json';

/**
 * Staging folder for a write in progress. Lives inside the output folder so renames stay on one
 * file system (and therefore atomic); the name matches `.aircall-gen-tmp-*` in .gitignore.
 */
export const STAGING_DIR = '.aircall-gen-tmp-write';

/** Inside STAGING_DIR: its presence is the commit point of a write. */
export const JOURNAL_FILE = 'journal.json';
