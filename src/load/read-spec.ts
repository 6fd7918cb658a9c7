import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';

/** Reads the spec file as UTF-8 text; a missing or unreadable file is the user's to fix. */
export async function readSpec(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EISDIR'
          ? 'is a directory'
          : `cannot be read (${code ?? 'unknown error'})`;
    throw new UserError(`The spec file ${why}.`, {
      location: path,
      hint: 'Pass the path of an AsyncAPI 2.6.0 YAML or JSON document with --spec.',
      cause: error,
    });
  }
}
