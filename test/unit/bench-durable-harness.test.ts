// The durable bench's own logic, without a load: distinct bodies are valid and distinct, and the checks that
// decide whether a run counts reject what they must (a run that passes them wrongly would publish bad figures).
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../support/project.js';

// Plain JavaScript from bench/ (type-checked there): imported by path, so typed as any here.
const benchLib = (name: string) => join(ROOT, 'bench', 'lib', name);
const { distinctBodies } = await import(benchLib('distinct-bodies.js'));
const { checkDurableLog, countHandled, storedPerRequest, withStored } = await import(benchLib('durable-checks.js'));
const { parseArgs } = await import(benchLib('args.js'));
const { durableRatios, fsyncNote } = await import(benchLib('report.js'));
// machine.js, not durable.js: that one loads autocannon, which only bench/'s own install has.
const { fsyncLatency } = await import(benchLib('machine.js'));

const example = JSON.parse(await readFile(join(ROOT, 'test/fixtures/examples/call.created.json'), 'utf8'));

describe('distinct bodies', () => {
  it('are the example with the token and a new data.id each, as valid JSON', () => {
    const bodies = distinctBodies(example, 'tok');
    const made = Array.from({ length: 1000 }, () => bodies.next());
    const parsed = made.map((body: string) => JSON.parse(body));
    expect(new Set(made).size).toBe(1000);
    expect(new Set(parsed.map((b: { data: { id: number } }) => b.data.id)).size).toBe(1000);
    const first = parsed[0];
    expect(first).toEqual({ ...example, data: { ...example.data, id: first.data.id }, token: 'tok' });
  });

  it('never repeat an id across generators of one process', () => {
    const a = distinctBodies(example, 'tok');
    const b = distinctBodies(example, 'tok');
    const ids = [a.next(), b.next(), a.next()].map((body: string) => JSON.parse(body).data.id);
    expect(new Set(ids).size).toBe(3);
  });
});

const queued = (id: string) =>
  JSON.stringify({
    level: 'info',
    event: 'call.created',
    status: 200,
    outcome: 'queued',
    id,
    ms: 1,
    msg: 'delivery queued',
  });
const handled = (id: string, attempt = 1) =>
  JSON.stringify({
    level: 'info',
    event: 'call.created',
    id,
    attempt,
    outcome: 'handled',
    ms: 0,
    msg: 'attempt handled',
  });

describe('the durable log check', () => {
  // 3 requests counted by autocannon (first + warm-up 1 + load 1), 1 connection: up to 2 more lines.
  const outcome = { total: 1, warmupTotal: 1, exit: 0 };

  async function check(lines: string[], run: object = outcome) {
    const dir = await tempDir('bench-durable-log');
    const file = join(dir, 'stdout.log');
    await writeFile(file, `${lines.join('\n')}\n`);
    return checkDurableLog(file, run, 1);
  }

  it('passes one queued line per request, ignoring lifecycle and worker lines', async () => {
    const result = await check([
      JSON.stringify({ level: 'info', msg: 'listening' }),
      queued('a'),
      handled('a'),
      queued('b'),
      queued('c'),
      queued('d'),
    ]);
    expect(result).toMatchObject({ ok: true, queued: 4, requests: 3, handled: 1 });
  });

  it('fails on fewer lines than requests, a repeated id, a duplicate, a 5xx, or an unclean exit', async () => {
    expect((await check([queued('a'), queued('b')])).ok).toBe(false);
    expect((await check([queued('a'), queued('b'), queued('b')])).summary).toContain('ids logged twice');
    const duplicate = JSON.stringify({
      event: 'call.created',
      status: 200,
      outcome: 'duplicate',
      id: 'c',
      msg: 'duplicate delivery',
    });
    expect((await check([queued('a'), queued('b'), duplicate, queued('c')])).ok).toBe(false);
    const failed = JSON.stringify({
      level: 'error',
      event: 'call.created',
      status: 503,
      outcome: 'failed',
      msg: 'delivery not stored',
    });
    expect((await check([queued('a'), queued('b'), queued('c'), failed])).ok).toBe(false);
    expect((await check([queued('a'), queued('b'), queued('c')], { ...outcome, exit: 'SIGKILL' })).ok).toBe(false);
  });

  it('reports an error after SIGTERM that names no event apart, without failing the acknowledgements', async () => {
    const result = await check([
      queued('a'),
      queued('b'),
      queued('c'),
      JSON.stringify({ level: 'info', msg: 'shutting down' }),
      JSON.stringify({
        level: 'error',
        status: 500,
        outcome: 'failed',
        error: { type: 'QueueClosedError', message: 'closed' },
        msg: 'receiver error',
      }),
    ]);
    expect(result.ok).toBe(true);
    expect(result.summary).toContain('QueueClosedError');
  });

  it('with the queue count: every queued line stored; a few stored but unacknowledged are a finding', async () => {
    const log = await check([queued('a'), queued('b'), queued('c')]);
    expect(withStored(log, 3, 'rows').ok).toBe(true);
    expect(withStored(log, 2, 'rows')).toMatchObject({ ok: false });
    expect(withStored(log, 2, 'rows').summary).toContain('1 acknowledged deliveries are not stored');
    const extra = withStored(log, 4, 'jobs', ['pending e']);
    expect(extra.ok).toBe(true);
    expect(extra.summary).toContain('pending e');
    expect(extra.summary).toContain('NOTE 1 stored but never acknowledged');
    // Beyond the in-flight slack (2 x 1 connection): something else is in the queue.
    expect(withStored(log, 6, 'jobs').ok).toBe(false);
  });
});

