// Renders the results as Markdown (bench/RESULTS.md and stdout). Numbers and verdicts only.
import { LOAD_CPU, SERVER_CPU } from './affinity.js';

const sec = (ms) => (ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(3)} s`);
const msFmt = (ms) => (ms === undefined ? 'n/a' : `${ms.toFixed(0)} ms`);
const num = (n, digits = 0) =>
  n === undefined ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** A ratio row: `value` may be undefined (a side is missing) and `why` says why. */
function ratioRow(name, value, comparator, target, why) {
  if (value === undefined) return `| ${name} | n/a | ${comparator} ${target} | n/a (${why}) |`;
  const pass = comparator === '<=' ? value <= target : comparator === '>=' ? value >= target : value < target;
  return `| ${name} | ${value.toFixed(2)} | ${comparator} ${target} | ${pass ? 'PASS' : 'MISS'} |`;
}

/** A ratio with no target of its own, reported to read the targets by (a floor, say). */
function reportRow(name, value, why) {
  return `| ${name} | ${value === undefined ? 'n/a' : value.toFixed(2)} | report | ${value === undefined ? `n/a (${why})` : '-'} |`;
}

function ratioTable(rows) {
  return ['| ratio | value | target | result |', '| --- | ---: | --- | --- |', ...rows].join('\n');
}

function machineSection({ machine, options, load, hasGnuTime }) {
  return [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (`bench/run.js`), overwritten on every run.',
    '',
    `- Date: ${machine.date}`,
    `- CPU: ${machine.cpu}, ${machine.cores} cores; memory ${machine.memory}`,
    `- OS: ${machine.os}`,
    `- Node ${machine.node}, npm ${machine.npm}`,
    `- Settings: runs per timed case ${options.runs} (median, min, max); throughput rounds per setting ${options.rounds} (servers interleaved, medians over rounds); load ${options.duration} s per server and round after a ${options.warmup} s warm-up, ${options.connections} connections, 127.0.0.1`,
    `- Load average (1 min) at start / end of the run: ${load.start} / ${load.end}`,
    `- Process CPU time and peak RSS of generation runs: ${hasGnuTime ? 'from /usr/bin/time' : 'not measured (/usr/bin/time missing)'}`,
  ].join('\n');
}

function generationSection(gen) {
  const by = Object.fromEntries(gen.cases.map((c) => [c.key, c]));
  const rows = gen.cases.map((c) =>
    !c.wall
      ? `| ${c.label} | 0/${c.runs} | failed | | | | |`
      : `| ${c.label} | ${c.wall.n}/${c.runs} | ${sec(c.wall.median)} | ${sec(c.wall.min)} | ${sec(c.wall.max)} | ${c.cpu ? `${c.cpu.median.toFixed(2)} s` : 'n/a'} | ${c.rss ? `${c.rss.median.toFixed(0)} MB` : 'n/a'} |`,
  );
  const ratio = (a, b) => (by[a]?.wall && by[b]?.wall ? by[a].wall.median / by[b].wall.median : undefined);
  const missing = (...keys) =>
    keys
      .filter((k) => !by[k]?.wall)
      .map((k) => `${by[k]?.label ?? k} failed`)
      .join(', ');
  const failures = gen.cases
    .filter((c) => c.errors.length > 0)
    .map(
      (c) =>
        `- ${c.label}: ${c.errors.length} of ${c.runs} runs failed and are left out:\n\n  \`\`\`\n  ${c.errors.join('\n').split('\n').join('\n  ')}\n  \`\`\``,
    );
  const changes = gen.buildChanges.map(
    (c) =>
      `- The generator's files (dist/, templates/, runtime/, bin/, spec/) changed ${c}; rounds before and after ran different builds (other work on the repo rebuilt it).`,
  );
  return [
    '## Generation',
    '',
    'Each case is a cold `node` process, timed from spawn to exit (wall clock); the cases run interleaved, one round at a time. Output folders are fresh under `bench/.tmp/`, except for the no-op case, which regenerates a folder prepared by one untimed run (checked unchanged afterwards; prepared again, untimed, before a no-op run when dist/, templates/, runtime/, bin/ or spec/ changed since it was prepared).',
    '',
    '| case | valid runs | median | min | max | CPU time (median) | peak RSS (median) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    'Commands (from the repo root):',
    '',
    ...gen.cases.map((c) => `- ${c.label}: \`${c.command}\`${c.note ? ` (${c.note})` : ''}`),
    `- The synthetic spec is written by \`bench/lib/synthetic-spec.js\`: each of the 69 messages plus 9 copies named \`<event>.x1\` ... \`<event>.x9\`, each copy with its own \`<Pascal>Webhook\` payload schema pinning \`event\` to the copy's name and examples carrying it (${gen.x10Messages} messages).`,
    '- The asyncapi CLI runs with `ASYNCAPI_METRICS_CONFIG_PATH` pointing at a file with `analyticsEnabled: "false"` (what `asyncapi config analytics --disable` writes), stdin closed.',
    ...(failures.length || changes.length ? ['', ...failures, ...changes] : []),
    '',
    ratioTable([
      ratioRow(
        'full generation / asyncapi CLI',
        ratio('full', 'asyncapiCli'),
        '<=',
        0.25,
        missing('full', 'asyncapiCli'),
      ),
      ratioRow(
        'no-op regeneration / node -e 0',
        ratio('noop', 'nodeBaseline'),
        '<=',
        3,
        missing('noop', 'nodeBaseline'),
      ),
      ratioRow('10x messages / bundled-spec full generation', ratio('x10', 'full'), '<=', 5, missing('x10', 'full')),
    ]),
  ].join('\n');
}

