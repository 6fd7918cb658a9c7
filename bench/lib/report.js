// Renders the results as Markdown (bench/RESULTS.md and stdout). Numbers and verdicts only.

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
    `- Settings: runs per timed case ${options.runs} (median, min, max); load ${options.duration} s per server after a ${options.warmup} s warm-up, ${options.connections} connections, 127.0.0.1`,
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
      `- The generator's files (dist/, templates/, bin/, spec/) changed ${c}; rounds before and after ran different builds (other work on the repo rebuilt it).`,
  );
  return [
    '## Generation',
    '',
    'Each case is a cold `node` process, timed from spawn to exit (wall clock); the cases run interleaved, one round at a time. Output folders are fresh under `bench/.tmp/`, except for the no-op case, which regenerates a folder prepared by one untimed run (checked unchanged afterwards; prepared again, untimed, before a no-op run when dist/, templates/, bin/ or spec/ changed since it was prepared).',
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

function throughputSection(tp, options) {
  const rows = tp.servers.map((s) => {
    if (s.unavailable) return `| ${s.label} | not available | | | | | | |`;
    const valid = s.invalid ? `INVALID: ${s.invalid}` : 'yes';
    return `| ${s.label} | ${num(s.rps)} | ${num(s.p99)} ms | ${num(s.p50)} ms | ${s.cpuUsPerRequest === undefined ? 'n/a' : `${s.cpuUsPerRequest.toFixed(1)} µs`} | ${s.rssPeakMb === undefined ? 'n/a' : `${s.rssPeakMb.toFixed(1)} MB`} | ${num(s.total)} | ${s.non2xx ?? 'n/a'} | ${valid} |`;
  });
  const by = Object.fromEntries(tp.servers.map((s) => [s.key, s]));
  const usable = (s) => s && !s.unavailable && !s.invalid && s.rps !== undefined;
  const why = (...keys) =>
    keys
      .map((k) => by[k])
      .filter((s) => !usable(s))
      .map((s) => `${s.label} ${s.unavailable ? 'not available' : 'invalid'}`)
      .join(', ');
  const rx = by.receiver;
  const notes = tp.servers.filter((s) => s.unavailable).map((s) => `- ${s.label}: not available: ${s.unavailable}`);
  return [
    '## Receiver throughput',
    '',
    `autocannon ${tp.autocannonVersion}: POST \`/aircall/webhook\`, \`content-type: application/json\`, body \`../shared/aircall/examples/call.created.json\` with its \`token\` replaced by the bench token (${tp.bodyBytes} bytes); ${options.connections} connections, ${options.duration} s after a ${options.warmup} s warm-up, against one server at a time, each in its own child process. Requests/s is autocannon's average; peak RSS is the largest VmRSS of the server process sampled every 200 ms during the measured load. A run is valid when every response is 200 with no errors or timeouts; each server must first answer one request with 200.`,
    '',
    '| server | req/s (avg) | p99 latency | p50 latency | server CPU / request | peak RSS | requests | non-2xx | valid |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows,
    '',
    '- bare: `bench/servers/bare.js` (node:http, reads the body, `JSON.parse`, answers 200 `{"ok":true}`).',
    `- receiver: \`node dist-generated/server.js\` built by \`npm run build:receiver\` from \`generated/\`, env \`PORT\`, \`HOST=127.0.0.1\`, \`AIRCALL_WEBHOOK_TOKEN\`, \`AIRCALL_QUARANTINE_FILE=bench/.tmp/receiver-quarantine.jsonl\`, defaults otherwise; stdout (its JSON log lines) redirected to the file \`${rx?.stdout ?? 'bench/.tmp/receiver-stdout.log'}\`${rx?.logLines !== undefined && rx?.total !== undefined ? ` (${num(rx.logLines)} lines after serving ${num(rx.total + rx.warmupTotal + 1)} requests: check, warm-up and load)` : ''}.`,
    `- fastify: \`bench/servers/fastify.js\`, fastify ${tp.fastifyVersion}, route \`schema.body\` = the \`call.created\` payload schema resolved by @asyncapi/parser ${tp.parserVersion} with \`x-parser-*\` keys removed (ajv \`allowUnionTypes\` for the spec's type arrays), constant-time token check, handler answers 200 \`{"ok":true}\`.`,
    ...notes,
    '',
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
    'When all three servers reach about the same req/s, the load generator (one process on the same 2 cores) is the limit, not the servers. Server CPU per request (user + system time of the server process during the load, from `/proc/<pid>/stat`, divided by the requests answered) measures the servers regardless; the same targets, as capacity:',
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
        usable(rx) && usable(by.fastify) && rx.cpuUsPerRequest ? by.fastify.cpuUsPerRequest / rx.cpuUsPerRequest : undefined,
        '>=',
        1.5,
        why('receiver', 'fastify'),
      ),
    ]),
    '',
    '| absolute | value | target | result |',
    '| --- | ---: | --- | --- |',
    usable(rx) && rx.rssPeakMb !== undefined
      ? `| receiver peak RSS under load | ${rx.rssPeakMb.toFixed(1)} MB | < 100 MB | ${rx.rssPeakMb < 100 ? 'PASS' : 'MISS'} |`
      : `| receiver peak RSS under load | n/a | < 100 MB | n/a (${why('receiver')}) |`,
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

export function renderReport(all) {
  return (
    [
      machineSection(all),
      generationSection(all.generation),
      throughputSection(all.throughput, all.options),
      startupSection(all.startup, all.options),
      [
        '## How to reproduce',
        '',
        'From the repo root: `npm run bench` (installs `bench/` with `npm ci --prefix bench` and builds `dist/` when missing); `npm run bench -- --quick` for 3 runs and 5 s loads, or `--runs N --duration S --connections C`.',
      ].join('\n'),
    ].join('\n\n') + '\n'
  );
}
