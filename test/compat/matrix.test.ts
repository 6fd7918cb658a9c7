// The generated receiver in the projects users have: {TypeScript 5.9, TypeScript 7} x {ESM NodeNext,
// CommonJS, CommonJS under NodeNext, `tsc --init` defaults, strictest flags}. Each cell compiles the output
// with the user's settings and no help from ours, runs the compiled server (inline mode: these projects have
// no better-sqlite3) and sends it one real delivery, and checks that the default sqlite mode is refused
// with exit 2 and how to fix it.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/generate.js';
import { tempDir } from '../support/project.js';
import { USER_CONFIGS } from './configs.js';
import { COMPILERS, compilerVersion, ensureToolchain } from './toolchain.js';
import {
  HANDLED,
  compile,
  createUserProject,
  runTestingCheck,
  serveOneDelivery,
  startWithoutDriver,
} from './user-project.js';

let generated = '';
const projects: string[] = [];

beforeAll(async () => {
  const work = await tempDir('compat');
  generated = join(work, 'aircall');
  await Promise.all([ensureToolchain(), generate({ out: generated })]);
});
afterAll(() => Promise.all(projects.map((dir) => rm(dir, { recursive: true, force: true }))));

/** Two builds at a time: tsc is CPU-bound and the machine may have two cores. */
const slots = { free: 2, waiting: [] as (() => void)[] };
async function inSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (slots.free === 0) await new Promise<void>((resolve) => slots.waiting.push(resolve));
  else slots.free--;
  try {
    return await fn();
  } finally {
    const next = slots.waiting.shift();
    if (next) next();
    else slots.free++;
  }
}

/** What src/check-testing.ts must print: each delivery through the generated testing helper, in-process. */
const TESTING_HELPER_RESULTS = {
  results: {
    handled: { status: 200, outcome: 'handled', handled: 'call.created', response: { ok: true }, quarantined: [] },
    wrongToken: {
      status: 401,
      outcome: 'rejected',
      handled: null,
      response: { error: 'invalid token' },
      quarantined: [],
    },
    idRemoved: {
      status: 202,
      outcome: 'quarantined',
      handled: null,
      response: { ok: true, outcome: 'quarantined' },
      quarantined: ['invalid'],
    },
    handlerFails: {
      status: 500,
      outcome: 'failed',
      handled: 'call.ended',
      response: expect.any(Object),
      quarantined: [],
    },
    notJson: {
      status: 400,
      outcome: 'rejected',
      handled: null,
      response: { error: 'malformed JSON' },
      quarantined: [],
    },
    unknownEvent: {
      status: 202,
      outcome: 'unknown',
      handled: null,
      response: { ok: true, outcome: 'unknown' },
      quarantined: ['unknown-event'],
    },
  },
  seen: [4242],
};

describe('the toolchain under test', () => {
  it('is TypeScript 5.9 and 7', async () => {
    expect(await compilerVersion(COMPILERS[0]!)).toMatch(/^Version 5\.9\./);
    expect(await compilerVersion(COMPILERS[1]!)).toMatch(/^Version 7\./);
  });
});

describe.concurrent('generated output in user projects', () => {
  const cells = COMPILERS.flatMap((compiler) => USER_CONFIGS.map((config) => ({ compiler, config })));
  // Minutes only on a loaded machine: alone, each TypeScript 5.9 build takes about 8 s of CPU, a TypeScript 7 one 2 s.
  it.each(cells)(
    '$compiler.label, $config.name: compiles, runs, handles a delivery',
    { timeout: 400_000 },
    async ({ compiler, config }) => {
      const dir = await createUserProject(config, generated);
      projects.push(dir);
      await inSlot(() => compile(compiler, dir));
      const { response, logLines, exitCode } = await serveOneDelivery(dir);
      expect(response.status, response.body).toBe(200);
      expect(logLines.filter((line) => line['msg'] === HANDLED)).toMatchObject([{ direction: 'inbound' }]);
      expect(exitCode).toBe(0);
      expect(await runTestingCheck(dir)).toEqual(TESTING_HELPER_RESULTS);
      // The queue files compile and load here too: without the driver, sqlite mode (the default) is refused as a setup problem.
      const refused = await startWithoutDriver(dir);
      expect(refused.stderr).toContain('npm install better-sqlite3@12');
      expect(refused.stderr).toContain('AIRCALL_QUEUE=inline');
      expect(refused.exitCode).toBe(2);
    },
  );
});