/** What each throughput setting is; the titles and sentences of its subsection. */
const SETTINGS = {
  shared: (cores) => ({
    title: `Shared cores (server and load generator both scheduled on the ${cores} cores)`,
    about: `No pinning: the kernel schedules the server and autocannon (in the bench process) on any of the ${cores} cores, so they take CPU time from each other and req/s can measure the load generator as much as the server.`,
  }),
  pinned: () => ({
    title: `Pinned (server on CPU ${SERVER_CPU}, load generator on CPU ${LOAD_CPU})`,
    about: `Each server runs under \`taskset -c ${SERVER_CPU}\` (checked in \`/proc/<pid>/status\` for every thread) and the bench process, which runs autocannon, is pinned with \`taskset -a -p -c ${LOAD_CPU} <pid>\` for this setting only and given back its CPUs afterwards, so neither takes CPU time from the other: req/s is what the server answers on one core of its own.`,
  }),
};

const usable = (s) => s && !s.unavailable && !s.invalid && s.rps !== undefined;
/** A latency in ms; medians over an even number of rounds can end in .5. */
const latency = (ms) => (ms === undefined ? 'n/a' : `${num(ms, Number.isInteger(ms) ? 0 : 1)} ms`);

/** Text inside a table cell: a startup failure quotes several stderr lines, and `|` would end the cell. */
const cell = (text) => text.replace(/\s*\n\s*/g, ' / ').replace(/\|/g, '\\|');

function serverTable(servers) {
  const rows = servers.map((s) => {
    if (s.unavailable) return `| ${s.label} | not available: ${cell(s.unavailable)} | | | | | | | | | |`;
    const valid = s.invalid ? `INVALID: ${cell(s.invalid)}` : 'yes';
    const perRound = s.rpsPerRound.map((rps) => num(rps)).join(' / ');
    return `| ${s.label} | ${num(s.rps)} | ${perRound} | ${latency(s.p99)} | ${latency(s.p50)} | ${s.cpuUsPerRequest === undefined ? 'n/a' : `${s.cpuUsPerRequest.toFixed(1)} µs`} | ${s.loadBusyPercent === undefined ? 'n/a' : `${s.loadBusyPercent.toFixed(0)}%`} | ${s.rssPeakMb === undefined ? 'n/a' : `${s.rssPeakMb.toFixed(1)} MB`} | ${num(s.total)} | ${s.non2xx === undefined ? 'n/a' : num(s.non2xx)} | ${valid} |`;
  });
  return [
    '| server | req/s (median) | req/s per round | p99 latency (median) | p50 latency (median) | server CPU / request (median) | load generator busy (median) | peak RSS (max) | requests (sum) | non-2xx (sum) | valid |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows,
  ].join('\n');
}

