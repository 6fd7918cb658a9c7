// Your handler for `user.opened.v2`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * User available (V2): The user became available according to working hours.
 *
 * Sent when the user's working hours make them available. The data is the V2 user, which has no `numbers` list.
 */
export const handleUserOpenedV2: Handler<'user.opened.v2'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
