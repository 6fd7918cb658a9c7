import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../errors.js';

/**
 * Fails with a clear message when the output folder, or a folder above it, is a file: the write
 * stage would otherwise fail deep inside with ENOTDIR on some generated file's path.
 */
export function assertOutputFolder(outDir: string): void {
  for (let path = outDir; ; path = dirname(path)) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      if (dirname(path) === path) return;
      continue; // not there yet: it will be created
    }
    if (isDirectory) return;
    throw new UserError(
      path === outDir ? 'The output path is a file, not a folder.' : `The output path goes through a file: ${path}`,
      { location: path, hint: 'Pass --out with a folder path (created when missing), or move the file away.' },
    );
  }
}
