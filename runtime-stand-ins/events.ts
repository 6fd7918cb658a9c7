// Stand-in for the generated events.ts, so runtime/ type-checks where it is written (tsconfig.runtime.json).
// Never copied into output. Two events instead of the spec's; every declaration that does not depend on
// the spec is the generated one, word for word (test/runtime.test.ts compares them).
import type * as Models from './models.js';
import type { Logger } from './receiver/logger.js';

/** The path Aircall posts deliveries to (the spec's channel). */
export const CHANNEL_PATH = '/aircall/webhook';

/** Every event the spec describes, sorted. */
export const EVENT_NAMES = ['call.created', 'contact.created'] as const;

export type EventName = (typeof EVENT_NAMES)[number];

/**
 * `call.created`: a call started.
 */
export type CallCreatedEvent = Models.CallCreatedWebhook;

/**
 * `contact.created`: a contact was added.
 */
export type ContactCreatedEvent = Models.ContactCreatedWebhook;

/** Each event name with the type of its body. */
export interface EventMap {
  'call.created': CallCreatedEvent;
  'contact.created': ContactCreatedEvent;
}

/** Any webhook body the spec describes; narrow it with `switch (event.event)`. */
export type AircallEvent = EventMap[EventName];

/**
 * Events that left the spec while their handler files stayed in handlers/. They are no longer
 * dispatched; the type keeps those files compiling until you delete them.
 */
export type RetiredEventName = never;

/** The body of a retired event: its shape is no longer known. */
export interface RetiredEvent<N extends RetiredEventName> {
  event: N;
  resource: string;
  timestamp: number;
  token: string;
  data: unknown;
}

/** What a handler gets besides the event. */
export interface HandlerContext {
  /** Aborted when the handler deadline passes or the server shuts down. */
  signal: AbortSignal;
  /** Logger bound to this delivery. */
  log: Logger;
}

/** The body type of event `N`. */
export type EventOf<N extends EventName | RetiredEventName> = N extends EventName
  ? EventMap[N]
  : N extends RetiredEventName
    ? RetiredEvent<N>
    : never;

/** A function that handles event `N`. Throw (or reject) to have Aircall retry the delivery. */
export type Handler<N extends EventName | RetiredEventName> = (
  event: EventOf<N>,
  context: HandlerContext,
) => void | Promise<void>;

/** One handler for every event: a missing, unknown or mistyped entry is a compile error. */
export type HandlerMap = { readonly [N in EventName]: Handler<N> };

const EVENT_NAME_SET: ReadonlySet<string> = new Set(EVENT_NAMES);

/** Whether `value` is the name of an event in the spec. */
export function isEventName(value: string): value is EventName {
  return EVENT_NAME_SET.has(value);
}
