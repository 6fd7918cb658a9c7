// Your handler for `user.deleted.v2`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * User deleted (V2): A user was removed from the Aircall account.
 *
 * Sent when a user is deleted; the data is the user as it was. The data is the V2 user, which has no `numbers` list.
 */
export const handleUserDeletedV2: Handler<'user.deleted.v2'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
