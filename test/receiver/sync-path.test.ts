// The synchronous path of handle (no promise hop for synchronous handlers): same answers, same lines,
// same bookkeeping as the asynchronous one; and the adapters still honour a receiver whose handle is wrapped.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { TOKEN, recordingReceiver, withToken } from './support/harness.js';
import { rawRequest } from './support/http.js';
import { prepareProject } from './support/project.js';
import type { Receiver } from './support/types.js';

const modules = await (await prepareProject()).load();
const mod = modules.receiver;
const callCreated = Object.values(modules.fixtures).find((body) => body['event'] === 'call.created')!;
const valid = withToken(callCreated);

describe('handle', () => {
  it('still returns a promise, whatever the handler does', async () => {
    const { receiver, recorder } = recordingReceiver(modules);
    const sync = receiver.handle(valid);
    expect(sync).toBeInstanceOf(Promise);
    expect((await sync).status).toBe(200);
    const rejected = receiver.handle(withToken(callCreated, 'wrong'));
    expect(rejected).toBeInstanceOf(Promise);
    expect((await rejected).status).toBe(401);
    recorder.behaviour = () => Promise.resolve();
    const later = receiver.handle(valid);
    expect(later).toBeInstanceOf(Promise);
    expect((await later).status).toBe(200);
    recorder.behaviour = () => {
      throw new Error('sync throw');
    };
    expect((await receiver.handle(valid)).status).toBe(500);
    expect(recorder.errors.map((e) => e.phase)).toEqual(['handler']);
  });

  it('counts a delivery in flight while its handler runs, synchronous or not', async () => {
    const { receiver, recorder } = recordingReceiver(modules);
    const seen: number[] = [];
    recorder.behaviour = () => {
      seen.push(receiver.inFlight);
    };
    await receiver.handle(valid);
    expect(seen).toEqual([1]);
    expect(receiver.inFlight).toBe(0);
    recorder.behaviour = () => new Promise((resolve) => setTimeout(resolve, 20));
    const pending = receiver.handle(valid);
    expect(receiver.inFlight).toBe(1);
    await pending;
    expect(receiver.inFlight).toBe(0);
  });

  it('logs the handled line with the built-in logger exactly as the generic path would', async () => {
    const lines: string[] = [];
    const logger = mod.createLogger({ destination: { write: (line: string) => lines.push(line) }, sync: true });
    const receiver = mod.createReceiver({
      handlers: Object.fromEntries(modules.events.EVENT_NAMES.map((name) => [name, () => undefined])),
      tokens: [TOKEN],
      logger,
      quarantine: mod.createMemoryQuarantine(),
    });
    await receiver.handle(valid);
    const [line] = lines;
    expect(line).toMatch(
      /^\{"level":"info","time":\d+,"event":"call\.created","status":200,"outcome":"handled","ms":\d+(\.\d+)?,"msg":"delivery handled"\}\n$/,
    );
    // A queue worker's dispatch has no status: the line leaves it out.
    const acceptance = await receiver.accept(valid);
    if (!acceptance.accepted) throw new Error('expected acceptance');
    await receiver.dispatch(acceptance.delivery);
    expect(JSON.parse(lines[1]!)).not.toHaveProperty('status');
    expect(Object.keys(JSON.parse(lines[1]!))).toEqual(['level', 'time', 'event', 'outcome', 'ms', 'msg']);
  });

  it('answers as if nothing happened when the logger throws: no throw, no rejection, no crash', async () => {
    const fail = () => {
      throw new Error('log down');
    };
    const calls: string[] = [];
    const errors: string[] = [];
    const receiver = mod.createReceiver({
      handlers: Object.fromEntries(
        modules.events.EVENT_NAMES.map((name) => [
          name,
          (event: object) => {
            calls.push(name);
            if ((event as { boom?: unknown }).boom === true) throw { toString: fail }; // cannot even be described
          },
        ]),
      ),
      tokens: [TOKEN],
      logger: { debug: fail, info: fail, warn: fail, error: fail },
      quarantine: mod.createMemoryQuarantine(),
      onError: (_error: unknown, info: { phase: string }) => errors.push(info.phase),
    });
    let pending: Promise<{ status: number }> | undefined;
    expect(() => {
      pending = receiver.handle(valid);
    }).not.toThrow();
    expect((await pending)?.status).toBe(200);
    expect((await receiver.handle(JSON.stringify({ ...callCreated, token: 'wrong' }))).status).toBe(401);
    expect((await receiver.handle(withToken({ ...callCreated, boom: true }))).status).toBe(500);
    expect(calls).toEqual(['call.created', 'call.created']);
    // The handler's failure still reaches onError although its log line could not be written.
    expect(errors).toEqual(['handler']);
    expect(receiver.inFlight).toBe(0);

    // Through the node:http adapter: every request answered, the process still up.
    const server = mod.createNodeServer(receiver);
    const { port } = await server.listen(0, '127.0.0.1');
    try {
      const post = (body: string) => rawRequest(port, { headers: { 'content-type': 'application/json' }, body });
      expect((await post(valid)).status).toBe(200);
      expect((await post(withToken({ ...callCreated, boom: true }))).status).toBe(500);
      expect((await post('{')).status).toBe(400);
    } finally {
      await server.close({ timeoutMs: 1_000 });
    }
  });

  it('reads ASCII, non-ASCII UTF-8 and invalid UTF-8 bodies as before', async () => {
    const { receiver, recorder } = recordingReceiver(modules);
    const accented = JSON.stringify({ ...JSON.parse(valid), note: 'Zoë – 東京 ✓' });
    expect((await receiver.handle(Buffer.from(accented))).status).toBe(200);
    expect((recorder.calls[0]!.event as unknown as Record<string, unknown>)['note']).toBe('Zoë – 東京 ✓');
    expect(
      (
        await receiver.handle(
          Buffer.concat([Buffer.from(valid.slice(0, -1)), Buffer.from([0xc3, 0x28]), Buffer.from('}')]),
        )
      ).status,
    ).toBe(400);
    expect((await receiver.handle(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(valid)]))).status).toBe(
      400,
    );
    expect(recorder.calls).toHaveLength(1);
  });
});

describe('adapters and a wrapped handle', () => {
  it('the node listener calls the handle of the receiver it is given', async () => {
    const { receiver, recorder } = recordingReceiver(modules);
    let wrapped = 0;
    const wrapper: Receiver = {
      ...receiver,
      route: receiver.route,
      bodyTooLarge: receiver.bodyTooLarge,
      handle(body, headers) {
        wrapped++;
        return receiver.handle(body, headers);
      },
    };
    const server = createServer(mod.createNodeHandler(wrapper));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    try {
      const port = (server.address() as AddressInfo).port;
      const response = await rawRequest(port, { headers: { 'content-type': 'application/json' }, body: valid });
      expect(response.status).toBe(200);
      expect(wrapped).toBe(1);
      expect(recorder.calls).toHaveLength(1);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
