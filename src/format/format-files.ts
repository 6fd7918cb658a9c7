import type { RenderedFile } from '../render/render-files.js';
import type { OutputFile, Plan } from '../write/index.js';
import { formatFile } from './format-file.js';

async function formatted(file: RenderedFile): Promise<OutputFile> {
  const { formatted: done, ...rest } = file;
  return done ? rest : { ...rest, contents: await formatFile(file.path, file.contents) };
}

/**
 * Formats what the generator owns now, since the plan compares those bytes with the disk. A user's
 * handler stub is left as rendered: existing ones are never rewritten, so it is formatted only
 * when the plan is about to create it (formatCreatedUserFiles).
 */
export function formatGenerated(files: readonly RenderedFile[]): Promise<RenderedFile[]> {
  return Promise.all(files.map((file) => (file.ownership === 'generator' ? formatted(file) : file)));
}

/** Formats the user files the plan creates; every other file passes through as it is. */
export function formatCreatedUserFiles(files: readonly RenderedFile[], plan: Plan): Promise<OutputFile[]> {
  const creating = new Set(
    plan.entries.filter((e) => e.ownership === 'user' && e.action === 'create').map((e) => e.path),
  );
  return Promise.all(files.map((file) => (creating.has(file.path) ? formatted(file) : file)));
}
