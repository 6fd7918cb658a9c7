// One suite, every adapter (node:http, Express, Fastify, Fetch): same requests, same answers, same handler calls.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { badInputs } from './support/bad-inputs.js';
import { ADAPTERS, TOKEN, recordingReceiver, withToken, type Client, type Recorder } from './support/harness.js';
import { prepareProject } from './support/project.js';
import { readExamples } from '../support/examples.js';
import type { Receiver } from './support/types.js';

const project = await prepareProject();
const modules = await project.load();
const { EVENT_NAMES } = modules.events;

const fixtures = Object.entries(modules.fixtures).map(([file, body]) => ({ file, body }));
const examples = readExamples();
const callCreated = fixtures.find((f) => f.body['event'] === 'call.created');
if (callCreated === undefined) throw new Error('no call.created fixture');
const BODY_LIMIT = 262_144;
const rows = badInputs(callCreated.body, BODY_LIMIT);
const JSON_TYPE = { 'content-type': 'application/json' };

describe('inputs of the shared suite', () => {
  it('has one fixture per event, and every example names a known event', () => {
    expect(fixtures.map((f) => f.body['event']).sort()).toEqual([...EVENT_NAMES].sort());
    expect(examples).toHaveLength(13);
    expect(examples.map((e) => e.body['event']).filter((name) => !EVENT_NAMES.includes(name as string))).toEqual([]);
    expect(EVENT_NAMES).toHaveLength(69);
  });

  it('has at least 30 bad inputs, covering every rejection status', () => {
    expect(rows.length).toBeGreaterThanOrEqual(30);
    expect(new Set(rows.map((row) => row.status))).toEqual(new Set([400, 401, 404, 405, 413, 415, 202]));
    expect(new Set(rows.map((row) => row.name)).size).toBe(rows.length);
  });
});

