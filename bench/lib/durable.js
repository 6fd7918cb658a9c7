// Durable mode (AIRCALL_QUEUE=sqlite): acknowledgement throughput with every body distinct (each one is
// stored, none is a duplicate), against bare node:http under the same load in the same run; and worker
// throughput: a queue file filled beforehand, drained by the server's workers with the no-op stub handlers.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { ROOT, TMP } from './paths.js';
import { HOST, freePort, httpRequest, startServer, stopServer, waitUntil } from './servers.js';

const PATH = '/aircall/webhook';

/** Bodies made distinct by `data.id` (a real call.created otherwise). */
function distinctBody(example, token, n) {
  return JSON.stringify({ ...example, data: { ...example.data, id: 900_000_000 + n }, token });
}

/** One autocannon load where every request carries a new body. */
function loadDistinct(port, { example, token, connections, duration, offset }) {
  let n = offset;
  return autocannon({
    url: `http://${HOST}:${port}${PATH}`,
    connections,
    duration,
    requests: [
      {
        method: 'POST',
        path: PATH,
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: distinctBody(example, token, n++) }),
      },
    ],
  });
}

async function measure({ name, script, env, example, token, connections, duration, warmup, log }) {
  const port = await freePort();
  const server = startServer(script, {
    cwd: TMP,
    env: { ...process.env, ...env, PORT: String(port), HOST },
    stdoutFile: join(TMP, `${name}-stdout.log`),
  });
  try {
    const first = await waitUntil(server, () =>
      httpRequest(port, {
        method: 'POST',
        path: PATH,
        headers: { 'content-type': 'application/json' },
        body: distinctBody(example, token, -1),
      }),
    );
    if (first.status !== 200) return { name, invalid: `first answer ${first.status} ${first.body}` };
    log(`  ${name}: warm-up ${warmup} s, then ${duration} s at ${connections} connections, distinct bodies`);
    await loadDistinct(port, { example, token, connections, duration: warmup, offset: 0 });
    const result = await loadDistinct(port, { example, token, connections, duration, offset: 10_000_000 });
    const figures = { name, rps: result.requests.average, p99: result.latency.p99, total: result.requests.total };
    const problems = [];
    if (result.non2xx !== 0) problems.push(`${result.non2xx} non-2xx`);
    if (result.errors !== 0) problems.push(`${result.errors} errors`);
    return problems.length > 0 ? { ...figures, invalid: problems.join('; ') } : figures;
  } finally {
    await stopServer(server);
  }
}

/** Fills a queue file with `count` distinct deliveries through the receiver's own queue module. */
async function fillQueue(file, count, example) {
  const { createSqliteQueue } = await import(join(ROOT, 'dist', 'queue', 'sqlite.js'));
  const { canonicalJson, keyOfCanonical } = await import(join(ROOT, 'dist', 'queue', 'dedupe-key.js'));
  const queue = createSqliteQueue({ file });
  const now = Date.now();
  const writes = [];
  for (let n = 0; n < count; n++) {
    const body = canonicalJson({ ...example, data: { ...example.data, id: 800_000_000 + n } });
    const job = {
      key: keyOfCanonical(body),
      event: example.event,
      objectKey: `call:${800_000_000 + n}`,
      timestamp: example.timestamp,
      body,
      receivedAt: now,
    };
    writes.push(queue.enqueue(job, now));
  }
  await Promise.all(writes);
  await queue.close();
}

/** Starts the server on a filled queue; handled deliveries per second until every one is done. */
async function workerThroughput({ script, env, example, count, log }) {
  const file = join(TMP, 'workers.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  await fillQueue(file, count, example);
  const { loadSqliteDriver } = await import(join(ROOT, 'dist', 'queue', 'sqlite-driver.js'));
  const Database = loadSqliteDriver();
  const port = await freePort();
  const started = performance.now();
  const server = startServer(script, {
    cwd: TMP,
    env: { ...process.env, ...env, AIRCALL_QUEUE_FILE: file, PORT: String(port), HOST },
    stdoutFile: join(TMP, 'workers-stdout.log'),
  });
  try {
    const reader = new Database(file, { readonly: true });
    const left = () => reader.prepare(`SELECT count(*) AS n FROM aircall_jobs WHERE state != 'done'`).get().n;
    let remaining = count;
    while (remaining > 0 && performance.now() - started < 120_000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      remaining = left();
    }
    const seconds = (performance.now() - started) / 1000;
    reader.close();
    log(`  workers: ${count - remaining} of ${count} handled in ${seconds.toFixed(2)} s (process start included)`);
    return remaining > 0
      ? { invalid: `${remaining} not handled after 120 s` }
      : { count, seconds, perSecond: count / seconds };
  } finally {
    await stopServer(server);
  }
}

/** The durable-mode figures: bare and sqlite acknowledgement, worker throughput. */
export async function benchDurable({
  bareScript,
  receiverScript,
  receiverEnv,
  example,
  token,
  connections,
  duration,
  warmup,
  log,
}) {
  const queueFile = join(TMP, 'ack.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(queueFile + suffix, { force: true });
  const common = { example, token, connections, duration, warmup, log };
  const bare = await measure({ ...common, name: 'bare-distinct', script: bareScript, env: {} });
  // Handlers stay out of the way of the measured acknowledgements: they run, but one at a time.
  const sqliteEnv = {
    ...receiverEnv,
    AIRCALL_QUEUE: 'sqlite',
    AIRCALL_QUEUE_FILE: queueFile,
    AIRCALL_CONCURRENCY: '1',
  };
  const sqlite = await measure({ ...common, name: 'sqlite', script: receiverScript, env: sqliteEnv });
  const workers = await workerThroughput({
    script: receiverScript,
    env: { ...receiverEnv, AIRCALL_QUEUE: 'sqlite', LOG_LEVEL: 'warn' },
    example,
    count: 20_000,
    log,
  });
  return { bare, sqlite, workers };
}

/** The section of RESULTS.md. */
export function renderDurable(figures) {
  const { bare, sqlite, workers } = figures;
  const row = (f) =>
    f.invalid
      ? `| ${f.name} | invalid: ${f.invalid} | | |`
      : `| ${f.name} | ${Math.round(f.rps)} | ${f.p99} | ${f.total} |`;
  const ratio = !bare.invalid && !sqlite.invalid ? (sqlite.rps / bare.rps).toFixed(2) : 'n/a';
  const p99 =
    !bare.invalid && !sqlite.invalid ? `${sqlite.p99} ms vs bare ${bare.p99} ms (target: at most bare + 10 ms)` : 'n/a';
  const workerLine = workers.invalid
    ? `invalid: ${workers.invalid}`
    : `${Math.round(workers.perSecond)} handled deliveries/s (${workers.count} in ${workers.seconds.toFixed(2)} s, process start included; target >= 5,000/s)`;
  return [
    '## Durable mode (AIRCALL_QUEUE=sqlite)',
    '',
    'Every body distinct (`data.id` changes per request), so each acknowledgement is a committed row (WAL, synchronous=FULL, group commit).',
    '',
    '| server | req/s | p99 ms | requests |',
    '| --- | --- | --- | --- |',
    row(bare),
    row(sqlite),
    '',
    `- sqlite / bare: **${ratio}x** (target >= 0.5x); p99 ${p99}`,
    `- workers, no-op stub handlers, default concurrency 8: ${workerLine}`,
    '',
  ].join('\n');
}
