// Micro-benchmark of the generated validators: `validateEvent` called in a loop on bodies that
// conform, in a fresh `node` process (so no other benchmark's JIT state or garbage is around).
// Needs dist-generated/validators.js (`npm run build:receiver`). Run alone with
// `node bench/lib/validators.js [other/validators.js]` to print the figures (of another build, e.g. a
// copy kept from before a change, to compare the two).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BODY_EXAMPLE, ROOT } from './paths.js';
import { summarize } from './stats.js';

const VALIDATORS = join(ROOT, 'dist-generated', 'validators.js');
const FIXTURES = join(ROOT, 'generated', 'fixtures');
const ROUNDS = 9;
const CALLS_PER_ROUND = 200_000;

/** Nanoseconds per call of `run(i)`, one figure per round, after one untimed warm-up round. */
function timeRounds(run) {
  const perCall = [];
  for (let round = -1; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < CALLS_PER_ROUND; i++)
      if (run(i) !== null) throw new Error('a benchmark body failed validation');
    const ns = Number(process.hrtime.bigint() - start) / CALLS_PER_ROUND;
    if (round >= 0) perCall.push(ns);
  }
  const summary = summarize(perCall);
  if (summary === undefined) throw new Error('no rounds timed');
  return summary;
}

/** The cases, measured in this process. */
async function measure(module = VALIDATORS) {
  const { validateEvent } = await import(pathToFileURL(module).href);
  const realBody = existsSync(BODY_EXAMPLE);
  const callCreated = JSON.parse(readFileSync(realBody ? BODY_EXAMPLE : join(FIXTURES, 'call.created.json'), 'utf8'));
  const fixtures = readdirSync(FIXTURES)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')));
  return {
    calls: CALLS_PER_ROUND,
    rounds: ROUNDS,
    cases: [
      {
        label: `call.created, ${realBody ? 'the real delivery body' : 'generated/fixtures/call.created.json'}`,
        ns: timeRounds(() => validateEvent('call.created', callCreated)),
      },
      {
        label: `every event in turn (generated/fixtures, ${fixtures.length} bodies)`,
        ns: timeRounds((i) => {
          const body = fixtures[i % fixtures.length];
          return validateEvent(body.event, body);
        }),
      },
    ],
  };
}

/** Runs the micro-benchmark in a child process; `{ unavailable }` when the validators are not built. */
export function benchValidators({ log }) {
  if (!existsSync(VALIDATORS)) return { unavailable: 'dist-generated/validators.js is absent' };
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--json'], { encoding: 'utf8' });
  if (child.status !== 0) return { unavailable: `the validator benchmark failed: ${child.stderr.trim()}` };
  const result = JSON.parse(child.stdout);
  for (const c of result.cases) log(`  ${c.label}: median ${c.ns.median.toFixed(1)} ns/call`);
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await measure(process.argv.slice(2).find((arg) => !arg.startsWith('--')));
  if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(result));
  else
    for (const c of result.cases)
      console.log(
        `${c.label}: median ${c.ns.median.toFixed(1)} ns/call (min ${c.ns.min.toFixed(1)}, max ${c.ns.max.toFixed(1)})`,
      );
}
