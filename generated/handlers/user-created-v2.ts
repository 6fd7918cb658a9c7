// Your handler for `user.created.v2`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * User created (V2): A user was added to the Aircall account.
 *
 * Sent when a user is created. The data is the V2 user, which has no `numbers` list.
 */
export const handleUserCreatedV2: Handler<'user.created.v2'> = (event, { log }) => {
  // Until you replace this, the delivery is logged and acknowledged (answered 200).
  log.info({ event: event.event }, 'no handler logic yet');
};
