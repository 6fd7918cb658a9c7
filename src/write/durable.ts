import { open } from 'node:fs/promises';

/** Writes `contents` exactly (UTF-8, nothing added) and fsyncs it, so a crash cannot leave it half-written. */
export async function writeFileDurably(filePath: string, contents: string): Promise<void> {
  const handle = await open(filePath, 'w');
  try {
    await handle.writeFile(contents, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Fsyncs a folder so the renames inside it survive a power cut. Best effort: not every platform allows it. */
export async function syncDir(dirPath: string): Promise<void> {
  try {
    const handle = await open(dirPath, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows and some file systems refuse to open or fsync folders; the data files are synced already.
  }
}
