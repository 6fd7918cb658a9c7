// Your handler for `call.unhold`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Call taken off hold: The agent resumed the call after a hold.
 *
 * A plain snapshot of the answered call.
 * The data is the whole call as it stands when the event is built; upsert it on `data.id`.
 */
export const handleCallUnhold: Handler<'call.unhold'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
