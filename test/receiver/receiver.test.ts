// The framework-neutral core: options, policies, tokens, acknowledgement vs dispatch, drain, logging.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TOKEN, TOKEN_2, recordingReceiver, withToken } from './support/harness.js';
import { prepareProject } from './support/project.js';
import type { AnyEvent, Delivery, HandlerContext, TestHandler, UnknownEventDelivery } from './support/types.js';

const project = await prepareProject();
const modules = await project.load();
const mod = modules.receiver;
const { EVENT_NAMES } = modules.events;
const fixture = (name: string) => {
  const found = Object.values(modules.fixtures).find((body) => body['event'] === name);
  if (found === undefined) throw new Error(`no fixture for ${name}`);
  return found;
};
const callCreated = fixture('call.created');
const valid = withToken(callCreated);
const invalid = JSON.stringify({ ...callCreated, token: TOKEN, timestamp: 'soon' });
const unknown = JSON.stringify({ ...callCreated, token: TOKEN, event: 'call.teleported' });
const noop: TestHandler = () => undefined;
const allHandlers = (handler: TestHandler = noop) => Object.fromEntries(EVENT_NAMES.map((name) => [name, handler]));

describe('createReceiver options', () => {
  const base = () => ({
    handlers: allHandlers(),
    tokens: [TOKEN],
    logger: mod.silentLogger,
    quarantine: mod.createMemoryQuarantine(),
  });
  it.each([
    ['no tokens', { tokens: [] }, /tokens/],
    ['an empty token', { tokens: [TOKEN, ''] }, /tokens/],
    ['an unknown validation policy', { validation: 'lenient' }, /validation/],
    ['a zero body limit', { bodyLimit: 0 }, /bodyLimit/],
    ['a negative handler deadline', { handlerTimeoutMs: -1 }, /handlerTimeoutMs/],
  ])('rejects %s', (_name, patch, message) => {
    expect(() => mod.createReceiver({ ...base(), ...(patch as object) })).toThrow(message);
  });

  it('rejects a handler map with a missing or an extra event', () => {
    const missing = allHandlers();
    delete missing['call.created'];
    expect(() => mod.createReceiver({ ...base(), handlers: missing })).toThrow(/no handler function for call\.created/);
    expect(() => mod.createReceiver({ ...base(), handlers: { ...allHandlers(), 'call.exploded': noop } })).toThrow(
      /call\.exploded/,
    );
    // A known event whose value is not a function is missing its handler, not an unknown event.
    const notAFunction = () =>
      mod.createReceiver({
        ...base(),
        handlers: { ...allHandlers(), 'call.created': 'handleCallCreated' as unknown as TestHandler },
      });
    expect(notAFunction).toThrow('createReceiver: no handler function for call.created');
    expect(notAFunction).not.toThrow(/spec does not have/);
  });

  it('accepts a single token as a string, and exposes its routes', () => {
    const receiver = mod.createReceiver({ ...base(), tokens: TOKEN });
    expect(receiver.path).toBe(modules.events.CHANNEL_PATH);
    expect(receiver.healthPath).toBe('/healthz');
    expect(receiver.bodyLimit).toBe(262_144);
  });
});

describe('tokens', () => {
  it('accepts every configured token while rotating, and nothing else', async () => {
    const { receiver, recorder } = recordingReceiver(modules, { tokens: [TOKEN, TOKEN_2] });
    expect((await receiver.handle(withToken(callCreated, TOKEN))).status).toBe(200);
    expect((await receiver.handle(withToken(callCreated, TOKEN_2))).status).toBe(200);
    expect((await receiver.handle(withToken(callCreated, TOKEN + TOKEN_2))).status).toBe(401);
    expect((await receiver.handle(withToken(callCreated, TOKEN_2.slice(1)))).status).toBe(401);
    expect(recorder.calls).toHaveLength(2);
  });

  it('verifier: equal strings only, whatever the lengths', () => {
    const verifier = mod.createTokenVerifier(['abc', TOKEN, 't\u00f6k\u20acn\ud83d\ude00']);
    expect([
      verifier.verify('abc'),
      verifier.verify(TOKEN),
      verifier.verify('ab'),
      verifier.verify('abcd'),
      verifier.verify(''),
    ]).toEqual([true, true, false, false, false]);
    // Compared by UTF-16 code unit: non-ASCII tokens work, and a lone surrogate is not its replacement character.
    expect([
      verifier.verify('t\u00f6k\u20acn\ud83d\ude00'),
      verifier.verify('tok\u20acn\ud83d\ude00'),
      verifier.verify('t\u00f6k\u20acn\ud83d\ufffd'),
    ]).toEqual([true, false, false]);
  });
});

