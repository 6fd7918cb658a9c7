// Transport behaviour: oversized bodies refused while still arriving, slow clients cut off, graceful close,
// and what is specific to each framework (body parsers upstream, Fastify encapsulation, Fetch streams).
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import express from 'express';
import Fastify, { type FastifyPluginCallback } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingReceiver, withToken } from './support/harness.js';
import { waitFor } from '../support/wait.js';
import { parseResponse, rawRequest, type RawResponse } from './support/http.js';
import { prepareProject } from './support/project.js';
import type { Receiver } from './support/types.js';

const modules = await (await prepareProject()).load();
const mod = modules.receiver;
const callCreated = Object.values(modules.fixtures).find((body) => body['event'] === 'call.created')!;
const valid = withToken(callCreated);
const LIMIT = 64 * 1024;

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  cleanups.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  );
  return (server.address() as AddressInfo).port;
}

/** Servers for the socket-based adapters. */
const socketAdapters: [string, (receiver: Receiver) => Promise<number>][] = [
  ['node:http', (receiver) => listen(createServer(mod.createNodeHandler(receiver)))],
  [
    'express',
    (receiver) => {
      const app = express();
      app.use(mod.createExpressMiddleware(receiver));
      return listen(createServer(app));
    },
  ],
  [
    'fastify',
    async (receiver) => {
      const app = Fastify();
      await app.register(mod.aircallFastifyPlugin as unknown as FastifyPluginCallback<{ receiver: Receiver }>, {
        receiver,
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      cleanups.push(() => app.close());
      return (app.server.address() as AddressInfo).port;
    },
  ],
];

/** Opens a connection and collects what the server sends, and when it closes. */
function openSocket(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  let error: string | undefined;
  socket.on('error', (cause: NodeJS.ErrnoException) => {
    error = cause.code ?? cause.message;
  });
  const received: Buffer[] = [];
  let closedAt: number | undefined;
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  socket.on('close', () => {
    closedAt = Date.now();
  });
  cleanups.push(() => socket.destroy());
  return {
    socket,
    response: (): RawResponse | null => (received.length > 0 ? parseResponse(Buffer.concat(received), true) : null),
    closedAt: () => closedAt,
    /** The socket's error code (EPIPE, ECONNRESET...), if it had one. */
    error: () => error,
    connected: new Promise<void>((resolve) => socket.once('connect', () => resolve())),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(socketAdapters)('%s: oversized bodies', { timeout: 15_000 }, (_name, start) => {
  it('answers 413 to a chunked body as soon as it passes the limit, before the client finishes', async () => {
    const { receiver, recorder } = recordingReceiver(modules, { bodyLimit: LIMIT });
    const port = await start(receiver);
    const client = openSocket(port);
    await client.connected;
    client.socket.write(
      'POST /aircall/webhook HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n',
    );
    const chunk = `4000\r\n${'x'.repeat(0x4000)}\r\n`;
    let sent = 0;
    // Keep sending 16 KiB chunks (never the final one) until the answer arrives; give up at 4 MiB.
    while (client.response() === null && sent < 4 * 1024 * 1024 && client.closedAt() === undefined) {
      if (!client.socket.write(chunk)) await sleep(5);
      sent += 0x4000;
      await sleep(1);
    }
    const response = await waitFor(client.response, 'the response', 2_000);
    expect(response.status).toBe(413);
    expect(sent).toBeLessThan(LIMIT + 512 * 1024); // answered within a few chunks of the limit
    expect(recorder.calls).toEqual([]);
  });

  it('lets a client writing a chunked body over the limit as fast as it can read the 413, not a reset', async () => {
    const { receiver, recorder } = recordingReceiver(modules, { bodyLimit: LIMIT });
    const port = await start(receiver);
    const client = openSocket(port);
    await client.connected;
    client.socket.write(
      'POST /aircall/webhook HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n',
    );
    const chunk = `4000\r\n${'x'.repeat(0x4000)}\r\n`;
    // 4 MiB, written without waiting for anything (the writes queue up in the client).
    for (let i = 0; i < 256; i++) client.socket.write(chunk);
    client.socket.end('0\r\n\r\n');
    await waitFor(
      () => client.closedAt() !== undefined || client.error() !== undefined,
      'the connection to end',
      5_000,
    );
    expect(client.error()).toBeUndefined();
    expect(client.response()?.status).toBe(413);
    expect(client.response()?.headers['connection']).toBe('close');
    expect(recorder.calls).toEqual([]);
  });

  it('lets a client sending a declared over-limit body anyway read the 413, not a reset', async () => {
    const { receiver } = recordingReceiver(modules, { bodyLimit: LIMIT });
    const port = await start(receiver);
    const client = openSocket(port);
    await client.connected;
    const size = 2 * 1024 * 1024;
    client.socket.write(
      `POST /aircall/webhook HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${size}\r\n\r\n`,
    );
    client.socket.end(Buffer.alloc(size, 0x20));
    await waitFor(
      () => client.closedAt() !== undefined || client.error() !== undefined,
      'the connection to end',
      5_000,
    );
    expect(client.error()).toBeUndefined();
    expect(client.response()?.status).toBe(413);
  });

  it('answers 413 at once to a Content-Length over the limit, with no body sent', async () => {
    const { receiver } = recordingReceiver(modules, { bodyLimit: LIMIT });
    const port = await start(receiver);
    const response = await rawRequest(
      port,
      { headers: { 'content-type': 'application/json' }, body: '', declaredLength: 50 * 1024 * 1024 },
      2_000,
    );
    expect(response.status).toBe(413);
  });
});

describe('node:http server: Expect: 100-continue', { timeout: 15_000 }, () => {
  async function startServer() {
    const { receiver, recorder } = recordingReceiver(modules, { bodyLimit: LIMIT });
    const server = mod.createNodeServer(receiver);
    const { port } = await server.listen(0, '127.0.0.1');
    cleanups.push(() => server.close({ timeoutMs: 100 }));
    return { port, recorder };
  }
  const head = (length: number) =>
    `POST /aircall/webhook HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\nexpect: 100-continue\r\n\r\n`;

  it('answers 413 at once to a declared length over the limit: no 100 Continue first', async () => {
    const { port } = await startServer();
    const client = openSocket(port);
    await client.connected;
    client.socket.write(head(10 * 1024 * 1024));
    const response = await waitFor(client.response, 'the response', 2_000);
    expect(response.status).toBe(413);
    await waitFor(client.closedAt, 'the connection to close', 2_000);
    expect(client.error()).toBeUndefined();
  });

  it('sends 100 Continue to a body within the limit, then handles it', async () => {
    const { port, recorder } = await startServer();
    const client = openSocket(port);
    await client.connected;
    client.socket.write(head(Buffer.byteLength(valid)));
    const interim = await waitFor(client.response, 'the interim response', 2_000);
    expect(interim.status).toBe(100);
    client.socket.write(valid);
    await waitFor(() => recorder.calls.length === 1, 'the handler to run', 2_000);
  });
});

describe('node:http server: slow and stalled clients', { timeout: 15_000 }, () => {
  const options = { headersTimeout: 300, requestTimeout: 600, connectionsCheckingInterval: 50 };

  async function startServer() {
    const { receiver, recorder } = recordingReceiver(modules);
    const server = mod.createNodeServer(receiver, options);
    const { port } = await server.listen(0, '127.0.0.1');
    cleanups.push(() => server.close({ timeoutMs: 100 }));
    return { port, recorder, server };
  }

  it('drops a client that never finishes its headers', async () => {
    const { port } = await startServer();
    const client = openSocket(port);
    await client.connected;
    const started = Date.now();
    client.socket.write('POST /aircall/webhook HTTP/1.1\r\nhost: x\r\n');
    await waitFor(client.closedAt, 'the connection to close', 3_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    const response = client.response();
    if (response !== null) expect(response.status).toBe(408);
  });

  it('drops a client that stalls in the middle of its body', async () => {
    const { port, recorder } = await startServer();
    const client = openSocket(port);
    await client.connected;
    const started = Date.now();
    client.socket.write(
      `POST /aircall/webhook HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${valid.length}\r\n\r\n`,
    );
    client.socket.write(valid.slice(0, 100));
    await waitFor(client.closedAt, 'the connection to close', 3_000);
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(recorder.calls).toEqual([]);
  });

  /** Writes `text` one byte every 20 ms until the connection closes; resolves when it does. */
  async function trickle(client: ReturnType<typeof openSocket>, text: string): Promise<void> {
    for (const char of text) {
      if (client.closedAt() !== undefined) return;
      client.socket.write(char);
      await sleep(20);
    }
  }

  it('drops a slowloris client that keeps sending header bytes but never finishes them', async () => {
    const { port } = await startServer();
    const client = openSocket(port);
    await client.connected;
    const started = Date.now();
    const headers = `POST /aircall/webhook HTTP/1.1\r\nhost: x\r\n${'x-pad: y\r\n'.repeat(100)}`;
    await trickle(client, headers); // ~22 s of headers if never cut
    expect(client.closedAt()).toBeDefined();
    expect((client.closedAt() ?? Infinity) - started).toBeLessThan(2_000);
  });

  it('drops a client that keeps sending its body a byte at a time past the request timeout', async () => {
    const { port, recorder } = await startServer();
    const client = openSocket(port);
    await client.connected;
    const started = Date.now();
    client.socket.write(
      `POST /aircall/webhook HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${valid.length}\r\n\r\n`,
    );
    await trickle(client, valid);
    expect(client.closedAt()).toBeDefined();
    expect((client.closedAt() ?? Infinity) - started).toBeLessThan(2_500);
    expect(recorder.calls).toEqual([]);
  });

  it('sets the keep-alive timeout', async () => {
    const { server } = await startServer();
    expect(server.server.keepAliveTimeout).toBe(5_000);
    expect(server.server.headersTimeout).toBe(300);
    expect(server.server.requestTimeout).toBe(600);
  });
});

describe('node:http server: graceful close', { timeout: 15_000 }, () => {
  async function startServer(delayMs: number | 'forever') {
    const { receiver, recorder } = recordingReceiver(modules);
    recorder.behaviour = () =>
      new Promise((resolve) => (delayMs === 'forever' ? undefined : setTimeout(resolve, delayMs)));
    const server = mod.createNodeServer(receiver);
    const { port } = await server.listen(0, '127.0.0.1');
    cleanups.push(() => server.close({ timeoutMs: 100 }));
    return { port, recorder, server };
  }

  it('stops accepting, lets the in-flight delivery finish, then resolves', async () => {
    const { port, server, recorder } = await startServer(300);
    const inFlight = rawRequest(port, { headers: { 'content-type': 'application/json' }, body: valid });
    await waitFor(() => recorder.calls.length > 0, 'the handler to run', 2_000);
    const closing = server.close({ timeoutMs: 3_000 });
    await sleep(20);
    await expect(rawRequest(port, { method: 'GET', path: '/healthz' }, 1_000)).rejects.toThrow();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(response.headers['connection']).toBe('close');
    expect(await closing).toBe(true);
  });

  it('closes idle keep-alive connections at once', async () => {
    const { port, server } = await startServer(0);
    const client = openSocket(port);
    await client.connected;
    client.socket.write(`GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n`); // keep-alive by default
    await waitFor(client.response, 'the response', 2_000);
    const started = Date.now();
    expect(await server.close({ timeoutMs: 3_000 })).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000);
    await waitFor(client.closedAt, 'the connection to close', 1_000);
  });

  it('gives up at the bound: the running handler is aborted and answered 503', async () => {
    const { port, server, recorder } = await startServer('forever');
    const inFlight = rawRequest(port, { headers: { 'content-type': 'application/json' }, body: valid });
    await waitFor(() => recorder.calls.length > 0, 'the handler to run', 2_000);
    const started = Date.now();
    expect(await server.close({ timeoutMs: 100 })).toBe(false);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await inFlight).status).toBe(503);
  });
});

describe('express specifics', () => {
  it('passes other paths to the app', async () => {
    const { receiver } = recordingReceiver(modules);
    const app = express();
    app.use(mod.createExpressMiddleware(receiver));
    app.get('/other', (_req, res) => void res.json({ other: true }));
    const port = await listen(createServer(app));
    expect(await rawRequest(port, { method: 'GET', path: '/other' })).toMatchObject({
      status: 200,
      body: '{"other":true}',
    });
  });

  it('works mounted on the route, and with express.raw() upstream', async () => {
    const { receiver, recorder } = recordingReceiver(modules);
    const app = express();
    app.post('/aircall/webhook', express.raw({ type: '*/*' }), mod.createExpressMiddleware(receiver));
    const port = await listen(createServer(app));
    expect((await rawRequest(port, { headers: { 'content-type': 'application/json' }, body: valid })).status).toBe(200);
    expect(recorder.calls).toHaveLength(1);
  });

  it('fails loudly (500, no handler) when express.json() already consumed the body', async () => {
    const { receiver, recorder } = recordingReceiver(modules);
    const app = express();
    app.use(express.json());
    app.use(mod.createExpressMiddleware(receiver));
    const errors: unknown[] = [];
    app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      errors.push(error);
      res.status(500).end();
    });
    const port = await listen(createServer(app));
    expect((await rawRequest(port, { headers: { 'content-type': 'application/json' }, body: valid })).status).toBe(500);
    expect(recorder.calls).toEqual([]);
    expect((errors[0] as Error).name).toBe('BodyAlreadyReadError');
  });
});