describe('the stored count of a server without a log', () => {
  // 1,000 in the load, 200 in the warm-up, and the first request checked before them.
  const outcome = { total: 1_000, warmupTotal: 200 };

  it('passes one stored delivery per answered request, and up to the in-flight slack more', () => {
    expect(storedPerRequest(outcome, 50, 1_201, 'rows')).toMatchObject({
      ok: true,
      requests: 1_201,
      slack: 100,
      summary: '1201 rows for 1201 requests',
    });
    expect(storedPerRequest(outcome, 50, 1_301, 'jobs').ok).toBe(true);
  });

  it('fails one stored fewer than answered, or more than the slack beyond', () => {
    expect(storedPerRequest(outcome, 50, 1_200, 'rows').ok).toBe(false);
    expect(storedPerRequest(outcome, 50, 1_302, 'jobs').ok).toBe(false);
  });
});

describe('the worker log count', () => {
  it('counts handled attempts and names deliveries handled twice', async () => {
    const dir = await tempDir('bench-durable-workers');
    const files = [join(dir, 'w1.log'), join(dir, 'w2.log')];
    await writeFile(files[0] as string, `${[handled('a'), handled('b')].join('\n')}\n`);
    await writeFile(files[1] as string, `${[handled('a', 2), JSON.stringify({ msg: 'working' })].join('\n')}\n`);
    expect(countHandled(files)).toEqual({ handled: 3, otherAttempts: 0, repeated: ['a (attempt 2)'] });
  });
});

describe('bench arguments', () => {
  it('--only keeps the named sections in run order; naming all of them is a full run', () => {
    expect(parseArgs(['--only', 'startup,durable']).only).toEqual(['durable', 'startup']);
    expect(parseArgs(['--only=durable']).only).toEqual(['durable']);
    expect(parseArgs(['--only', 'generation,throughput,durable,validators,startup']).only).toBeUndefined();
    expect(parseArgs([]).only).toBeUndefined();
  });
});

