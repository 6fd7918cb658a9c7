// Shared test fixtures: recording handlers, a capturing logger, and the four adapters behind one client interface.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify, { type FastifyPluginCallback } from 'fastify';
import { rawRequest, type RawRequest, type RawResponse } from './http.js';
import type {
  AnyEvent,
  GeneratedModules,
  HandlerContext,
  Logger,
  QuarantineEntry,
  Receiver,
  ReceiverModule,
  ReceiverOptions,
  TestHandler,
} from './types.js';

/** The token the test receivers accept: 32 hex characters, like Aircall's. */
export const TOKEN = '5f0c3a9e1b7d4e2f8a6c0b3d9e1f7a24';
/** A second token, for rotation. */
export const TOKEN_2 = 'b81d0e7c5a3f4b2e9d6c1a0f8e7d3c55';

export interface LogRecord {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: Record<string, unknown>;
  msg: string | undefined;
}

/** A Logger that keeps every call (children share the array and add their bindings). */
export function captureLogger(
  records: LogRecord[] = [],
  bindings: Record<string, unknown> = {},
): Logger & { records: LogRecord[] } {
  const at =
    (level: LogRecord['level']) =>
    (obj: object, msg?: string): void => {
      records.push({ level, obj: { ...bindings, ...(obj as Record<string, unknown>) }, msg });
    };
  return {
    records,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => captureLogger(records, { ...bindings, ...more }),
  };
}

/** Everything a test receiver did. */
export interface Recorder {
  /** Handler invocations, in order. */
  calls: { name: string; event: AnyEvent }[];
  quarantined: QuarantineEntry[];
  logs: LogRecord[];
  errors: { error: unknown; phase: string; event: string }[];
  /** What handlers do besides recording (throw, hang...). Reset to nothing by `reset`. */
  behaviour: ((name: string, event: AnyEvent, context: HandlerContext) => void | Promise<void>) | undefined;
  reset(): void;
}

/** A receiver whose handlers, quarantine (unknown events included) and logger all record into a Recorder. */
export function recordingReceiver(
  modules: GeneratedModules,
  options: Partial<ReceiverOptions> = {},
): { receiver: Receiver; recorder: Recorder } {
  const mod = modules.receiver;
  const sink = mod.createMemoryQuarantine();
  const logger = captureLogger();
  const recorder: Recorder = {
    calls: [],
    quarantined: sink.entries,
    logs: logger.records,
    errors: [],
    behaviour: undefined,
    reset() {
      this.calls.length = 0;
      this.quarantined.length = 0;
      this.logs.length = 0;
      this.errors.length = 0;
      this.behaviour = undefined;
    },
  };
  const handlers: Record<string, TestHandler> = {};
  for (const name of modules.events.EVENT_NAMES) {
    handlers[name] = (event, context) => {
      recorder.calls.push({ name, event });
      return recorder.behaviour?.(name, event, context);
    };
  }
  const receiver = mod.createReceiver({
    handlers,
    tokens: [TOKEN],
    quarantine: sink,
    logger,
    onError: (error, info) => recorder.errors.push({ error, ...info }),
    ...options,
  });
  return { receiver, recorder };
}

/** A body from a fixture, with the test token in place of EXAMPLE_TOKEN. */
export function withToken(body: Record<string, unknown>, token: string = TOKEN): string {
  return JSON.stringify({ ...body, token });
}

export interface Client {
  request(request: RawRequest): Promise<RawResponse>;
  /** The TCP port, for adapters served over a socket. */
  port: number | undefined;
  close(): Promise<void>;
}

export interface Adapter {
  name: string;
  start(mod: ReceiverModule, receiver: Receiver): Promise<Client>;
}

async function listening(server: Server): Promise<number> {
  if (!server.listening) await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return (server.address() as AddressInfo).port;
}

function socketClient(server: Server, port: number): Client {
  return {
    port,
    request: (request) => rawRequest(port, request),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const nodeAdapter: Adapter = {
  name: 'node:http',
  async start(mod, receiver) {
    const server = createServer(mod.createNodeHandler(receiver)).listen(0, '127.0.0.1');
    return socketClient(server, await listening(server));
  },
};

const expressAdapter: Adapter = {
  name: 'express',
  async start(mod, receiver) {
    const app = express();
    app.use(mod.createExpressMiddleware(receiver));
    const server = app.listen(0, '127.0.0.1');
    return socketClient(server, await listening(server));
  },
};

const fastifyAdapter: Adapter = {
  name: 'fastify',
  async start(mod, receiver) {
    const app = Fastify();
    await app.register(mod.aircallFastifyPlugin as unknown as FastifyPluginCallback<{ receiver: Receiver }>, {
      receiver,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    return { port, request: (request) => rawRequest(port, request), close: () => app.close() };
  },
};

const fetchAdapter: Adapter = {
  name: 'fetch',
  async start(mod, receiver) {
    const handler = mod.createFetchHandler(receiver);
    return {
      port: undefined,
      async request(request) {
        const headers = new Headers(request.headers);
        if (request.declaredLength !== undefined) headers.set('content-length', String(request.declaredLength));
        const method = request.method ?? 'POST';
        const init: RequestInit & { duplex?: 'half' } = { method, headers };
        if (request.body !== undefined && method !== 'GET' && method !== 'HEAD') {
          // Bytes, not a string: a string body would get an implicit text/plain content type.
          init.body =
            typeof request.body === 'string' ? new TextEncoder().encode(request.body) : new Uint8Array(request.body);
          init.duplex = 'half';
        }
        const response = await handler(new Request(`http://127.0.0.1${request.path ?? '/aircall/webhook'}`, init));
        const out: Record<string, string> = {};
        response.headers.forEach((value, name) => {
          out[name] = value;
        });
        return { status: response.status, headers: out, body: await response.text() };
      },
      close: async () => undefined,
    };
  },
};

/** Every adapter, driven the same way by the shared suite. */
export const ADAPTERS: readonly Adapter[] = [nodeAdapter, expressAdapter, fastifyAdapter, fetchAdapter];
