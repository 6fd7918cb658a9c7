// Your handler for `call.transferred`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Call transferred: The call was transferred to another user or to a team.
 *
 * The call carries `transferred_by` (who transferred it) and `transferred_to` (who received it; for a team, the first user of the team).
 * The data is the whole call as it stands when the event is built; upsert it on `data.id`.
 */
export const handleCallTransferred: Handler<'call.transferred'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
