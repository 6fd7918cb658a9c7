// Generator timings: every case is a cold `node` process; cases are interleaved round by round so
// that load from other work on the machine falls on all of them alike.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BENCH, BIN, ROOT, SPEC, TMP } from './paths.js';
import { summarize } from './stats.js';
import { writeSyntheticSpec } from './synthetic-spec.js';
import { timedRun } from './timed-process.js';

const ASYNCAPI_BIN = join(BENCH, 'node_modules', '.bin', 'asyncapi');
/** The installed @asyncapi/cli version, for the report (the lock file pins it). */
const ASYNCAPI_CLI_VERSION = JSON.parse(
  readFileSync(join(BENCH, 'node_modules', '@asyncapi', 'cli', 'package.json'), 'utf8'),
).version;

/**
 * Every file under `dir`, path -> stamp: size and mtime (so any write shows), or with `byContent`
 * a hash of the bytes (so a rebuild that writes identical files does not).
 */
function snapshot(dir, { byContent = false } = {}) {
  const files = new Map();
  if (!existsSync(dir)) return files;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath ?? entry.path, entry.name);
    let stamp;
    try {
      if (byContent) stamp = createHash('sha1').update(readFileSync(path)).digest('hex');
      else {
        const st = statSync(path);
        stamp = `${st.size} ${st.mtimeMs}`;
      }
    } catch {
      stamp = 'unreadable'; // removed while we looked (another build running)
    }
    files.set(relative(dir, path), stamp);
  }
  return files;
}

/** The paths that differ between two snapshots (added, removed or rewritten). */
function changedPaths(before, after) {
  const changed = [];
  for (const [path, stamp] of after) if (before.get(path) !== stamp) changed.push(path);
  for (const path of before.keys()) if (!after.has(path)) changed.push(path);
  return changed.sort();
}

/** The generator's build and inputs (by content); other work on the repo may rebuild them while the bench runs. */
const GENERATOR_INPUTS = ['dist', 'templates', 'runtime', 'bin', 'spec'];
function generatorSnapshot() {
  const all = new Map();
  for (const dir of GENERATOR_INPUTS) {
    for (const [path, stamp] of snapshot(join(ROOT, dir), { byContent: true })) all.set(`${dir}/${path}`, stamp);
  }
  return all;
}

function countFiles(dir, suffix) {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith(suffix)) n++;
  }
  return n;
}

function failure(what, result) {
  const tail = `${result.stderr}\n${result.stdout}`.trim().split('\n').slice(-15).join('\n');
  return new Error(`${what} failed (exit ${result.code ?? result.signal}):\n${tail}`);
}

/** Builds the cases; each has a label, a command line as shown, and run(round) -> timedRun result. */
function buildCases({ x10Spec, noopDir, keepNoopCurrent, analyticsConfig, fresh }) {
  const rel = (p) => relative(ROOT, p);
  const gen = (args) => timedRun(process.execPath, [BIN, ...args], { cwd: ROOT });
  return [
    {
      key: 'nodeBaseline',
      label: 'node -e 0',
      command: 'node -e 0',
      run: () => timedRun(process.execPath, ['-e', '0'], { cwd: ROOT }),
    },
    {
      key: 'full',
      label: 'full generation, bundled spec (69 messages)',
      command: 'node bin/aircall-gen.js --out bench/.tmp/gen-full-<round>',
      run: async (round) => {
        const out = fresh(`gen-full-${round}`);
        const result = await gen(['--out', out]);
        if (result.code !== 0) throw failure('aircall-gen (full)', result);
        const handlers = countFiles(join(out, 'handlers'), '.ts');
        if (handlers !== 69) throw new Error(`aircall-gen (full) wrote ${handlers} handler files, expected 69`);
        return result;
      },
    },
    {
      key: 'asyncapiCli',
      label: `asyncapi CLI ${ASYNCAPI_CLI_VERSION}: generate models typescript`,
      command:
        'asyncapi generate models typescript spec/aircall-webhooks.asyncapi.yaml -o bench/.tmp/cli-<round> --no-interactive',
      run: async (round) => {
        const out = fresh(`cli-${round}`);
        const result = await timedRun(
          ASYNCAPI_BIN,
          ['generate', 'models', 'typescript', rel(SPEC), '-o', out, '--no-interactive'],
          { cwd: ROOT, env: { ...process.env, ASYNCAPI_METRICS_CONFIG_PATH: analyticsConfig } },
        );
        if (result.code !== 0) throw failure('asyncapi generate models', result);
        const models = countFiles(out, '.ts');
        if (models === 0) throw failure('asyncapi generate models (no .ts files written)', result);
        result.note = `${models} model files`;
        return result;
      },
    },
    {
      key: 'noop',
      label: 'no-op regeneration (output up to date)',
      command: `node bin/aircall-gen.js --out ${rel(noopDir)}`,
      run: async () => {
        await keepNoopCurrent();
        const before = snapshot(noopDir);
        const result = await gen(['--out', noopDir]);
        if (result.code !== 0) throw failure('aircall-gen (no-op)', result);
        const changed = changedPaths(before, snapshot(noopDir));
        if (changed.length > 0) {
          throw new Error(
            `aircall-gen (no-op) wrote to an up-to-date folder: ${changed.slice(0, 5).join(', ')}${changed.length > 5 ? ` and ${changed.length - 5} more` : ''}`,
          );
        }
        return result;
      },
    },
    {
      key: 'x10',
      label: 'full generation, synthetic spec (690 messages)',
      command: `node bin/aircall-gen.js --spec ${rel(x10Spec)} --out bench/.tmp/gen-x10-<round>`,
      run: async (round) => {
        const out = fresh(`gen-x10-${round}`);
        const result = await gen(['--spec', x10Spec, '--out', out]);
        if (result.code !== 0) throw failure('aircall-gen (10x spec)', result);
        const handlers = countFiles(join(out, 'handlers'), '.ts');
        if (handlers !== 690) throw new Error(`aircall-gen (10x spec) wrote ${handlers} handler files, expected 690`);
        return result;
      },
    },
  ];
}