describe.each(ADAPTERS)('$name adapter', (adapter) => {
  let client: Client;
  let receiver: Receiver;
  let recorder: Recorder;

  beforeAll(async () => {
    ({ receiver, recorder } = recordingReceiver(modules, { handlerTimeoutMs: 100, bodyLimit: BODY_LIMIT }));
    client = await adapter.start(modules.receiver, receiver);
  });
  afterAll(async () => {
    await client?.close();
  });
  beforeEach(() => recorder.reset());

  const post = (body: string, headers: Record<string, string> = JSON_TYPE, path = '/aircall/webhook') =>
    client.request({ method: 'POST', path, headers, body });

  /** Log records that are delivery lines (they carry an outcome). */
  const deliveryLines = () => recorder.logs.filter((record) => 'outcome' in record.obj);

  it('delivers every fixture to its own handler, exactly once', async () => {
    for (const { file, body } of fixtures) {
      const response = await post(withToken(body));
      expect(response.status, file).toBe(200);
      expect(JSON.parse(response.body)).toEqual({ ok: true });
    }
    expect(recorder.calls.map((call) => call.name)).toEqual(fixtures.map((f) => f.body['event']));
    for (const call of recorder.calls) expect(call.event.event).toBe(call.name);
    expect(recorder.quarantined).toEqual([]);
    expect(deliveryLines()).toHaveLength(fixtures.length);
  });

  it('delivers every real example body to its own handler, exactly once', async () => {
    for (const { file, body } of examples) {
      const response = await post(withToken(body));
      expect(response.status, file).toBe(200);
    }
    expect(recorder.calls.map((call) => call.name)).toEqual(examples.map((e) => e.body['event']));
    expect(recorder.calls.map((call) => call.event.data)).toEqual(examples.map((e) => e.body['data']));
    expect(recorder.quarantined).toEqual([]);
  });

  it.each(rows)('$name: $status, no handler', async (row) => {
    const response = await client.request(row.request);
    expect(response.status).toBe(row.status);
    if (row.allow !== undefined) expect(response.headers['allow']).toBe(row.allow);
    // A 413 closes the connection (the rest of the body is never read); a Fetch response leaves the
    // connection to the hosting server, so it carries no such header.
    if (row.status === 413) expect(response.headers['connection']).toBe(adapter.name === 'fetch' ? undefined : 'close');
    expect(recorder.calls).toEqual([]);
    expect(recorder.quarantined.map((entry) => entry.reason)).toEqual(row.quarantined ? [row.quarantined] : []);
    for (const entry of recorder.quarantined) expect(entry.body['token']).toBe('[redacted]');
    expect(response.body).not.toContain(TOKEN);
    expect(JSON.stringify(recorder.logs)).not.toContain(TOKEN);
    const path = row.request.path ?? '/aircall/webhook';
    const lines = deliveryLines();
    if (row.status === 404 || path === '/healthz') expect(lines).toEqual([]);
    else {
      const outcome =
        row.quarantined === 'invalid' ? 'quarantined' : row.quarantined === 'unknown-event' ? 'unknown' : 'rejected';
      expect(lines.map((line) => [line.obj['status'], line.obj['outcome']])).toEqual([[row.status, outcome]]);
    }
  });

  it('answers GET and HEAD /healthz with 200', async () => {
    const get = await client.request({ method: 'GET', path: '/healthz' });
    expect(get.status).toBe(200);
    expect(JSON.parse(get.body)).toEqual({ ok: true });
    expect((await client.request({ method: 'HEAD', path: '/healthz' })).status).toBe(200);
    expect(deliveryLines()).toEqual([]);
  });

  it('accepts a query string, charset=utf-8, +json types, any header-name case and a missing content type', async () => {
    const body = withToken(callCreated.body);
    expect((await post(body, JSON_TYPE, '/aircall/webhook?source=aircall')).status).toBe(200);
    expect((await post(body, { 'content-type': 'application/json; charset=UTF-8' })).status).toBe(200);
    expect((await post(body, { 'content-type': 'application/vnd.aircall+json' })).status).toBe(200);
    expect((await post(body, { 'Content-Type': 'application/json' })).status).toBe(200);
    expect((await post(body, {})).status).toBe(200);
    expect(recorder.calls).toHaveLength(5);
  });

  it('answers 500 when the handler throws, and logs the event and error', async () => {
    recorder.behaviour = () => {
      throw new Error('database down');
    };
    const response = await post(withToken(callCreated.body));
    expect(response.status).toBe(500);
    expect(recorder.calls).toHaveLength(1);
    const [line] = deliveryLines();
    expect(line?.level).toBe('error');
    expect(line?.obj).toMatchObject({
      event: 'call.created',
      status: 500,
      outcome: 'failed',
      error: { message: 'database down' },
    });
    expect(recorder.errors.map((e) => [e.phase, e.event])).toEqual([['handler', 'call.created']]);
  });

  it('answers 500 when an async handler rejects', async () => {
    recorder.behaviour = async () => {
      await Promise.resolve();
      throw new Error('later');
    };
    expect((await post(withToken(callCreated.body))).status).toBe(500);
  });

  it('answers 503 when the handler outlives the deadline, and aborts its signal', async () => {
    let signal: AbortSignal | undefined;
    recorder.behaviour = (_name, _event, context) => {
      signal = context.signal;
      return new Promise((resolve) => setTimeout(resolve, 1_000));
    };
    const started = Date.now();
    const response = await post(withToken(callCreated.body));
    expect(response.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(900);
    expect(signal?.aborted).toBe(true);
    const [line] = deliveryLines();
    expect(line?.obj).toMatchObject({ event: 'call.created', status: 503, outcome: 'failed', reason: 'timeout' });
  });

  it('quarantines (202) an authentic body that fails validation, token redacted', async () => {
    const body = JSON.stringify({ ...callCreated.body, token: TOKEN, timestamp: 'yesterday' });
    const response = await post(body);
    expect(response.status).toBe(202);
    expect(JSON.parse(response.body)).toEqual({ ok: true, outcome: 'quarantined' });
    expect(recorder.calls).toEqual([]);
    const [entry] = recorder.quarantined;
    expect(entry).toMatchObject({ v: 2, reason: 'invalid', event: 'call.created' });
    expect(entry?.issues).toEqual([{ path: '/timestamp', message: 'must be integer' }]);
    expect(entry?.body).toEqual({ ...callCreated.body, token: '[redacted]', timestamp: 'yesterday' });
    expect(entry?.bodyText).toBe(body.replace(`"${TOKEN}"`, '"[redacted]"')); // the bytes each adapter read
  });
});