/** The req/s and capacity ratio tables of one setting, from its medians. */
function settingRatios(servers) {
  const by = Object.fromEntries(servers.map((s) => [s.key, s]));
  const why = (...keys) =>
    keys
      .map((k) => by[k])
      .filter((s) => !usable(s))
      .map((s) => `${s.label} ${s.unavailable ? 'not available' : 'invalid'}`)
      .join(', ');
  const rx = by.receiver;
  return [
    ratioTable([
      ratioRow(
        'receiver req/s / bare req/s',
        usable(rx) && usable(by.bare) ? rx.rps / by.bare.rps : undefined,
        '>=',
        0.9,
        why('receiver', 'bare'),
      ),
      ratioRow(
        'receiver p99 / bare p99',
        usable(rx) && usable(by.bare) && by.bare.p99 > 0 ? rx.p99 / by.bare.p99 : undefined,
        '<=',
        1.5,
        why('receiver', 'bare') || 'bare p99 is 0 ms',
      ),
      ratioRow(
        'receiver req/s / fastify req/s',
        usable(rx) && usable(by.fastify) ? rx.rps / by.fastify.rps : undefined,
        '>=',
        1.5,
        why('receiver', 'fastify'),
      ),
    ]),
    '',
    'Capacity, from the median server CPU per request (same targets):',
    '',
    ratioTable([
      ratioRow(
        'capacity: bare CPU/request / receiver CPU/request',
        usable(rx) && usable(by.bare) && rx.cpuUsPerRequest ? by.bare.cpuUsPerRequest / rx.cpuUsPerRequest : undefined,
        '>=',
        0.9,
        why('receiver', 'bare'),
      ),
      ratioRow(
        'capacity: fastify CPU/request / receiver CPU/request',
        usable(rx) && usable(by.fastify) && rx.cpuUsPerRequest
          ? by.fastify.cpuUsPerRequest / rx.cpuUsPerRequest
          : undefined,
        '>=',
        1.5,
        why('receiver', 'fastify'),
      ),
    ]),
  ].join('\n');
}

function settingSubsection(setting, cores) {
  const { title, about } = SETTINGS[setting.key](cores);
  if (setting.skipped) return [`### ${title}`, '', about, '', `Not run: ${setting.skipped}.`].join('\n');
  return [`### ${title}`, '', about, '', serverTable(setting.servers), '', settingRatios(setting.servers)].join('\n');
}

/**
 * The receiver's stdout file is rewritten by every run and its lines are counted right after it: says
 * whether every run logged one delivery line per answered request, and gives the last run's numbers.
 */
function receiverLogNote(settings) {
  const checks = settings.flatMap((st) =>
    (st.servers ?? [])
      .filter((s) => s.key === 'receiver' && s.logChecks)
      .flatMap((s) => s.logChecks.map((c) => ({ ...c, setting: st.key }))),
  );
  if (checks.length === 0) return '';
  const describe = (c) =>
    c.why ??
    `${num(c.lines)} lines, ${num(c.deliveries)} of them deliveries, after serving ${num(c.requests)} requests`;
  const bad = checks.filter((c) => !c.matched);
  const verdict =
    bad.length === 0
      ? `${checks.length === 1 ? 'the receiver run' : checks.length === 2 ? 'both receiver runs' : `all ${checks.length} receiver runs`} matched`
      : `${bad.length} of ${checks.length} receiver runs did NOT match (${bad.map((c) => `${c.setting} round ${c.round}: ${describe(c)}`).join('; ')})`;
  const last = checks.at(-1);
  const slack = checks.find((c) => c.slack !== undefined)?.slack;
  return ` (rewritten by every run). Its lines are counted after each receiver run and compared with the requests that run served (check, warm-up and load): a run matches when it logged at least one "delivery …" line per request and at most ${slack ?? '2 × connections'} more, since autocannon ends each of its two loads with up to one request per connection in flight, which the receiver answers and logs but autocannon does not count. Here ${verdict}; last run (${last.setting} round ${last.round}): ${describe(last)}`;
}

/** The receiver's peak RSS over every setting where its figures are valid. */
function rssRow(settings) {
  const receivers = settings.map((st) => ({
    key: st.key,
    skipped: st.skipped,
    rx: st.servers?.find((s) => s.key === 'receiver'),
  }));
  const measured = receivers.filter((r) => usable(r.rx) && r.rx.rssPeakMb !== undefined);
  const why = receivers
    .filter((r) => !measured.includes(r))
    .map(
      (r) =>
        `${r.key}: ${r.skipped ? 'not run' : !r.rx || r.rx.unavailable ? 'receiver not available' : 'receiver invalid'}`,
    )
    .join(', ');
  if (measured.length === 0) return `| receiver peak RSS under load | n/a | < 100 MB | n/a (${why}) |`;
  const over =
    measured.length === receivers.length ? 'all settings' : `${measured.map((r) => r.key).join(', ')}; ${why}`;
  const peak = Math.max(...measured.map((r) => r.rx.rssPeakMb));
  return `| receiver peak RSS under load (max over ${over}) | ${peak.toFixed(1)} MB | < 100 MB | ${peak < 100 ? 'PASS' : 'MISS'} |`;
}

