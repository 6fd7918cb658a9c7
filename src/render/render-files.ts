import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { SpecModel } from '../model/types.js';
import type { RetiredEventModel } from '../model/retired.js';
import type { Invocation } from '../model/invocation.js';
import { sortBy } from '../model/order.js';
import type { OutputFile } from '../write/index.js';
import { helpers } from './helpers.js';

/** Templates ship with the package, beside dist/. */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

/** Rendered once per event instead of once; every other template renders to its own path. */
const HANDLER_TEMPLATE = 'handlers/handler.ts.hbs';

/**
 * Output laid out by its own emitter and left alone by the formatter: the validators module is
 * hundreds of kilobytes for real specs, and prettier alone would take seconds over it.
 */
const LAID_OUT = new Set(['validators.ts.hbs']);

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

async function listTemplates(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.hbs'))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'));
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
  };
}

/**
 * IR -> files, unformatted. Every template renders to the path it sits at (minus `.hbs`);
 * the handler template renders once per event, as a file the user owns. Fixtures are JSON.
 */
export async function renderFiles(input: RenderInput, templatesDir = TEMPLATES_DIR): Promise<RenderedFile[]> {
  const hbs = createHandlebars();
  const context = templateContext(input);
  const files: RenderedFile[] = [];

  for (const path of await listTemplates(templatesDir)) {
    const source = await readFile(join(templatesDir, path), 'utf8');
    // A template with no expressions is static code, kept prettier-formatted in the repository
    // (a test checks it), so it is copied as it is: no compile, no formatting pass.
    if (!source.includes('{{')) {
      files.push({ path: path.slice(0, -'.hbs'.length), contents: source, ownership: 'generator', formatted: true });
      continue;
    }
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
        formatted: LAID_OUT.has(path),
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
  return sortBy(files, (file) => file.path);
}
