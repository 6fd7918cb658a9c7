// The shape of the compiled project's modules, as the tests use them. The project is compiled at test
// time, so its modules are loaded untyped; their types come from the committed output (generated/, the same
// runtime and the same bundled spec). The receiver's own handler, delivery and options types are typed per
// event (HandlerMap, EventMap): the tests drive it with any event name and with invalid bodies, so those few
// are restated below, loosely, over AnyEvent.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HandlerContext } from '../../../generated/events.js';
import type * as Real from '../../../generated/receiver/index.js';
import type { ValidationIssue } from '../../../generated/validators.js';

export type { HandlerContext };
export type {
  Logger,
  QuarantineEntry,
  ReceiverResponse,
  UnknownEventDelivery,
} from '../../../generated/receiver/index.js';

export type AnyEvent = { event: string; token: string; data: unknown; [key: string]: unknown };
export type TestHandler = (event: AnyEvent, context: HandlerContext) => void | Promise<void>;

export interface Delivery {
  readonly name: string;
  readonly event: AnyEvent;
  readonly receivedAt: number;
  readonly issues: readonly ValidationIssue[] | null;
}

export type Acceptance =
  | { readonly accepted: true; readonly delivery: Delivery; readonly response: Real.ReceiverResponse }
  | { readonly accepted: false; readonly outcome: string; readonly response: Real.ReceiverResponse };

/** A quarantine line as the file holds it: the entry without its in-memory `body`. */
export type QuarantineLine = Omit<Real.QuarantineEntry, 'body'>;

export interface ReceiverOptions {
  handlers: Record<string, TestHandler>;
  tokens: string | readonly string[];
  validation?: Real.ValidationPolicy;
  quarantine?: string | Real.QuarantineSink;
  bodyLimit?: number;
  handlerTimeoutMs?: number;
  onUnknownEvent?:
    'quarantine' | 'ignore' | ((delivery: Real.UnknownEventDelivery, context: HandlerContext) => void | Promise<void>);
  onError?: (error: unknown, info: { phase: string; event: string }) => void;
  logger?: Real.Logger;
  path?: string;
  healthPath?: string | false;
  queue?: 'inline' | Real.DurableQueueOptions;
}

export interface Receiver {
  readonly path: string;
  readonly healthPath: string | false;
  readonly bodyLimit: number;
  route(method: string, url: string, headers?: Real.HeaderSource): Real.ReceiverResponse | null;
  bodyTooLarge(): Real.ReceiverResponse;
  handle(rawBody: Uint8Array | string, headers?: Real.HeaderSource): Promise<Real.ReceiverResponse>;
  accept(rawBody: Uint8Array | string, headers?: Real.HeaderSource): Promise<Acceptance>;
  dispatch(delivery: Delivery, options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<Real.DispatchResult>;
  readonly inFlight: number;
  drain(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export type ExpressLikeMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

export interface ReceiverModule {
  createReceiver(options: ReceiverOptions): Receiver;
  responses: typeof Real.responses;
  createNodeHandler(receiver: Receiver): (req: IncomingMessage, res: ServerResponse) => void;
  createNodeServer(
    receiver: Receiver,
    options?: {
      headersTimeout?: number;
      requestTimeout?: number;
      keepAliveTimeout?: number;
      connectionsCheckingInterval?: number;
    },
  ): Real.ReceiverServer;
  createExpressMiddleware(receiver: Receiver): ExpressLikeMiddleware;
  aircallFastifyPlugin: (instance: never, options: { receiver: Receiver }, done: (error?: Error) => void) => void;
  createFetchHandler(receiver: Receiver): (request: Request) => Promise<Response>;
  createFileQuarantine: typeof Real.createFileQuarantine;
  createMemoryQuarantine: typeof Real.createMemoryQuarantine;
  createQuarantineEntry: typeof Real.createQuarantineEntry;
  serializeEntry: typeof Real.serializeEntry;
  redactJsonText: typeof Real.redactJsonText;
  createLogger: typeof Real.createLogger;
  silentLogger: Real.Logger;
  readServerConfig: typeof Real.readServerConfig;
  readWorkerConfig: typeof Real.readWorkerConfig;
  routeRequest: typeof Real.routeRequest;
  pathOf: typeof Real.pathOf;
  isJsonContentType: typeof Real.isJsonContentType;
  createTokenVerifier: typeof Real.createTokenVerifier;
  REDACTED: string;
  createSqliteQueue: typeof Real.createSqliteQueue;
  dedupeKey: typeof Real.dedupeKey;
  HandlerTimeoutError: typeof Real.HandlerTimeoutError;
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
