// The receiver in durable mode, in process, on a real SQLite file: ack after commit, dedupe, ids, the
// handler context, retries and their log lines. Process-level crash and shutdown tests are in durable-server.test.ts.
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadSqliteDriver } from '../../runtime/receiver/queue/sqlite-driver.js';
import { waitFor } from '../support/wait.js';
import { recordingReceiver, TOKEN, withToken, type Recorder } from './support/harness.js';
import { requestHead } from './support/http.js';
import { prepareProject } from './support/project.js';
import type { HandlerContext, Receiver, ReceiverOptions } from './support/types.js';

const modules = await (await prepareProject()).load();
const mod = modules.receiver;
const callCreated = Object.values(modules.fixtures).find((body) => body['event'] === 'call.created')!;
const dir = await mkdtemp(join(tmpdir(), 'aircall-durable-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const Database = loadSqliteDriver();

/** A call.created body about call `id` at `timestamp`, distinct by `n`. */
function body(fields: { id?: number; timestamp?: number; n?: number } = {}): Record<string, unknown> {
  const data: Record<string, unknown> = { ...(callCreated['data'] as Record<string, unknown>), id: fields.id ?? 1 };
  if (fields.n !== undefined) data['sid'] = `CA${fields.n}`;
  return { ...callCreated, data, timestamp: fields.timestamp ?? callCreated['timestamp'] };
}

let fileCount = 0;
const open: Receiver[] = [];
afterEach(async () => {
  for (const receiver of open.splice(0)) await receiver.close();
});

function durableReceiver(
  queue: Partial<NonNullable<Exclude<ReceiverOptions['queue'], 'inline'>>> = {},
  maxBytes?: number,
) {
  const file = join(dir, `queue-${++fileCount}.db`);
  const backend = mod.createSqliteQueue({ file, maxBytes });
  const made = recordingReceiver(modules, { queue: { backend, backoffBaseMs: 20, ...queue } });
  open.push(made.receiver);
  return { ...made, file };
}

const lines = (recorder: Recorder, msg: RegExp) => recorder.logs.filter((r) => msg.test(r.msg ?? '')).map((r) => r.obj);
const rowsIn = (file: string): number => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM aircall_jobs').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('durable mode (sqlite)', () => {
  it('a queue that only a restart mends: 503 for every delivery and for the health check, onFailure told once', async () => {
    const file = join(dir, `queue-${++fileCount}.db`);
    const real = mod.createSqliteQueue({ file });
    const full = new Error('database or disk is full');
    const broken = new Error('the queue file could not be synced to disk (EIO); restart the receiver');
    let state: 'ok' | 'full' | 'broken' = 'ok';
    const backend: typeof real = {
      ...real,
      enqueue: (job, now) =>
        state === 'ok' ? real.enqueue(job, now) : Promise.reject(state === 'full' ? full : broken),
      failure: () => (state === 'broken' ? broken : undefined),
    };
    const told: Error[] = [];
    const { receiver } = recordingReceiver(modules, {
      queue: { backend, workers: false, onFailure: (error) => told.push(error) },
    });
    open.push(receiver);
    expect((await receiver.handle(withToken(body({ n: 1 })))).status).toBe(200);
    expect(receiver.route('GET', '/healthz')?.status).toBe(200);
    // A failure that may pass (a full disk): that delivery gets 503, but the receiver stays healthy.
    state = 'full';
    expect((await receiver.handle(withToken(body({ n: 2 })))).status).toBe(503);
    expect(told).toEqual([]);
    expect(receiver.route('HEAD', '/healthz')?.status).toBe(200);
    // One that only a restart mends: told once, however many deliveries meet it; the health check says so.
    state = 'broken';
    expect((await receiver.handle(withToken(body({ n: 3 })))).status).toBe(503);
    expect((await receiver.handle(withToken(body({ n: 4 })))).status).toBe(503);
    expect(told).toEqual([broken]);
    for (const method of ['GET', 'HEAD']) {
      const health = receiver.route(method, '/healthz');
      expect(health?.status).toBe(503);
      expect(JSON.parse(health?.body ?? '')).toEqual({
        ok: false,
        error: 'the queue cannot store deliveries: restart the receiver',
      });
    }
    expect(receiver.route('POST', '/healthz')?.status).toBe(405);
    expect(rowsIn(file)).toBe(1);
  });

  it('answers 200 only once the delivery is committed, logs it queued with its id, then runs the handler', async () => {
    const { receiver, recorder, file } = durableReceiver();
    const sent = body({ n: 1 });
    const response = await receiver.handle(withToken(sent));
    expect(response.status).toBe(200);
    expect(rowsIn(file)).toBe(1); // another connection sees the row as soon as the answer is known
    const id = mod.dedupeKey(sent).slice(0, 16);
    expect(lines(recorder, /queued/)).toEqual([
      { event: 'call.created', status: 200, outcome: 'queued', id, ms: expect.any(Number) },
    ]);
    await waitFor(() => lines(recorder, /attempt handled/).length === 1, 'the attempt');
    expect(lines(recorder, /attempt handled/)[0]).toEqual({
      event: 'call.created',
      id,
      attempt: 1,
      outcome: 'handled',
      ms: expect.any(Number),
    });
    expect(recorder.calls).toHaveLength(1);
    expect(recorder.calls[0]!.event.token).toBe(mod.REDACTED); // the secret was never stored
  });

  it('a store that cannot write answers 503, and every 200 is a stored row', async () => {
    const { receiver, recorder, file } = durableReceiver({}, 96 * 1024);
    recorder.behaviour = () => new Promise(() => undefined); // keep rows pending
    const statuses: number[] = [];
    for (let n = 0; n < 200 && !statuses.includes(503); n++) {
      statuses.push((await receiver.handle(withToken(body({ id: n, n })))).status);
    }
    expect(statuses.at(-1)).toBe(503);
    expect(statuses.slice(0, -1).every((s) => s === 200)).toBe(true);
    expect(rowsIn(file)).toBe(statuses.length - 1);
    expect(lines(recorder, /could not store/)[0]).toMatchObject({ status: 503, outcome: 'failed', reason: 'queue' });
  });

  it('the same body twice, and twenty times at once, runs one handler; duplicates are 200 and logged', async () => {
    const { receiver, recorder } = durableReceiver();
    const first = body({ n: 2 });
    expect((await receiver.handle(withToken(first))).status).toBe(200);
    // The same delivery with its keys in another order and other spacing: still the same key.
    const reordered = Object.fromEntries(Object.entries({ ...first, token: TOKEN }).reverse());
    const again = await receiver.handle(JSON.stringify(reordered, null, 2));
    expect(again).toMatchObject({ status: 200, body: '{"ok":true,"outcome":"duplicate"}' });
    const burst = body({ n: 3 });
    const answers = await Promise.all(Array.from({ length: 20 }, () => receiver.handle(withToken(burst))));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(lines(recorder, /delivery queued/)).toHaveLength(2);
    expect(lines(recorder, /duplicate delivery/)).toHaveLength(20);
    await waitFor(() => lines(recorder, /attempt handled/).length === 2, 'both attempts');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(recorder.calls).toHaveLength(2);
  });

  it('retries a throwing handler with ctx.attempt counting up, and logs each attempt', async () => {
    const { receiver, recorder } = durableReceiver();
    const contexts: HandlerContext[] = [];
    recorder.behaviour = (_name, _event, context) => {
      contexts.push(context);
      if (context.attempt < 3) throw new Error(`CRM down (attempt ${context.attempt})`);
    };
    await receiver.handle(withToken(body({ n: 4 })));
    await waitFor(() => lines(recorder, /attempt handled/).length === 1, 'the third attempt');
    expect(contexts.map((c) => c.attempt)).toEqual([1, 2, 3]);
    const retries = lines(recorder, /will retry/);
    expect(retries.map((r) => [r['attempt'], r['outcome'], (r['error'] as { message: string }).message])).toEqual([
      [1, 'retry', 'CRM down (attempt 1)'],
      [2, 'retry', 'CRM down (attempt 2)'],
    ]);
    expect(new Set(contexts.map((c) => c.id)).size).toBe(1);
    expect(recorder.errors.map((e) => e.phase)).toEqual(['handler', 'handler']);
  });

  it('an attempt past its deadline is aborted and retried; past maxAttempts the delivery is dead', async () => {
    const { receiver, recorder } = durableReceiver({ attemptTimeoutMs: 30, maxAttempts: 2 });
    recorder.behaviour = (_name, _event, context) =>
      new Promise((resolve) => context.signal.addEventListener('abort', () => resolve()));
    await receiver.handle(withToken(body({ n: 5 })));
    await waitFor(() => lines(recorder, /is dead/).length === 1, 'the dead line');
    expect(lines(recorder, /will retry|is dead/).map((l) => [l['attempt'], l['outcome']])).toEqual([
      [1, 'retry'],
      [2, 'dead'],
    ]);
    expect((lines(recorder, /is dead/)[0]!['error'] as { type: string }).type).toBe('HandlerTimeoutError');
  });

  it('a handler past its deadline holds its object until it really ends: no other attempt for it runs beside it', async () => {
    const { receiver, recorder } = durableReceiver({ attemptTimeoutMs: 30, concurrency: 4 });
    const seen: string[] = [];
    recorder.behaviour = async (_name, event, context) => {
      const label = `${String(event['timestamp'])}#${context.attempt}`;
      seen.push(`start ${label}`);
      // The first attempt ignores its signal and runs well past its deadline.
      if (event['timestamp'] === 1_000 && context.attempt === 1) await new Promise((r) => setTimeout(r, 300));
      seen.push(`end ${label}`);
    };
    await receiver.handle(withToken(body({ id: 77, timestamp: 1_000 })));
    await waitFor(() => seen.length === 1, 'the first attempt');
    await receiver.handle(withToken(body({ id: 77, timestamp: 2_000 })));
    await waitFor(() => seen.includes('end 2000#1'), 'the newer delivery');
    expect(seen).toEqual(['start 1000#1', 'end 1000#1', 'start 1000#2', 'end 1000#2', 'start 2000#1', 'end 2000#1']);
    const timedOut = lines(recorder, /will retry/)[0]!;
    expect(timedOut).toMatchObject({ attempt: 1, outcome: 'retry' });
    expect((timedOut['error'] as { type: string }).type).toBe('HandlerTimeoutError');
    expect(timedOut['ms']).toBeGreaterThanOrEqual(250); // settled when it ended, not at its deadline
  });

  it('per object: in timestamp order, one at a time; ctx.superseded for a snapshot older than one handled', async () => {
    const { receiver, recorder } = durableReceiver();
    const seen: { timestamp: unknown; superseded: boolean }[] = [];
    recorder.behaviour = async (_name, event, context) => {
      seen.push({ timestamp: event['timestamp'], superseded: context.superseded });
    };
    await receiver.handle(withToken(body({ id: 9, timestamp: 2_000 })));
    await waitFor(() => seen.length === 1, 'the newer one');
    await receiver.handle(withToken(body({ id: 9, timestamp: 1_000 })));
    await waitFor(() => seen.length === 2, 'the late older one');
    expect(seen).toEqual([
      { timestamp: 2_000, superseded: false },
      { timestamp: 1_000, superseded: true },
    ]);
  });

  it('close lets a running handler finish within the bound and leaves the rest pending', async () => {
    const { receiver, recorder, file } = durableReceiver({ concurrency: 1, shutdownTimeoutMs: 2_000 });
    let finished = 0;
    recorder.behaviour = () => new Promise<void>((resolve) => setTimeout(() => resolve(void finished++), 100));
    for (let n = 0; n < 3; n++) await receiver.handle(withToken(body({ id: 100 + n, n })));
    await waitFor(() => recorder.calls.length === 1, 'the first handler');
    open.splice(open.indexOf(receiver), 1);
    await receiver.close();
    expect(finished).toBe(1);
    const db = new Database(file, { readonly: true });
    const states = db.prepare('SELECT state, count(*) AS n FROM aircall_jobs GROUP BY state ORDER BY state').all();
    db.close();
    expect(states).toEqual([
      { state: 'done', n: 1 },
      { state: 'pending', n: 2 },
    ]);
  });
});

