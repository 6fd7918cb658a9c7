import { watch } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { BUNDLED_SPEC } from '../fingerprint.js';
import type { Io } from './io.js';

/**
 * Calls `run` whenever the spec file changes, until SIGINT/SIGTERM. Watches the folder, not the
 * file, because editors often save by writing a new file and renaming it over the old one.
 */
export function watchSpec(spec: string | undefined, run: () => Promise<void>, io: Io): Promise<number> {
  const file = resolve(spec ?? BUNDLED_SPEC);
  io.err(`aircall-gen: watching ${file} (Ctrl-C to stop)`);
  return new Promise((resolveExit, rejectExit) => {
    let timer: NodeJS.Timeout | undefined;
    let running = Promise.resolve();
    const watcher = watch(dirname(file), (_event, name) => {
      if (name !== null && name !== basename(file)) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        running = running.then(run).catch((error: unknown) => {
          watcher.close();
          rejectExit(error);
        });
      }, 100);
    });
    const stop = () => {
      clearTimeout(timer);
      watcher.close();
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void running.then(() => resolveExit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