describe('validation policies', () => {
  it('strict answers 422, runs nothing, quarantines nothing, logs the issues', async () => {
    const { receiver, recorder } = recordingReceiver(modules, { validation: 'strict' });
    const response = await receiver.handle(invalid);
    expect(response.status).toBe(422);
    expect(recorder.calls).toEqual([]);
    expect(recorder.quarantined).toEqual([]);
    const [line] = recorder.logs;
    expect(line?.obj).toMatchObject({
      event: 'call.created',
      status: 422,
      outcome: 'rejected',
      reason: 'invalid payload',
    });
    expect(line?.obj['issues']).toEqual([{ path: '/timestamp', message: 'must be integer' }]);
    expect(line?.obj['issueCount']).toBe(1);
    expect((await receiver.handle(valid)).status).toBe(200);
  });

  it('passthrough runs the handler on an invalid body and logs a warning with the issues', async () => {
    const { receiver, recorder } = recordingReceiver(modules, { validation: 'passthrough' });
    const response = await receiver.handle(invalid);
    expect(response.status).toBe(200);
    expect(recorder.calls.map((c) => c.event.timestamp)).toEqual(['soon']);
    const [line] = recorder.logs.filter((r) => 'outcome' in r.obj);
    expect(line?.level).toBe('warn');
    expect(line?.obj).toMatchObject({ event: 'call.created', status: 200, outcome: 'handled' });
    expect(line?.obj['issueCount']).toBe(1);
    expect(line?.obj['issues']).toEqual([{ path: '/timestamp', message: 'must be integer' }]);
  });

  it('quarantine (default) acknowledges with 202 and keeps the delivery', async () => {
    const { receiver, recorder } = recordingReceiver(modules);
    expect((await receiver.handle(invalid)).status).toBe(202);
    expect(recorder.calls).toEqual([]);
    expect(recorder.quarantined).toHaveLength(1);
    expect(recorder.logs.map((r) => [r.level, r.obj['outcome']])).toEqual([['warn', 'quarantined']]);
  });

  it('answers 503 (so Aircall retries) when the quarantine cannot be written', async () => {
    const { receiver, recorder } = recordingReceiver(modules, {
      quarantine: { write: () => Promise.reject(new Error('disk full')) },
    });
    expect((await receiver.handle(invalid)).status).toBe(503);
    expect(recorder.errors.map((e) => e.phase)).toEqual(['quarantine']);
    expect(recorder.logs[0]?.obj).toMatchObject({ outcome: 'failed', error: { message: 'disk full' } });
  });
});