describe('durable ratios', () => {
  const server = (key: string, rps: number, cpuUsPerRequest: number | undefined, p99 = 10) => ({
    key,
    label: key,
    rps,
    p99,
    cpuUsPerRequest,
  });
  const servers = [
    server('bare', 20_000, 50),
    server('sqliteFloor', 12_000, 70),
    server('sqliteContractFloor', 10_500, 88),
    server('inline', 19_000, 55),
    server('sqlite', 9_000, 110, 15),
    server('sqliteAckOnly', 10_000, 100),
    server('redis', 8_000, 90),
    server('expressBullmq', 3_000, 200),
  ];
  /** The row named `name` as [value, target, result]. */
  const row = (table: string, name: string) =>
    table
      .split('\n')
      .find((line) => line.startsWith(`| ${name} |`))
      ?.split('|')
      .slice(2, 5)
      .map((cell) => cell.trim());

  it('divide req/s, subtract p99s and give capacity as the other server CPU over this one', () => {
    const table = durableRatios(servers);
    expect(row(table, 'sqlite req/s / bare req/s')).toEqual(['0.45', '>= 0.5', 'MISS']);
    expect(row(table, 'sqlite p99 - bare p99 (ms)')).toEqual(['5.00', '<= 10', 'PASS']);
    expect(row(table, 'redis req/s / express+bullmq req/s')).toEqual(['2.67', '>= 2', 'PASS']);
    // 50 / 110 and 200 / 90: the lower the receiver's CPU per request, the higher its capacity.
    expect(row(table, 'capacity: bare CPU/request / sqlite CPU/request')).toEqual(['0.45', '>= 0.5', 'MISS']);
    expect(row(table, 'capacity: bare CPU/request / redis CPU/request')).toEqual(['0.56', '>= 0.5', 'PASS']);
    expect(row(table, 'capacity: express+bullmq CPU/request / redis CPU/request')).toEqual(['2.22', '>= 2', 'PASS']);
    expect(row(table, 'capacity: sqlite floor CPU/request / sqlite CPU/request')).toEqual(['0.64', 'report', '-']);
    // The contract floor: the acknowledgement's mandatory work alone, against bare and against the receiver's.
    expect(row(table, 'sqlite contract floor req/s / bare req/s')).toEqual(['0.53', 'report', '-']);
    expect(row(table, 'sqlite acknowledge only req/s / sqlite contract floor req/s')).toEqual(['0.95', 'report', '-']);
    expect(row(table, 'capacity: bare CPU/request / sqlite contract floor CPU/request')).toEqual([
      '0.57',
      'report',
      '-',
    ]);
    expect(row(table, 'capacity: sqlite contract floor CPU/request / sqlite acknowledge only CPU/request')).toEqual([
      '0.88',
      'report',
      '-',
    ]);
    // The inline receiver on the same bodies: its cost against bare's, and its share of the acknowledgement's.
    expect(row(table, 'inline req/s / bare req/s')).toEqual(['0.95', 'report', '-']);
    expect(row(table, 'capacity: bare CPU/request / inline CPU/request')).toEqual(['0.91', 'report', '-']);
    expect(row(table, 'capacity: inline CPU/request / sqlite acknowledge only CPU/request')).toEqual([
      '0.55',
      'report',
      '-',
    ]);
  });

  it('say why a ratio has no value: a server invalid, missing, or without a CPU figure', () => {
    const table = durableRatios([
      ...servers.filter((s) => s.key !== 'redis' && s.key !== 'sqlite'),
      server('sqlite', 9_000, undefined),
      { key: 'redis', label: 'redis', unavailable: 'no Redis' },
      { key: 'bullmqFloor', label: 'bullmq floor', rps: 5_000, p99: 9, cpuUsPerRequest: 80, invalid: 'round 1: x' },
    ]);
    expect(row(table, 'sqlite req/s / bare req/s')).toEqual(['0.45', '>= 0.5', 'MISS']);
    expect(row(table, 'capacity: bare CPU/request / sqlite CPU/request')).toEqual([
      'n/a',
      '>= 0.5',
      'n/a (no CPU figure)',
    ]);
    expect(row(table, 'redis req/s / bare req/s')).toEqual(['n/a', '>= 0.5', 'n/a (redis not available)']);
    expect(row(table, 'bullmq floor req/s / bare req/s')).toEqual(['n/a', 'report', 'n/a (bullmq floor invalid)']);
  });
});

describe('the fsync probe', () => {
  it('times fdatasync of appends on the given folder, in order, and leaves nothing behind', async () => {
    const dir = await tempDir('fsync-probe');
    const fsync = fsyncLatency(dir, { count: 20, bytes: 4096 });
    expect(fsync).toMatchObject({ count: 20, bytes: 4096 });
    expect(fsync.p50).toBeGreaterThan(0);
    expect(fsync.p90).toBeGreaterThanOrEqual(fsync.p50);
    expect(fsync.p99).toBeGreaterThanOrEqual(fsync.p90);
    expect(await readdir(dir)).toEqual([]);
  });

  it('is written into the report with its figures, or said to be missing', () => {
    const note = fsyncNote({ count: 200, bytes: 65_536, p50: 0.218, p90: 0.243, p99: 0.552 });
    expect(note).toContain('200 appends of 64 KB');
    expect(note).toContain('p50 0.22 ms, p90 0.24 ms, p99 0.55 ms');
    expect(fsyncNote(undefined)).toBe('fdatasync latency: not measured.');
  });
});