describe('durable mode: closing', () => {
  it('close stops the queue (workers, then the backend) before it closes the quarantine', async () => {
    const closed: string[] = [];
    const backend = mod.createSqliteQueue({ file: join(dir, `queue-${++fileCount}.db`) });
    const closeBackend = backend.close.bind(backend);
    backend.close = async () => {
      await closeBackend();
      closed.push('queue');
    };
    const quarantine = {
      write: async () => undefined,
      close: async () => void closed.push('quarantine'),
    };
    const { receiver } = recordingReceiver(modules, { queue: { backend }, quarantine });
    await receiver.close();
    expect(closed).toEqual(['queue', 'quarantine']);
  });
});

describe('durable mode: server shutdown', () => {
  it('a delivery whose client went away before its store ended is stored and logged before the queue closes', async () => {
    // The connection is gone, so it no longer holds the server open; the store it started must still end
    // (answered or refused, and logged) before the backend closes, or it is stored and never logged.
    const backend = mod.createSqliteQueue({ file: join(dir, `queue-${++fileCount}.db`) });
    const enqueue = backend.enqueue.bind(backend);
    let entered!: () => void;
    const storing = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    backend.enqueue = async (job, now) => {
      entered();
      await released;
      return enqueue(job, now);
    };
    const { receiver, recorder } = recordingReceiver(modules, { queue: { backend, workers: false } });
    const server = mod.createNodeServer(receiver);
    const { port } = await server.listen(0, '127.0.0.1');
    const { head, body: payload } = requestHead({ body: withToken(body({ n: 77 })) }, `127.0.0.1:${port}`);
    const socket = connect(port, '127.0.0.1');
    socket.end(Buffer.concat([Buffer.from(head), payload]));
    await storing;
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50)); // the server sees the connection closed
    const closing = server.close({ timeoutMs: 2_000 });
    setTimeout(release, 100);
    await closing;
    expect(lines(recorder, /delivery/).map((line) => line['outcome'])).toEqual(['queued']);
  });
});

