import { open } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { DEFAULT_MAX_SPEC_BYTES, tooLargeError } from './spec-limits.js';

function unreadable(path: string, error: unknown): UserError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'does not exist'
      : code === 'EISDIR'
        ? 'is a directory'
        : `cannot be read (${code ?? 'unknown error'})`;
  return new UserError(`The spec file ${why}.`, {
    location: path,
    hint: 'Pass the path of an AsyncAPI 2.6.0 YAML or JSON document with --spec.',
    cause: error,
  });
}

/**
 * Reads the spec file as UTF-8 text; a missing or unreadable file is the user's to fix, and so is one
 * larger than `maxBytes`, which is refused before it is read.
 */
export async function readSpec(path: string, maxBytes = DEFAULT_MAX_SPEC_BYTES): Promise<string> {
  let file: Awaited<ReturnType<typeof open>>;
  try {
    file = await open(path, 'r');
  } catch (error) {
    throw unreadable(path, error);
  }
  try {
    const { size } = await file.stat();
    if (size > maxBytes) throw tooLargeError('The spec file', size, maxBytes, path);
    return await file.readFile('utf8');
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw unreadable(path, error);
  } finally {
    await file.close();
  }
}
