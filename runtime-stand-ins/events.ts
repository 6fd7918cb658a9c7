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
 * dispatched; each keeps the last body type aircall-gen saw, so those files compile until you delete them.
 */
// biome-ignore lint/suspicious/noEmptyInterface: as generated when no event has retired
export interface RetiredEventMap {}

export type RetiredEventName = keyof RetiredEventMap;

/** What a handler gets besides the event. */
export interface HandlerContext {
  /** Aborted when the handler deadline passes or the server shuts down. */
  signal: AbortSignal;
  /** Logger bound to this delivery. */
  log: Logger;
  /** This attempt's number, from 1 (always 1 in inline mode; a queued delivery is retried). */
  readonly attempt: number;
  /** The delivery's id: the first 16 hex digits of its dedupe key, as in the log lines. */
  readonly id: string;
  /**
   * A newer delivery (by `timestamp`) about the same object (`resource` + `data.id`) has already been
   * handled: an upsert can skip this stale snapshot. Always false in inline mode.
   */
  readonly superseded: boolean;
}

/** The body type of event `N`. */
export type EventOf<N extends EventName | RetiredEventName> = N extends EventName
  ? EventMap[N]
  : N extends RetiredEventName
    ? RetiredEventMap[N]
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