function throughputSection(tp, options, cores) {
  const receiver = tp.settings.flatMap((st) => st.servers ?? []).find((s) => s.key === 'receiver');
  const notes = (tp.settings[0].servers ?? [])
    .filter((s) => s.unavailable)
    .map((s) => `- ${s.label}: not available: ${s.unavailable}`);
  return [
    '## Receiver throughput',
    '',
    `autocannon ${tp.autocannonVersion}: POST \`/aircall/webhook\`, \`content-type: application/json\`, body \`test/fixtures/examples/call.created.json\` with its \`token\` replaced by the bench token (${tp.bodyBytes} bytes); ${options.connections} connections, ${options.duration} s after a ${options.warmup} s warm-up, against one server at a time, each in its own child process. Requests/s is autocannon's average; latencies are autocannon's too, which it records in whole milliseconds (so at 1-2 ms a p99 ratio of 2.00 is one step of that resolution, not a doubling); peak RSS is the largest VmRSS of the server process sampled every 200 ms during the measured load. A run is valid when every response is 200 with no errors or timeouts; each server must first answer one request with 200.`,
    '',
    `Each setting below runs ${options.rounds} round${options.rounds === 1 ? '' : 's'}; a round runs every server once, one after another, starting one server later each round, so slow drifts of the machine's load hit all servers alike. Figures are the median over rounds of req/s, p50, p99 and server CPU per request, the max of peak RSS, and the sums of requests and non-2xx; a server's figures are invalid when any of its rounds is. The ratios are computed from these medians.`,
    '',
    '- bare: `bench/servers/bare.js` (node:http, reads the body, `JSON.parse`, answers 200 `{"ok":true}`).',
    `- receiver: \`node dist-generated/server.js\` built by \`npm run build:receiver\` from \`generated/\`, env \`PORT\`, \`HOST=127.0.0.1\`, \`AIRCALL_WEBHOOK_TOKEN\`, \`AIRCALL_QUARANTINE_FILE=bench/.tmp/receiver-quarantine.jsonl\`, defaults otherwise; stdout (its JSON log lines) redirected to the file \`${receiver?.stdout ?? 'bench/.tmp/receiver-stdout.log'}\`${receiverLogNote(tp.settings)}.`,
    `- fastify: \`bench/servers/fastify.js\`, fastify ${tp.fastifyVersion}, route \`schema.body\` = the \`call.created\` payload schema resolved by @asyncapi/parser ${tp.parserVersion} with \`x-parser-*\` keys removed (ajv \`allowUnionTypes\` for the spec's type arrays), constant-time token check, handler answers 200 \`{"ok":true}\`.`,
    ...notes,
    '',
    `When all three servers reach about the same req/s, the load generator (one process on the same ${cores} cores) is the limit, not the servers. Server CPU per request (user + system time of the server process during the load, from \`/proc/<pid>/stat\`, divided by the requests answered) measures the servers regardless; each setting therefore also has the same targets, as capacity.`,
    '',
    ...tp.settings.flatMap((setting) => [settingSubsection(setting, cores), '']),
    '### Memory',
    '',
    '| absolute | value | target | result |',
    '| --- | ---: | --- | --- |',
    rssRow(tp.settings),
  ].join('\n');
}

function startupSection(st, options) {
  if (st.unavailable) {
    return [
      '## Receiver startup',
      '',
      `Not available: ${st.unavailable}`,
      '',
      ratioTable([ratioRow('receiver startup / node -e 0', undefined, '<=', 3, 'receiver not available')]),
    ].join('\n');
  }
  const row = (label, s) =>
    s ? `| ${label} | ${msFmt(s.median)} | ${msFmt(s.min)} | ${msFmt(s.max)} |` : `| ${label} | n/a | | |`;
  return [
    '## Receiver startup',
    '',
    `From spawning \`node dist-generated/server.js\` (same env as above, stdout piped) to its first 200 on \`GET /healthz\`, polled every 10 ms; the "listening" log line is timed too. Rounds: ${options.runs}, each also timing \`node -e 0\` from spawn to exit.`,
    '',
    '| case | median | min | max |',
    '| --- | ---: | ---: | ---: |',
    row('node -e 0', st.baseline),
    row('receiver: first 200 on /healthz', st.healthz),
    row(
      `receiver: "listening" log line${st.listeningSeen < st.runs ? ` (seen in ${st.listeningSeen} of ${st.runs} runs)` : ''}`,
      st.listening,
    ),
    '',
    ratioTable([ratioRow('receiver startup (/healthz) / node -e 0', st.healthz.median / st.baseline.median, '<=', 3)]),
  ].join('\n');
}