/** Runs every generation case `runs` times; returns { cases: [{key,label,command,wall,cpu,rss,notes}], x10Messages }. */
export async function benchGeneration({ runs, log }) {
  const fresh = (name) => {
    const dir = join(TMP, name);
    if (existsSync(dir)) throw new Error(`${dir} exists; temp folders must be fresh`);
    return dir; // both generators create the folder themselves
  };

  const x10Spec = join(TMP, 'aircall-webhooks-x10.asyncapi.yaml');
  const x10Messages = writeSyntheticSpec(SPEC, x10Spec, 10);
  log(`synthetic spec: ${x10Messages} messages -> ${relative(ROOT, x10Spec)}`);

  // The documented opt-out (`asyncapi config analytics --disable`) writes this file; pointing the CLI at
  // our own copy keeps it from the network and from the user's home folder.
  const analyticsConfig = join(TMP, 'asyncapi-analytics.json');
  writeFileSync(
    analyticsConfig,
    JSON.stringify({ analyticsEnabled: 'false', infoMessageShown: 'true', userID: 'bench' }),
  );

  const noopDir = join(TMP, 'gen-noop');
  // The no-op folder is prepared by an untimed run, and prepared again before a no-op run whenever the
  // generator's own files changed since (other work on the repo rebuilds dist/), since it is then stale.
  let preparedWith;
  const prepareNoop = async () => {
    preparedWith = generatorSnapshot();
    const prep = await timedRun(process.execPath, [BIN, '--out', noopDir], { cwd: ROOT });
    if (prep.code !== 0) throw failure('aircall-gen (preparing the no-op folder)', prep);
  };
  const keepNoopCurrent = async () => {
    if (changedPaths(preparedWith, generatorSnapshot()).length === 0) return;
    log('  the generator changed since the no-op folder was prepared: preparing it again (untimed)');
    await prepareNoop();
  };
  log('preparing the no-op folder (one untimed generation)');
  await prepareNoop();

  const cases = buildCases({ x10Spec, noopDir, keepNoopCurrent, analyticsConfig, fresh });
  /** @type {Map<string, any[]>} */
  const samples = new Map(cases.map((c) => [c.key, []]));
  /** @type {Map<string, string[]>} */
  const errors = new Map(cases.map((c) => [c.key, []]));
  const buildChanges = [];
  let inputs = generatorSnapshot();
  for (let round = 1; round <= runs; round++) {
    for (const c of cases) {
      try {
        const result = await c.run(round);
        samples.get(c.key)?.push(result);
        const note = result.note ? `  (${result.note})` : '';
        log(`  round ${round}/${runs}  ${c.label.padEnd(48)} ${(result.ms / 1000).toFixed(3)} s${note}`);
      } catch (error) {
        // A failed run is reported and left out of the figures; later rounds still run.
        errors.get(c.key)?.push(`round ${round}: ${error.message}`);
        log(`  round ${round}/${runs}  ${c.label}: FAILED: ${error.message}`);
      }
    }
    const now = generatorSnapshot();
    const changed = changedPaths(inputs, now);
    if (changed.length > 0) {
      const what = `${changed.slice(0, 3).join(', ')}${changed.length > 3 ? ` and ${changed.length - 3} more` : ''}`;
      buildChanges.push(`during round ${round}: ${what}`);
      log(
        `  note: the generator's files changed during round ${round} (${what}); rounds before and after used different builds`,
      );
      inputs = now;
    }
  }
  const defined = (values) =>
    values.length > 0 && values.every((v) => v !== undefined) ? summarize(values) : undefined;
  return {
    x10Messages,
    buildChanges,
    cases: cases.map((c) => {
      const list = samples.get(c.key) ?? [];
      return {
        key: c.key,
        label: c.label,
        command: c.command,
        runs,
        errors: errors.get(c.key),
        wall: defined(list.map((r) => r.ms)),
        cpu: defined(list.map((r) => r.cpuS)),
        rss: defined(list.map((r) => r.maxRssMb)),
        note: list.at(-1)?.note,
      };
    }),
  };
}
