// The shape of the compiled project's modules, as the tests use them. The project is compiled at test
// time, so its own types are not importable here; these mirror the receiver's public API (runtime/receiver).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { QueueBackend } from '../../../runtime/receiver/queue/contract.js';
import type { SqliteQueueOptions } from '../../../runtime/receiver/queue/sqlite.js';

export interface ValidationIssue {
  path: string;
  message: string;
}

export interface ReceiverResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface HandlerContext {
  signal: AbortSignal;
  log: Logger;
  readonly attempt: number;
  readonly id: string;
  readonly superseded: boolean;
}

export interface DurableQueueOptions {
  backend: QueueBackend;
  concurrency?: number;
  attemptTimeoutMs?: number;
  maxAttempts?: number;
  backoffBaseMs?: number;
  shutdownTimeoutMs?: number;
  workers?: boolean;
}

export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child?(bindings: Record<string, unknown>): Logger;
}

export type AnyEvent = { event: string; token: string; data: unknown; [key: string]: unknown };
export type TestHandler = (event: AnyEvent, context: HandlerContext) => void | Promise<void>;

export interface Delivery {
  readonly name: string;
  readonly event: AnyEvent;
  readonly receivedAt: number;
  readonly issues: readonly ValidationIssue[] | null;
}

export type DispatchResult =
  | { readonly outcome: 'handled' }
  | { readonly outcome: 'failed'; readonly reason: 'error' | 'timeout' | 'aborted'; readonly error: unknown };

export type Acceptance =
  | { readonly accepted: true; readonly delivery: Delivery; readonly response: ReceiverResponse }
  | { readonly accepted: false; readonly outcome: string; readonly response: ReceiverResponse };

export interface QuarantineEntry {
  readonly v: 2;
  readonly receivedAt: string;
  readonly reason: 'invalid' | 'unknown-event';
  readonly event: string;
  readonly issues: readonly ValidationIssue[];
  readonly bodyText: string;
  readonly tokenAt: readonly number[];
  readonly body: Readonly<Record<string, unknown>>;
}

/** A quarantine line as the file holds it: the entry without its in-memory `body`. */
export type QuarantineLine = Omit<QuarantineEntry, 'body'>;

export interface RedactedJson {
  readonly text: string;
  readonly tokenAt: readonly number[];
}

export interface QuarantineSink {
  write(entry: QuarantineEntry): Promise<void>;
  close?(): Promise<void>;
}

export interface UnknownEventDelivery {
  readonly name: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly receivedAt: number;
}

export interface ReceiverOptions {
  handlers: Record<string, TestHandler>;
  tokens: string | readonly string[];
  validation?: 'quarantine' | 'strict' | 'passthrough';
  quarantine?: string | QuarantineSink;
  bodyLimit?: number;
  handlerTimeoutMs?: number;
  onUnknownEvent?:
    'quarantine' | 'ignore' | ((delivery: UnknownEventDelivery, context: HandlerContext) => void | Promise<void>);
  onError?: (error: unknown, info: { phase: string; event: string }) => void;
  logger?: Logger;
  path?: string;
  healthPath?: string | false;
  queue?: 'inline' | DurableQueueOptions;
}

export type HeaderSource = Record<string, string | string[] | undefined> | { get(name: string): string | null };

export interface Receiver {
  readonly path: string;
  readonly healthPath: string | false;
  readonly bodyLimit: number;
  route(method: string, url: string, headers?: HeaderSource): ReceiverResponse | null;
  bodyTooLarge(): ReceiverResponse;
  handle(rawBody: Uint8Array | string, headers?: HeaderSource): Promise<ReceiverResponse>;
  accept(rawBody: Uint8Array | string, headers?: HeaderSource): Promise<Acceptance>;
  dispatch(delivery: Delivery, options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<DispatchResult>;
  readonly inFlight: number;
  drain(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface ReceiverServer {
  readonly server: import('node:http').Server;
  listen(port?: number, host?: string): Promise<AddressInfo>;
  close(options?: { timeoutMs?: number }): Promise<boolean>;
}

export type ExpressLikeMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

export interface ReceiverModule {
  createReceiver(options: ReceiverOptions): Receiver;
  responses: Record<string, ReceiverResponse>;
  createNodeHandler(receiver: Receiver): (req: IncomingMessage, res: ServerResponse) => void;
  createNodeServer(
    receiver: Receiver,
    options?: {
      headersTimeout?: number;
      requestTimeout?: number;
      keepAliveTimeout?: number;
      connectionsCheckingInterval?: number;
    },
  ): ReceiverServer;
  createExpressMiddleware(receiver: Receiver): ExpressLikeMiddleware;
  aircallFastifyPlugin: (instance: never, options: { receiver: Receiver }, done: (error?: Error) => void) => void;
  createFetchHandler(receiver: Receiver): (request: Request) => Promise<Response>;
  createFileQuarantine(path: string): QuarantineSink & { readonly path: string; close(): Promise<void> };
  createMemoryQuarantine(): QuarantineSink & { readonly entries: QuarantineEntry[] };
  createQuarantineEntry(
    reason: 'invalid' | 'unknown-event',
    event: string,
    issues: readonly ValidationIssue[] | null,
    body: Readonly<Record<string, unknown>>,
    receivedAt: number,
    raw?: RedactedJson,
  ): QuarantineEntry;
  serializeEntry(entry: QuarantineEntry): string;
  redactJsonText(text: string, secrets: readonly string[]): RedactedJson;
  createLogger(options?: {
    level?: string;
    destination?: { write(chunk: string): unknown };
    sync?: boolean;
  }): Logger & {
    flush(): void;
    child(bindings: Record<string, unknown>): Logger & { flush(): void };
  };
  silentLogger: Logger;
  readServerConfig(
    env: Record<string, string | undefined>,
  ): { ok: true; config: Record<string, unknown> } | { ok: false; errors: readonly string[] };
  readWorkerConfig(
    env: Record<string, string | undefined>,
  ): { ok: true; config: Record<string, unknown> } | { ok: false; errors: readonly string[] };
  routeRequest(
    routes: { path: string; healthPath: string | false; bodyLimit: number },
    method: string,
    url: string,
    headers?: HeaderSource,
  ): ReceiverResponse | null;
  pathOf(url: string): string;
  isJsonContentType(value: string | undefined): boolean;
  createTokenVerifier(tokens: readonly string[]): { verify(candidate: string): boolean };
  REDACTED: string;
  createSqliteQueue(options?: SqliteQueueOptions): QueueBackend;
  dedupeKey(body: Readonly<Record<string, unknown>>): string;
  HandlerTimeoutError: new (event: string, timeoutMs: number) => Error;
}

export interface EventsModule {
  CHANNEL_PATH: string;
  EVENT_NAMES: readonly string[];
  isEventName(value: string): boolean;
}

export interface ValidatorsModule {
  validateEvent(event: string, body: unknown): ValidationIssue[] | null;
}

export interface RegistryModule {
  handlers: Record<string, TestHandler>;
}

export interface GeneratedModules {
  receiver: ReceiverModule;
  events: EventsModule;
  validators: ValidatorsModule;
  registry: RegistryModule;
  /** fixtures/<name>.json bodies, by file name without `.json`. */
  fixtures: Record<string, Record<string, unknown>>;
}