function validatorsSection(v) {
  if (v.unavailable) return ['## Generated validators', '', `Not available: ${v.unavailable}`].join('\n');
  const ns = (n) => `${num(n, 1)} ns`;
  return [
    '## Generated validators',
    '',
    `\`validateEvent\` from \`dist-generated/validators.js\`, called ${num(v.calls)} times per round on bodies that conform, in a fresh \`node\` process (\`bench/lib/validators.js\`); ${v.rounds} rounds after one untimed warm-up round. Time per call:`,
    '',
    '| case | median | min | max |',
    '| --- | ---: | ---: | ---: |',
    ...v.cases.map((c) => `| ${c.label} | ${ns(c.ns.median)} | ${ns(c.ns.min)} | ${ns(c.ns.max)} |`),
  ].join('\n');
}

/** How each durable server's runs fared in their checks, one line per server that has checks. */
function durableChecksNote(settings) {
  const lines = [];
  // Every server that has checks, in the order the servers run.
  const keys = new Set(settings.flatMap((st) => (st.servers ?? []).filter((s) => s.checks).map((s) => s.key)));
  for (const key of keys) {
    const checks = settings.flatMap((st) =>
      (st.servers ?? [])
        .filter((s) => s.key === key && s.checks)
        .flatMap((s) => s.checks.map((c) => ({ ...c, setting: st.key, label: s.label }))),
    );
    if (checks.length === 0) continue;
    const bad = checks.filter((c) => !c.ok);
    const noted = checks.filter((c) => c.ok && c.summary.includes('NOTE'));
    const last = checks.at(-1);
    lines.push(
      bad.length === 0
        ? `- ${last.label}: all ${checks.length} runs passed their checks; last (${last.setting} round ${last.round}): ${last.summary}.`
        : `- ${last.label}: ${bad.length} of ${checks.length} runs FAILED their checks (and are invalid): ${bad.map((c) => `${c.setting} round ${c.round}: ${c.summary}`).join('; ')}.`,
    );
    // Findings of valid runs (errors after SIGTERM, stored but unacknowledged deliveries): every one, not only the last.
    for (const c of noted) lines.push(`  - finding, ${c.setting} round ${c.round}: ${c.summary}.`);
  }
  return lines.join('\n');
}

/**
 * The durable section's ratios: [name, server, against, figure, target]. `rps` divides req/s, `p99`
 * subtracts p99s, `cpu` divides the other server's CPU per request by this one's (capacity: what the
 * ratio of req/s becomes when the server's CPU, not the load generator or a wait, is the limit); without a
 * target the ratio is reported only (the floors, the acknowledgement alone).
 * @type {[string, string, string, 'rps' | 'p99' | 'cpu', ['>=' | '<=', number]?][]}
 */
const DURABLE_RATIOS = [
  ['sqlite req/s / bare req/s', 'sqlite', 'bare', 'rps', ['>=', 0.5]],
  ['sqlite floor req/s / bare req/s', 'sqliteFloor', 'bare', 'rps'],
  ['sqlite contract floor req/s / bare req/s', 'sqliteContractFloor', 'bare', 'rps'],
  ['sqlite acknowledge only req/s / bare req/s', 'sqliteAckOnly', 'bare', 'rps'],
  ['inline req/s / bare req/s', 'inline', 'bare', 'rps'],
  ['sqlite req/s / sqlite floor req/s', 'sqlite', 'sqliteFloor', 'rps'],
  ['sqlite acknowledge only req/s / sqlite contract floor req/s', 'sqliteAckOnly', 'sqliteContractFloor', 'rps'],
  ['sqlite p99 - bare p99 (ms)', 'sqlite', 'bare', 'p99', ['<=', 10]],
  ['redis req/s / bare req/s', 'redis', 'bare', 'rps', ['>=', 0.5]],
  ['bullmq floor req/s / bare req/s', 'bullmqFloor', 'bare', 'rps'],
  ['redis req/s / bullmq floor req/s', 'redis', 'bullmqFloor', 'rps'],
  ['redis req/s / express+bullmq req/s', 'redis', 'expressBullmq', 'rps', ['>=', 2]],
];

/**
 * The same targets as capacity (see CAPACITY_NOTE), for the servers that have one.
 * @type {typeof DURABLE_RATIOS}
 */
