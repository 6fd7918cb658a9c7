// Your handler for `call.hold`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Call put on hold: The agent put the call on hold.
 *
 * A plain snapshot of the answered call; nothing in the data marks the hold itself.
 * The data is the whole call as it stands when the event is built; upsert it on `data.id`.
 */
export const handleCallHold: Handler<'call.hold'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
