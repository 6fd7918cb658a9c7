#!/usr/bin/env node
// `npm run bench`: generator timings, receiver throughput (inline and durable modes), validators and
// startup, in one run, written to bench/RESULTS.md and printed. Every target is a ratio between figures
// taken in this same run. `--only SECTION[,SECTION]` runs some sections and writes bench/RESULTS.partial.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from './lib/args.js';
import { BENCH, BODY_EXAMPLE, ROOT, SPEC, TMP } from './lib/paths.js';

const log = (line) => process.stdout.write(`${line}\n`);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function npmRun(args, what) {
  log(`bench: ${what}: npm ${args.join(' ')}`);
  const result = spawnSync(npm, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`bench: \`npm ${args.join(' ')}\` failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

/** npm-run-style capture: status and the last lines of output, for reporting a failed build. */
function npmCapture(args) {
  const result = spawnSync(npm, args, { cwd: ROOT, encoding: 'utf8' });
  const tail = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim().split('\n').slice(-12).join('\n');
  return { ok: result.status === 0, tail };
}

function version(path) {
  return JSON.parse(readFileSync(path, 'utf8')).version;
}

const options = parseArgs(process.argv.slice(2));
options.warmup = Math.min(2, options.duration);
/** @param {string} section */
const runs = (section) => !options.only || options.only.includes(section);

// Prerequisites: the root install (yaml, @asyncapi/parser, tsc), the bench package, and dist/.
if (!existsSync(join(ROOT, 'node_modules'))) {
  console.error('bench: the root project is not installed; run `npm ci` at the repo root first.');
  process.exit(1);
}
if (!existsSync(join(BENCH, 'node_modules'))) npmRun(['ci', '--prefix', 'bench'], 'installing the bench package');
if (!existsSync(join(ROOT, 'dist'))) npmRun(['run', 'build'], 'building the generator');

// Imported only now: they need bench/node_modules (autocannon).
const { describeMachine, loadAverage } = await import('./lib/machine.js');
const { benchGeneration } = await import('./lib/generation.js');
const { HAS_GNU_TIME } = await import('./lib/timed-process.js');
const { RECEIVER_STDOUT } = await import('./lib/throughput.js');
const { benchSettings } = await import('./lib/rounds.js');
const { benchStartup } = await import('./lib/startup.js');
const { benchValidators } = await import('./lib/validators.js');
const { resolveBodySchema } = await import('./lib/body-schema.js');
const { killAllServers } = await import('./lib/servers.js');
const { renderReport } = await import('./lib/report.js');

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killAllServers();
    process.exit(130);
  });
}

rmSync(TMP, { recursive: true, force: true });
mkdirSync(TMP, { recursive: true });

const machine = describeMachine();
const load = { start: loadAverage() };
log(
  `bench: ${machine.date}; ${machine.cpu}, ${machine.cores} cores; node ${machine.node}; runs ${options.runs}, rounds ${options.rounds}, duration ${options.duration} s, connections ${options.connections}${options.only ? `; only ${options.only.join(', ')}` : ''}; load average ${load.start}`,
);

// 1. Generation.
let generation;
if (runs('generation')) {
  log('\n== generation');
  generation = await benchGeneration({ runs: options.runs, log });
}

// 2. Throughput.
const BENCH_TOKEN = 'bench-token-5f0c9a1e7d3b4c2a8e6f';
const example = JSON.parse(readFileSync(BODY_EXAMPLE, 'utf8'));
const body = JSON.stringify({ ...example, token: BENCH_TOKEN });

const receiverEnv = {
  AIRCALL_WEBHOOK_TOKEN: BENCH_TOKEN,
  AIRCALL_QUARANTINE_FILE: join(TMP, 'receiver-quarantine.jsonl'),
  // The same body every request: the inline mode (durable mode has its own section, with distinct bodies).
  AIRCALL_QUEUE: 'inline',
};
let receiverUnavailable;
if (!['throughput', 'durable', 'validators', 'startup'].some(runs)) {
  receiverUnavailable = 'not built (no section that needs it runs)';
} else if (!existsSync(join(ROOT, 'generated', 'server.ts'))) {
  receiverUnavailable = 'generated/server.ts is absent (the receiver has not been generated into generated/ yet)';
} else {
  log('bench: compiling the receiver: npm run build:receiver');
  const build = npmCapture(['run', 'build:receiver']);
  if (!build.ok)
    receiverUnavailable = `\`npm run build:receiver\` failed:\n\n    ${build.tail.split('\n').join('\n    ')}`;
  else if (!existsSync(join(ROOT, 'dist-generated', 'server.js'))) {
    receiverUnavailable = '`npm run build:receiver` did not produce dist-generated/server.js';
  }
}
if (receiverUnavailable) log(`  receiver: not available: ${receiverUnavailable}`);

const schemaFile = join(TMP, 'fastify-body-schema.json');
if (runs('throughput')) writeFileSync(schemaFile, JSON.stringify(await resolveBodySchema(SPEC, 'call.created')));

const common = { body, connections: options.connections, duration: options.duration, warmup: options.warmup, log };
const fastifyVersion = version(join(BENCH, 'node_modules', 'fastify', 'package.json'));
const serverConfigs = [
  {
    key: 'bare',
    label: 'bare node:http + JSON.parse',
    script: join(BENCH, 'servers', 'bare.js'),
    env: {},
    stdoutFile: join(TMP, 'bare-stdout.log'),
  },
  receiverUnavailable
    ? { key: 'receiver', label: 'generated receiver', unavailable: receiverUnavailable }
    : {
        key: 'receiver',
        label: 'generated receiver',
        script: join(ROOT, 'dist-generated', 'server.js'),
        env: receiverEnv,
        stdoutFile: RECEIVER_STDOUT,
        checkLog: true,
      },
  {
    key: 'fastify',
    label: `fastify ${fastifyVersion} + schema`,
    script: join(BENCH, 'servers', 'fastify.js'),
    env: { AIRCALL_WEBHOOK_TOKEN: BENCH_TOKEN, BENCH_BODY_SCHEMA: schemaFile },
    stdoutFile: join(TMP, 'fastify-stdout.log'),
  },
];
/** @type {{ key: string, servers?: any[], skipped?: string }[]} */
let settings = [];
if (runs('throughput')) {
  log('\n== receiver throughput');
  settings = await benchSettings({ servers: serverConfigs, rounds: options.rounds, cores: machine.cores, common });
}

// 2b. Durable mode: acknowledgement with distinct bodies (sqlite, redis, and their baselines), workers.
let durable;
if (runs('durable')) {
  log('\n== durable mode');
  const { benchDurable } = await import('./lib/durable.js');
  durable = await benchDurable({
    receiverScript: join(ROOT, 'dist-generated', 'server.js'),
    receiverUnavailable,
    workerScript: join(ROOT, 'dist-generated', 'worker.js'),
    receiverEnv: {
      AIRCALL_WEBHOOK_TOKEN: BENCH_TOKEN,
      AIRCALL_QUARANTINE_FILE: join(TMP, 'durable-quarantine.jsonl'),
    },
    example,
    token: BENCH_TOKEN,
    rounds: options.rounds,
    connections: options.connections,
    duration: options.duration,
    warmup: options.warmup,
    cores: machine.cores,
    workerJobs: options.workerJobs,
    log,
  });
}

// 3. validateEvent, alone (needs the receiver build above).
let validators;
if (runs('validators')) {
  log('\n== generated validators');
  validators = receiverUnavailable ? { unavailable: receiverUnavailable } : benchValidators({ log });
}

// 4. Startup.
let startup;
if (runs('startup')) {
  log('\n== receiver startup');
  startup = receiverUnavailable
    ? { unavailable: receiverUnavailable }
    : await benchStartup({ runs: options.runs, env: receiverEnv, log }).catch((error) => ({
        unavailable: error.message,
      }));
}

load.end = loadAverage();
const report = renderReport({
  machine,
  options,
  load,
  hasGnuTime: HAS_GNU_TIME,
  generation,
  throughput: {
    settings,
    bodyBytes: Buffer.byteLength(body),
    autocannonVersion: version(join(BENCH, 'node_modules', 'autocannon', 'package.json')),
    fastifyVersion,
    parserVersion: version(join(ROOT, 'node_modules', '@asyncapi', 'parser', 'package.json')),
  },
  durable,
  validators,
  startup,
});
// A partial run never overwrites the full run's figures of the sections it skipped.
const resultsFile = options.only ? 'RESULTS.partial.md' : 'RESULTS.md';
writeFileSync(join(BENCH, resultsFile), report);
log(`\n${report}`);
log(`bench: wrote bench/${resultsFile}`);