const DURABLE_CAPACITY = [
  ['capacity: bare CPU/request / sqlite CPU/request', 'sqlite', 'bare', 'cpu', ['>=', 0.5]],
  ['capacity: sqlite floor CPU/request / sqlite CPU/request', 'sqlite', 'sqliteFloor', 'cpu'],
  ['capacity: bare CPU/request / sqlite contract floor CPU/request', 'sqliteContractFloor', 'bare', 'cpu'],
  [
    'capacity: sqlite contract floor CPU/request / sqlite acknowledge only CPU/request',
    'sqliteAckOnly',
    'sqliteContractFloor',
    'cpu',
  ],
  ['capacity: bare CPU/request / inline CPU/request', 'inline', 'bare', 'cpu'],
  ['capacity: inline CPU/request / sqlite acknowledge only CPU/request', 'sqliteAckOnly', 'inline', 'cpu'],
  ['capacity: bare CPU/request / redis CPU/request', 'redis', 'bare', 'cpu', ['>=', 0.5]],
  ['capacity: bullmq floor CPU/request / redis CPU/request', 'redis', 'bullmqFloor', 'cpu'],
  ['capacity: express+bullmq CPU/request / redis CPU/request', 'redis', 'expressBullmq', 'cpu', ['>=', 2]],
];

const CAPACITY_NOTE =
  "Capacity, from the median server CPU per request (user + system time of the server process, all its threads: the fsyncs and checkpoints included; not the Redis server's, for any server), with the same targets:";

/** One ratio's value from the two servers' medians, or undefined when either is unusable or has no figure. */
function durableValue(a, b, figure) {
  if (!usable(a) || !usable(b)) return undefined;
  if (figure === 'p99') return a.p99 - b.p99;
  if (figure === 'rps') return a.rps / b.rps;
  return a.cpuUsPerRequest > 0 && b.cpuUsPerRequest !== undefined ? b.cpuUsPerRequest / a.cpuUsPerRequest : undefined;
}

/** The durable ratios of one setting, then its capacity ratios. */
export function durableRatios(servers) {
  return [durableTable(servers, DURABLE_RATIOS), '', CAPACITY_NOTE, '', durableTable(servers, DURABLE_CAPACITY)].join(
    '\n',
  );
}

function durableTable(servers, ratios) {
  const by = Object.fromEntries(servers.map((s) => [s.key, s]));
  return ratioTable(
    ratios.map(([name, a, b, figure, target]) => {
      const value = durableValue(by[a], by[b], figure);
      // Both usable and still no value: only a capacity ratio can miss its figure.
      const why =
        [by[a], by[b]]
          .filter((s) => !usable(s))
          .map((s) => `${s?.label ?? 'server'} ${s?.unavailable ? 'not available' : 'invalid'}`)
          .join(', ') || 'no CPU figure';
      return target ? ratioRow(name, value, target[0], target[1], why) : reportRow(name, value, why);
    }),
  );
}

const WORKER_CASES = {
  sqlite: 'sqlite: one receiver process (`dist-generated/server.js`, default concurrency 8)',
  'redis-1': 'redis: 1 worker process (`dist-generated/worker.js`)',
  'redis-2': 'redis: 2 worker processes',
};

function workersTable(workers) {
  const rows = workers.map((w) => {
    const label = WORKER_CASES[w.name] ?? w.name;
    if (w.unavailable) return `| ${label} | not available: ${cell(w.unavailable)} | | | |`;
    if (w.perSecond === undefined) return `| ${label} | INVALID: ${cell(w.invalid ?? 'no figure')} | | | |`;
    const check = w.invalid
      ? `INVALID: ${cell(w.invalid)}`
      : `${num(w.handled)} handled, ${num(w.otherAttempts)} other`;
    return `| ${label} | ${num(w.perSecond)} | ${num(w.count)} | ${w.seconds.toFixed(2)} s | ${check} |`;
  });
  const sqlite = workers.find((w) => w.name === 'sqlite');
  const sqliteOk = sqlite && !sqlite.invalid && !sqlite.unavailable;
  return [
    '| case | handled deliveries/s | deliveries | from first spawn to empty | attempt lines in the logs |',
    '| --- | ---: | ---: | ---: | --- |',
    ...rows,
    '',
    ratioTable([
      ratioRow(
        'sqlite workers: handled deliveries/s',
        sqliteOk ? sqlite.perSecond : undefined,
        '>=',
        5000,
        sqlite?.unavailable ? 'not available' : 'invalid',
      ),
    ]),
  ].join('\n');
}

/** The disk's fdatasync latency measured at the start of the section: whether the durable runs wait on the disk. */
export function fsyncNote(fsync) {
  if (!fsync) return 'fdatasync latency: not measured.';
  const ms = (v) => `${v.toFixed(2)} ms`;
  return `fdatasync latency on the disk of the queue files (\`bench/.tmp\`), measured before the loads: ${fsync.count} appends of ${fsync.bytes / 1024} KB, each followed by fdatasync: p50 ${ms(fsync.p50)}, p90 ${ms(fsync.p90)}, p99 ${ms(fsync.p99)}. The 0.5 x bare target assumes about 2.5 ms (the acknowledgement then waits on the disk, and 50 requests share each fsync); with a much faster fsync the durable servers' CPU per request, not the disk, sets their req/s (see the capacity rows).`;
}