describe('fastify specifics', () => {
  it("keeps the raw-body parser inside the plugin: the app's own routes still get parsed JSON", async () => {
    const { receiver, recorder } = recordingReceiver(modules);
    const app = Fastify();
    await app.register(mod.aircallFastifyPlugin as unknown as FastifyPluginCallback<{ receiver: Receiver }>, {
      receiver,
    });
    app.post('/echo', async (request) => ({ received: request.body }));
    cleanups.push(() => app.close());
    const echo = await app.inject({ method: 'POST', url: '/echo', payload: { a: 1 } });
    expect(echo.json()).toEqual({ received: { a: 1 } });
    const delivery = await app.inject({
      method: 'POST',
      url: '/aircall/webhook',
      headers: { 'content-type': 'application/json' },
      payload: valid,
    });
    expect(delivery.statusCode).toBe(200);
    expect(recorder.calls).toHaveLength(1);
  });
});

describe('fetch specifics', () => {
  it('cancels a streamed body as soon as it passes the limit', async () => {
    const { receiver, recorder } = recordingReceiver(modules, { bodyLimit: LIMIT });
    const handler = mod.createFetchHandler(receiver);
    let pulled = 0;
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(16 * 1024).fill(0x20));
      },
      cancel() {
        cancelled = true;
      },
    });
    const request = new Request('http://localhost/aircall/webhook', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    const response = await handler(request);
    expect(response.status).toBe(413);
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(10);
    expect(recorder.calls).toEqual([]);
  });

  it('answers HEAD /healthz without a body', async () => {
    const { receiver } = recordingReceiver(modules);
    const response = await mod.createFetchHandler(receiver)(
      new Request('http://localhost/healthz', { method: 'HEAD' }),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });
});