describe('unknown events', () => {
  it('default: 202, logged and quarantined with reason unknown-event', async () => {
    const { receiver, recorder } = recordingReceiver(modules);
    const response = await receiver.handle(unknown);
    expect(response.status).toBe(202);
    expect(JSON.parse(response.body)).toEqual({ ok: true, outcome: 'unknown' });
    expect(recorder.quarantined.map((e) => [e.reason, e.event, e.issues])).toEqual([
      ['unknown-event', 'call.teleported', []],
    ]);
    expect(recorder.logs.map((r) => [r.level, r.obj['outcome'], r.obj['event']])).toEqual([
      ['warn', 'unknown', 'call.teleported'],
    ]);
  });

  it("'ignore': 202 and nothing kept", async () => {
    const { receiver, recorder } = recordingReceiver(modules, { onUnknownEvent: 'ignore' });
    expect((await receiver.handle(unknown)).status).toBe(202);
    expect(recorder.quarantined).toEqual([]);
  });

  it('a hook gets the body with its token redacted, and a context', async () => {
    const seen: { delivery: UnknownEventDelivery; context: HandlerContext }[] = [];
    const { receiver, recorder } = recordingReceiver(modules, {
      onUnknownEvent: (delivery, context) => {
        seen.push({ delivery, context });
      },
    });
    expect((await receiver.handle(unknown)).status).toBe(202);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.delivery.name).toBe('call.teleported');
    expect(seen[0]?.delivery.body['token']).toBe('[redacted]');
    expect(seen[0]?.context.signal.aborted).toBe(false);
    expect(recorder.quarantined).toEqual([]);
    expect(recorder.calls).toEqual([]);
  });

  it('a hook that throws gets 500; one that hangs gets 503', async () => {
    const failing = recordingReceiver(modules, {
      onUnknownEvent: () => {
        throw new Error('nope');
      },
    });
    expect((await failing.receiver.handle(unknown)).status).toBe(500);
    expect(failing.recorder.errors.map((e) => e.phase)).toEqual(['unknown-event']);
    const hanging = recordingReceiver(modules, {
      handlerTimeoutMs: 30,
      onUnknownEvent: () => new Promise(() => undefined),
    });
    expect((await hanging.receiver.handle(unknown)).status).toBe(503);
  });
});

describe('acknowledgement and dispatch are separable', () => {
  it('accept verifies and validates without running the handler; dispatch runs it later', async () => {
    const { receiver, recorder } = recordingReceiver(modules);
    const acceptance = await receiver.accept(valid, { 'content-type': 'application/json' });
    expect(acceptance.accepted).toBe(true);
    expect(acceptance.response.status).toBe(200);
    expect(recorder.calls).toEqual([]);
    if (!acceptance.accepted) return;
    // What a queue would persist and a worker read back:
    const stored = JSON.parse(JSON.stringify(acceptance.delivery)) as Delivery;
    expect(stored).toMatchObject({ name: 'call.created', issues: null });
    expect(typeof stored.receivedAt).toBe('number');
    expect(await receiver.dispatch(stored)).toEqual({ outcome: 'handled' });
    expect(recorder.calls.map((c) => c.name)).toEqual(['call.created']);
    expect(recorder.calls[0]?.event).toEqual(JSON.parse(valid));
  });

  it('accept answers rejections, quarantines and unknown events itself', async () => {
    const { receiver, recorder } = recordingReceiver(modules);
    const rejected = await receiver.accept(withToken(callCreated, 'wrong'));
    expect(rejected).toMatchObject({ accepted: false, outcome: 'rejected', response: { status: 401 } });
    expect(await receiver.accept(invalid)).toMatchObject({
      accepted: false,
      outcome: 'quarantined',
      response: { status: 202 },
    });
    expect(await receiver.accept(unknown)).toMatchObject({
      accepted: false,
      outcome: 'unknown',
      response: { status: 202 },
    });
    expect(await receiver.accept(valid, { 'content-type': 'text/plain' })).toMatchObject({ response: { status: 415 } });
    expect(recorder.quarantined).toHaveLength(2);
    expect(recorder.calls).toEqual([]);
  });

  it('dispatch reports errors, timeouts and aborts without throwing', async () => {
    const { receiver, recorder } = recordingReceiver(modules);
    const acceptance = await receiver.accept(valid);
    if (!acceptance.accepted) throw new Error('expected acceptance');
    const delivery = acceptance.delivery;

    recorder.behaviour = () => {
      throw new Error('boom');
    };
    expect(await receiver.dispatch(delivery)).toMatchObject({ outcome: 'failed', reason: 'error' });

    recorder.behaviour = () => new Promise((resolve) => setTimeout(resolve, 500));
    expect(await receiver.dispatch(delivery, { timeoutMs: 20 })).toMatchObject({
      outcome: 'failed',
      reason: 'timeout',
    });

    let signal: AbortSignal | undefined;
    recorder.behaviour = (_n, _e, context) => {
      signal = context.signal;
      return new Promise((resolve) => setTimeout(resolve, 500));
    };
    const controller = new AbortController();
    const pending = receiver.dispatch(delivery, { signal: controller.signal });
    controller.abort(new Error('worker stopping'));
    expect(await pending).toMatchObject({ outcome: 'failed', reason: 'aborted' });
    expect(signal?.aborted).toBe(true);

    const bogus = { ...delivery, name: 'call.exploded' } as unknown as Delivery;
    expect(await receiver.dispatch(bogus)).toMatchObject({ outcome: 'failed', reason: 'error' });
    expect(recorder.logs.filter((r) => r.obj['outcome'] === 'failed')).toHaveLength(4);
  });
});