function durableSection(d, options, cores) {
  const settings = d.settings.map((setting) => {
    const { title, about } = SETTINGS[setting.key](cores);
    if (setting.skipped) return [`### Durable, ${title}`, '', about, '', `Not run: ${setting.skipped}.`].join('\n');
    const checks = durableChecksNote([setting]);
    return [
      `### Durable, ${title}`,
      '',
      serverTable(setting.servers),
      '',
      durableRatios(setting.servers),
      ...(checks ? ['', 'Checks:', '', checks] : []),
    ].join('\n');
  });
  return [
    '## Durable mode (acknowledgement with distinct bodies, workers)',
    '',
    `The same harness as the receiver throughput above (${options.rounds} interleaved round${options.rounds === 1 ? '' : 's'} per setting, medians, ${options.connections} connections, ${options.duration} s after a ${options.warmup} s warm-up, both settings), but every request carries a distinct real \`call.created\` body: the example with the bench token and a \`data.id\` never used before in the run (${num(d.bodies)} bodies made; \`bench/lib/distinct-bodies.js\` serializes the body once and makes each one as prefix + id + suffix, so the load generator does not re-serialize a 1.8 kB object per request). "load generator busy" is the bench process's CPU time over the load's wall time: near 100% means autocannon (one thread) was the limit, not the server.`,
    '',
    '- bare: `bench/servers/bare.js` (node:http, reads the body, `JSON.parse`, answers 200). Stores nothing: the ceiling.',
    "- receiver, inline mode: `node dist-generated/server.js` with `AIRCALL_QUEUE=inline`: the no-op stub handler runs inside the request and nothing is stored. What the receiver's own work costs (token check, parse, validation, dispatch, one log line) apart from any queue; `inline CPU/request / sqlite acknowledge only CPU/request` is then the share of the acknowledgement's CPU that is not the queue's. Checked like the inline section's receiver (one delivery line per answered request). Reported, no target here.",
    "- sqlite floor (store only): `bench/servers/sqlite-floor.js`, the least any SQLite-backed acknowledgement does, to read `sqlite / bare` against: node:http, `JSON.parse`, the raw body stored with a plain INSERT into a table with no index, the requests read while an fsync runs committed together in one transaction (WAL, `synchronous=NORMAL`), then `fdatasync` of the WAL on libuv's pool, 200 only once it ended. No token check, validation, dedupe key, index, log line, checkpoint or worker: everything the receiver does on top of bare is left out but the durable write itself.",
    "- sqlite contract floor (acknowledgement work only): `bench/servers/sqlite-contract-floor.js`, the sqlite floor plus what the issue's contract requires of every acknowledgement, each part the generated receiver's own code from `dist-generated/`: the constant-time token check, validation against the event's schema, the dedupe key (SHA-256 of the canonical JSON without `token`) stored under a unique index with the object (as the receiver's), one log line per delivery, and WAL checkpoints on a thread of their own (the receiver's checkpointer, same settings). None of the receiver's own structure: no state, lease or order columns, no due or per-object order index, no workers, no quarantine, no promise per write. What `sqlite / bare` can reach on this machine before the queue's ordering and its workers are paid for.",
    '- receiver, sqlite mode: `node dist-generated/server.js` with `AIRCALL_QUEUE=sqlite` and a new queue file per run (WAL, group commit: a 200 only after its transaction is committed and an fdatasync of the WAL that began after the commit has ended, the guarantee of `synchronous=FULL` without holding the event loop); `AIRCALL_CONCURRENCY=1`, so the no-op stub handlers run in the same process but one at a time. The target is read on this server.',
    "- receiver, sqlite mode, acknowledge only: the same with `AIRCALL_WORKERS=0` (no handler runs during the load), as the redis receiver is measured: what the acknowledgement alone costs. Reported, not the target's server.",
    '- receiver, redis mode: the same server with `AIRCALL_QUEUE=redis`, `AIRCALL_REDIS_URL=redis://127.0.0.1:6379`, its own `AIRCALL_REDIS_PREFIX` per run (keys deleted after the run) and `AIRCALL_WORKERS=0`: it only acknowledges (a 200 after Redis accepted the job), as a stateless receiver in front of separate workers. Redis itself is not pinned and is shared with other work on the machine.',
    "- bullmq floor (addBulk only): `bench/servers/bullmq-addbulk.js`, the least a BullMQ-backed acknowledgement with one job per delivery does, to read `redis / bare` against: node:http, `JSON.parse`, the requests read in one event-loop turn sent to the same Redis in one `queue.addBulk` (one job each, its own prefix per run), 200 once it resolved. No token check, validation, dedupe, per-object order or log line. Not a floor for every use of BullMQ: the receiver stores a turn's deliveries as one job (its inbox batch) and spreads them into one job each later, on the workers, so it can run above this floor.",
    '- express + bullmq: `bench/servers/express-bullmq.js`, what a user would write by hand: Express with `express.json()`, a constant-time token check, `await queue.add(event, body)` (token removed) on a BullMQ queue on the same Redis with its own prefix per run, 200 once the add resolved. No validation, no dedupe.',
    '',
    "Checks after every run (a run that fails one is invalid, and so are the server's medians): the receiver's stdout must have one `delivery queued` line (status 200, outcome `queued`, an id no other line has) per request it answered (the checked first request, the warm-up and the load; up to 2 x connections more, for the requests in flight when autocannon stops each load, which it does not count), and no `duplicate`, failed, 5xx or error line; then the queue must hold every delivery a `delivery queued` line acknowledged (fewer is invalid; more is allowed up to the same in-flight slack and quoted as a finding: stored but never answered, so Aircall would retry it and the dedupe absorb it), counting rows of `aircall_jobs` in the run's file (sqlite; the workers move rows to done but do not delete them), or jobs in every state counted by the receiver's own Redis backend (`status()`) under the run's prefix (redis). For express + bullmq and the three floors (no receiver log), the BullMQ queue, or the floor's table, must hold one job or row per answered request (same slack). The server must also exit 0 after SIGTERM (a SIGKILL after 10 s could lose log lines). An error line written after SIGTERM that names no event is not an acknowledgement: it does not invalidate the run but is quoted in the checks below as a finding.",
    '',
    fsyncNote(d.fsync),
    '',
    ...settings.flatMap((s) => [s, '']),
    '### Worker throughput (no-op stub handlers)',
    '',
    `A queue filled beforehand with ${num(d.workerJobs)} distinct deliveries through the receiver's own queue module (\`dist/queue\`), then drained: the clock runs from spawning the process(es) (start included) until the queue has nothing pending or running (polled every 20 ms). Valid only when the workers' logs have exactly one \`handled\` attempt line per delivery and no other attempt line. Default log level (one line per attempt), default concurrency (8 per process).`,
    '',
    workersTable(d.workers),
  ].join('\n');
}

