// Your handler for `call.archived`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Call archived: The call was archived as needing no further follow-up.
 *
 * `archived` is `true`. A webhook can be subscribed to this event alone, with its own token.
 * The data is the whole call as it stands when the event is built; upsert it on `data.id`.
 */
export const handleCallArchived: Handler<'call.archived'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
