// Your handler for `call.assigned`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Call assigned: The call was assigned to a user for follow-up.
 *
 * `assigned_to` is the user the call was assigned to.
 * The data is the whole call as it stands when the event is built; upsert it on `data.id`.
 */
export const handleCallAssigned: Handler<'call.assigned'> = (event, { log }) => {
  // Until you replace this, the delivery is logged and acknowledged (answered 200).
  log.info({ event: event.event }, 'no handler logic yet');
};