describe('handle', () => {
  it('takes a string, a Buffer or a plain Uint8Array', async () => {
    const { receiver, recorder } = recordingReceiver(modules);
    expect((await receiver.handle(valid)).status).toBe(200);
    expect((await receiver.handle(Buffer.from(valid))).status).toBe(200);
    const bytes = new TextEncoder().encode(`  ${valid}  `).subarray(1); // an offset view
    expect((await receiver.handle(bytes)).status).toBe(200);
    expect(recorder.calls).toHaveLength(3);
  });

  it('refuses a body over the limit when called directly', async () => {
    const { receiver } = recordingReceiver(modules, { bodyLimit: 100 });
    expect((await receiver.handle(valid)).status).toBe(413);
    expect((await receiver.handle(Buffer.from(valid))).status).toBe(413);
    expect((await receiver.handle(`"${'é'.repeat(60)}"`)).status).toBe(413); // 60 chars, 120 bytes
  });

  it('gives handlers a logger bound to the event, and a signal', async () => {
    const { receiver, recorder } = recordingReceiver(modules);
    recorder.behaviour = (_n, _e, context) => context.log.info({ step: 1 }, 'inside');
    await receiver.handle(valid);
    expect(recorder.logs.find((r) => r.msg === 'inside')?.obj).toEqual({ event: 'call.created', step: 1 });
  });
});