describe('handler context in inline mode', () => {
  it('is attempt 1, never superseded, with the id of the body', async () => {
    const { receiver, recorder } = recordingReceiver(modules);
    let context: HandlerContext | undefined;
    recorder.behaviour = (_name, _event, ctx) => {
      context = ctx;
    };
    const sent = body({ n: 6 });
    expect((await receiver.handle(withToken(sent))).status).toBe(200);
    expect(context).toMatchObject({ attempt: 1, superseded: false, id: mod.dedupeKey(sent).slice(0, 16) });
  });

  it('the unknown-event hook gets the id of the body it was sent, not of the object wrapping it', async () => {
    let context: HandlerContext | undefined;
    const onUnknownEvent = (_delivery: unknown, ctx: HandlerContext) => {
      context = ctx;
    };
    const { receiver } = recordingReceiver(modules, { onUnknownEvent });
    const sent = { ...body({ n: 7 }), event: 'call.not_in_the_spec' };
    expect((await receiver.handle(withToken(sent))).status).toBe(202);
    expect(context).toMatchObject({ attempt: 1, superseded: false, id: mod.dedupeKey(sent).slice(0, 16) });
  });

  it('createReceiver refuses a queue option without a backend', () => {
    expect(() => recordingReceiver(modules, { queue: {} as never })).toThrow(
      /`queue` must be 'inline' or \{ backend \}/,
    );
  });
});
