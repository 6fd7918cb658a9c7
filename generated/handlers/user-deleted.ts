// Your handler for `user.deleted`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * User deleted: A user was removed from the Aircall account.
 *
 * Sent when a user is deleted; the data is the user as it was. The data is the V1 user, including the `numbers` assigned to it. Aircall plans to retire V1 user events in favour of the `.v2` ones.
 */
export const handleUserDeleted: Handler<'user.deleted'> = (event, { log }) => {
  // Until you replace this, the delivery is logged and acknowledged (answered 200).
  log.info({ event: event.event }, 'no handler logic yet');
};