describe('drain', () => {
  it('resolves true at once when idle, and after in-flight work finishes', async () => {
    const { receiver, recorder } = recordingReceiver(modules);
    expect(await receiver.drain(10)).toBe(true);
    recorder.behaviour = () => new Promise((resolve) => setTimeout(resolve, 50));
    const pending = receiver.handle(valid);
    expect(receiver.inFlight).toBe(1);
    expect(await receiver.drain(1_000)).toBe(true);
    expect((await pending).status).toBe(200);
    expect(receiver.inFlight).toBe(0);
  });

  it('aborts handlers still running at the bound; their requests get 503', async () => {
    const { receiver, recorder } = recordingReceiver(modules);
    let signal: AbortSignal | undefined;
    recorder.behaviour = (_n, _e, context) => {
      signal = context.signal;
      return new Promise(() => undefined); // never settles
    };
    const pending = receiver.handle(valid);
    const started = Date.now();
    expect(await receiver.drain(50)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect((await pending).status).toBe(503);
    expect(signal?.aborted).toBe(true);
    expect((signal!.reason as Error).name).toBe('ShutdownError');
  });
});

describe('logging', () => {
  /** A receiver logging through the real default logger into an array of lines. */
  function jsonReceiver(behaviour?: (event: AnyEvent, context: HandlerContext) => void | Promise<void>) {
    const lines: string[] = [];
    const logger = mod.createLogger({ destination: { write: (line: string) => lines.push(line) }, sync: true });
    const handler: TestHandler = (event, context) => behaviour?.(event, context);
    const receiver = mod.createReceiver({
      handlers: allHandlers(handler),
      tokens: [TOKEN, TOKEN_2],
      logger,
      quarantine: mod.createMemoryQuarantine(),
      handlerTimeoutMs: 50,
    });
    return { receiver, lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
  }

  it('bounds what a line carries: at most 5 issues (with the count), event names cut at 100 characters', async () => {
    const { receiver, parsed } = jsonReceiver();
    const wrong = {
      timestamp: 'x',
      resource: 1,
      data: { ...(callCreated['data'] as object), id: 'x', direction: 7, status: 8, duration: 'y', answered_at: 'z' },
    };
    const body = { ...callCreated, ...wrong, token: TOKEN };
    const issues = modules.validators.validateEvent('call.created', body) ?? [];
    expect(issues.length).toBeGreaterThan(5);
    expect((await receiver.handle(JSON.stringify(body))).status).toBe(202);
    const longName = `call.${'x'.repeat(300)}`;
    expect((await receiver.handle(withToken({ ...callCreated, event: longName }))).status).toBe(202);
    const [quarantined, unknown] = parsed();
    expect(quarantined?.['issueCount']).toBe(issues.length);
    expect(quarantined?.['issues']).toEqual(issues.slice(0, 5));
    expect(unknown).toMatchObject({ outcome: 'unknown', event: `${longName.slice(0, 100)}…` });
  });

  it('says why a delivery was rejected', async () => {
    const { receiver, parsed } = jsonReceiver();
    await receiver.handle(withToken(callCreated, 'wrong'));
    await receiver.handle('{"token":');
    await receiver.handle(JSON.stringify({ ...callCreated, token: TOKEN, event: 7 }));
    expect(parsed().map((line) => [line['status'], line['outcome'], line['reason']])).toEqual([
      [401, 'rejected', 'invalid token'],
      [400, 'rejected', 'malformed JSON'],
      [400, 'rejected', 'missing event'],
    ]);
  });

  it('writes one JSON line per delivery: event, status, outcome, ms', async () => {
    const { receiver, parsed } = jsonReceiver();
    await receiver.handle(valid);
    const [line, ...rest] = parsed();
    expect(rest).toEqual([]);
    expect(Object.keys(line ?? {}).sort()).toEqual(['event', 'level', 'ms', 'msg', 'outcome', 'status', 'time']);
    expect(line).toMatchObject({ level: 'info', event: 'call.created', status: 200, outcome: 'handled' });
    expect(typeof line?.['ms']).toBe('number');
  });

  it('never writes a token, whatever happens', async () => {
    let mode = '';
    const { receiver, lines } = jsonReceiver(async (event, context) => {
      if (mode === 'log-event') context.log.info({ event }, 'the whole event');
      if (mode === 'throw-event') throw new Error(`cannot handle ${JSON.stringify(event)}`);
      if (mode === 'throw-string') throw `token was ${event.token}`;
      if (mode === 'hang') await new Promise((resolve) => setTimeout(resolve, 200));
    });
    const bodies = [
      valid,
      withToken(callCreated, TOKEN_2),
      invalid,
      unknown,
      withToken(callCreated, TOKEN.slice(0, -1)),
      withToken(callCreated, `${TOKEN} `),
      JSON.stringify({ token: TOKEN }),
      JSON.stringify({ token: TOKEN, event: 42 }),
      `{"token":"${TOKEN}"`,
    ];
    for (const m of ['', 'log-event', 'throw-event', 'throw-string', 'hang']) {
      mode = m;
      for (const body of bodies) await receiver.handle(body);
    }
    const strict = mod.createReceiver({
      handlers: allHandlers(),
      tokens: [TOKEN],
      validation: 'strict',
      logger: mod.createLogger({ destination: { write: (line: string) => lines.push(line) }, sync: true }),
    });
    await strict.handle(invalid);
    const all = lines.join('');
    expect(lines.length).toBeGreaterThan(40);
    expect(all).toContain('cannot handle');
    expect(all).toContain('[redacted]');
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain(TOKEN_2);
    expect(all).not.toContain(TOKEN.slice(0, -1));
  });

  it('uses the outcomes handled, quarantined, unknown, rejected, failed', async () => {
    let fail = false;
    const { receiver, parsed } = jsonReceiver(() => {
      if (fail) throw new Error('x');
    });
    await receiver.handle(valid);
    await receiver.handle(invalid);
    await receiver.handle(unknown);
    await receiver.handle('{');
    fail = true;
    await receiver.handle(valid);
    expect(parsed().map((line) => [line['level'], line['status'], line['outcome']])).toEqual([
      ['info', 200, 'handled'],
      ['warn', 202, 'quarantined'],
      ['warn', 202, 'unknown'],
      ['warn', 400, 'rejected'],
      ['error', 500, 'failed'],
    ]);
  });
});

describe('delivery log timings', () => {
  it('writes ms with integer arithmetic exactly as String(hundredths / 100) would', async () => {
    const log = (await import(pathToFileURL(join(project.dir, 'receiver/delivery-log.js')).href)) as {
      hundredthsText(hundredths: number): string;
    };
    const values = [
      0, -0, 1, 5, 9, 10, 11, 99, 100, 101, 110, 1234, 99_999, 123_456_789, -1, -5, -10, -99, -100, -105, -1234,
    ];
    for (let n = 0; n < 20_000; n += 7) values.push(n);
    const wrong = values.filter((h) => log.hundredthsText(h) !== String(h / 100));
    expect(wrong).toEqual([]);
  });
});

describe('built-in logger', () => {
  const capture = (options: { level?: string; sync?: boolean } = {}) => {
    const writes: string[] = [];
    const logger = mod.createLogger({ ...options, destination: { write: (chunk: string) => writes.push(chunk) } });
    const lines = () =>
      writes
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    return { logger, writes, lines };
  };

  it('batches the lines of one event-loop turn into one write', async () => {
    const { logger, writes, lines } = capture();
    logger.info({ a: 1 }, 'one');
    logger.warn({ b: 2 }, 'two');
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(1);
    expect(lines().map((line) => [line['level'], line['msg']])).toEqual([
      ['info', 'one'],
      ['warn', 'two'],
    ]);
    logger.info({}, 'three');
    logger.flush();
    expect(writes).toHaveLength(2);
  });

  it('writes level, time, child bindings, fields and msg; skips levels under the threshold', () => {
    const { logger, lines } = capture({ level: 'warn', sync: true });
    logger.info({ hidden: true }, 'no');
    logger.debug({ hidden: true }, 'no');
    logger.child({ event: 'call.created' }).warn({ n: 1 }, 'yes');
    const [line, ...rest] = lines();
    expect(rest).toEqual([]);
    expect(Object.keys(line ?? {})).toEqual(['level', 'time', 'event', 'n', 'msg']);
    expect(line).toMatchObject({ level: 'warn', event: 'call.created', n: 1, msg: 'yes' });
    expect(Math.abs((line?.['time'] as number) - Date.now())).toBeLessThan(5_000);
  });

  it('serializes errors, survives unserializable fields, and redacts tokens it is handed', () => {
    const { logger, lines } = capture({ sync: true });
    logger.error({ err: new TypeError('bad') }, 'failed');
    logger.info({ big: 1n }, 'bigint');
    logger.info({ token: TOKEN, event: { token: TOKEN, id: 1 }, body: { token: TOKEN } }, 'careless');
    const [error, bigint, careless] = lines();
    expect(error?.['err']).toMatchObject({ type: 'TypeError', message: 'bad' });
    expect(bigint).toMatchObject({ msg: 'bigint', logError: expect.stringMatching(/unserializable/) });
    expect(careless).toMatchObject({
      token: '[redacted]',
      event: { token: '[redacted]', id: 1 },
      body: { token: '[redacted]' },
    });
  });

  it('rejects an unknown level', () => {
    expect(() => mod.createLogger({ level: 'loud' })).toThrow(/unknown level/);
  });
});

describe('routing helpers', () => {
  it.each([
    ['/aircall/webhook', '/aircall/webhook'],
    ['/aircall/webhook?x=1', '/aircall/webhook'],
    ['/aircall/webhook#f', '/aircall/webhook'],
    ['https://example.com/aircall/webhook?x', '/aircall/webhook'],
    ['http://example.com', '/'],
    ['*', '*'],
  ])('pathOf(%j) = %j', (url, path) => {
    expect(mod.pathOf(url)).toBe(path);
  });

  it.each([
    [undefined, true],
    ['application/json', true],
    ['Application/JSON; Charset="UTF-8"', true],
    ['application/problem+json', true],
    ['application/json;charset=utf8', true],
    ['application/json; charset=iso-8859-1', false],
    ['text/json', false],
    ['text/plain', false],
    ['', false],
    ['multipart/form-data; boundary=x', false],
  ])('isJsonContentType(%j) = %j', (value, expected) => {
    expect(mod.isJsonContentType(value)).toBe(expected);
  });
});
