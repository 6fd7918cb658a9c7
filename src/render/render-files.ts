import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { SpecModel } from '../model/types.js';
import type { RetiredEventModel } from '../model/retired.js';
import type { Invocation } from '../model/invocation.js';
import { sortBy } from '../shared/order.js';
import type { OutputFile } from '../write/index.js';
import { helpers } from './helpers.js';

/** Templates ship with the package, beside dist/. */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

/**
 * The receiver's own TypeScript, the same for every spec: copied into the output as it is, at the
 * path it has under runtime/. It is type-checked, linted and formatted (with PRETTIER_OPTIONS) where
 * it is written, so it needs neither handlebars nor a formatting pass.
 */
export const RUNTIME_DIR = fileURLToPath(new URL('../../runtime/', import.meta.url));

/** Rendered once per event instead of once; every other template renders to its own path. */
const HANDLER_TEMPLATE = 'handlers/handler.ts.hbs';

/**
 * validators.ts is formatted by prettier like every other file, unless it is this long (in
 * characters) or longer: then it is left as its emitter lays it out, and its header says so.
 * Prettier's time grows with the file (the bundled spec's 120 KB module costs it about as much as
 * every other file together, ~0.3 s of a full generation); a spec with huge schemas would spend
 * more time formatting than generating.
 */
export const FORMAT_VALIDATORS_BELOW = 300_000;

/** A file to write, and whether its text is final or still needs the formatter. */
export type RenderedFile = OutputFile & { formatted?: boolean };

export interface RenderInput {
  spec: SpecModel;
  /** models.ts body from Modelina. */
  models: string;
  /** validators.ts body. */
  validators: string;
  /** Events no longer in the spec whose handler files are still on disk. */
  retired: RetiredEventModel[];
  /** The folder and spec this output is made from, for the README's commands. */
  invocation: Invocation;
}

/** Files under `dir` whose name ends with `extension`, as forward-slash paths relative to it. */
async function listFiles(dir: string, extension: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(extension))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

/** The runtime's files, verbatim, owned by the generator and already formatted. */
async function copyRuntime(runtimeDir: string): Promise<RenderedFile[]> {
  const paths = await listFiles(runtimeDir, '.ts');
  return Promise.all(
    paths.map(async (path) => ({
      path,
      contents: await readFile(join(runtimeDir, path), 'utf8'),
      ownership: 'generator' as const,
      formatted: true,
    })),
  );
}

function createHandlebars(): typeof Handlebars {
  const hbs = Handlebars.create();
  for (const [name, helper] of Object.entries(helpers)) hbs.registerHelper(name, helper);
  return hbs;
}

/** The data every template sees. Plain values only: templates hold no logic beyond loops. */
function templateContext(input: RenderInput) {
  const { spec } = input;
  return {
    specTitle: spec.title,
    specVersion: spec.version,
    channelPath: spec.channelPath,
    operationId: spec.operationId,
    events: spec.events.map((event) => ({
      ...event,
      handlerImport: event.handlerFile.replace(/\.ts$/, '.js'),
    })),
    retired: input.retired,
    invocation: input.invocation,
    models: input.models,
    validators: input.validators,
    validatorsLaidOut: input.validators.length >= FORMAT_VALIDATORS_BELOW,
  };
}

/** Where the generator's own files come from: the templates and the runtime copied beside them. */
export interface SourceDirs {
  templates: string;
  runtime: string;
}

/**
 * IR -> files. The runtime is copied as it is. Every template renders to the path it sits at
 * (minus `.hbs`), unformatted; the handler template renders once per event, as a file the user
 * owns. Fixtures are JSON.
 */
export async function renderFiles(
  input: RenderInput,
  dirs: SourceDirs = { templates: TEMPLATES_DIR, runtime: RUNTIME_DIR },
): Promise<RenderedFile[]> {
  const hbs = createHandlebars();
  const context = templateContext(input);
  const files: RenderedFile[] = await copyRuntime(dirs.runtime);

  for (const path of await listFiles(dirs.templates, '.hbs')) {
    const source = await readFile(join(dirs.templates, path), 'utf8');
    const template = hbs.compile(source, { noEscape: true, strict: true });
    if (path === HANDLER_TEMPLATE) {
      for (const event of context.events) {
        files.push({
          path: event.handlerFile,
          contents: template({ ...context, ...event }),
          ownership: 'user',
          event: event.name,
        });
      }
    } else {
      files.push({
        path: path.slice(0, -'.hbs'.length),
        contents: template(context),
        ownership: 'generator',
        formatted: path === 'validators.ts.hbs' && context.validatorsLaidOut,
      });
    }
  }
  for (const event of input.spec.events) {
    files.push({
      path: event.fixtureFile,
      contents: `${JSON.stringify(event.fixture, null, 2)}\n`,
      ownership: 'generator',
      formatted: true,
    });
  }
  return sortBy(assertUniquePaths(files), (file) => file.path);
}

/** A template and a runtime file rendering to one path would silently overwrite each other. */
function assertUniquePaths(files: RenderedFile[]): RenderedFile[] {
  const seen = new Set<string>();
  for (const { path } of files) {
    if (seen.has(path)) throw new Error(`two sources render to ${path}: one in templates/, one in runtime/`);
    seen.add(path);
  }
  return files;
}