const SECTION_TITLES = {
  generation: 'generation',
  throughput: 'receiver throughput (inline)',
  durable: 'durable mode',
  validators: 'generated validators',
  startup: 'receiver startup',
};

/**
 * The whole report, or (with `all.options.only`) the sections that ran, under a note naming them: a
 * partial run never carries figures of sections it did not run.
 */
export function renderReport(all) {
  const only = all.options.only;
  const partial = only
    ? [
        `**Partial run** (\`--only ${only.join(',')}\`): sections run: ${only.map((k) => SECTION_TITLES[k]).join(', ')}. The other sections were not run and are not shown; \`bench/RESULTS.md\` keeps the last full run.`,
      ]
    : [];
  const ran = (key) => !only || only.includes(key);
  return `${[
    machineSection(all),
    ...partial,
    ...(ran('generation') ? [generationSection(all.generation)] : []),
    ...(ran('throughput') ? [throughputSection(all.throughput, all.options, all.machine.cores)] : []),
    ...(ran('durable') ? [durableSection(all.durable, all.options, all.machine.cores)] : []),
    ...(ran('validators') ? [validatorsSection(all.validators)] : []),
    ...(ran('startup') ? [startupSection(all.startup, all.options)] : []),
    [
      '## How to reproduce',
      '',
      'From the repo root: `npm run bench` (installs `bench/` with `npm ci --prefix bench` and builds `dist/` when missing); `npm run bench -- --quick` for 3 runs, 1 throughput round and 5 s loads, or `--runs N --rounds N --duration S --connections C`; `--only durable` (or any of generation, throughput, durable, validators, startup, comma-separated) runs only those sections and writes `bench/RESULTS.partial.md` instead of this file. The redis cases need Redis on 127.0.0.1:6379 (`BENCH_REDIS_URL` to change it).',
    ].join('\n'),
  ].join('\n\n')}\n`;
}
