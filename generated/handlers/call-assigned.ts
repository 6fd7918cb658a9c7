// Your handler for `call.assigned`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Call assigned: The call was assigned to a user for follow-up.
 *
 * `assigned_to` is the user the call was assigned to.
 * The data is the whole call as it stands when the event is built; upsert it on `data.id`.
 */
export const handleCallAssigned: Handler<'call.assigned'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
