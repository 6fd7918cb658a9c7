// Your handler for `user.connected`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * User connected: The user opened the Aircall app.
 *
 * Sent when the user signs in to the Aircall app (Workspace). The data is the V1 user, including the `numbers` assigned to it. Aircall plans to retire V1 user events in favour of the `.v2` ones.
 */
export const handleUserConnected: Handler<'user.connected'> = (event, { log }) => {
  // Until you replace this, the delivery is logged and acknowledged (answered 200).
  log.info({ event: event.event }, 'no handler logic yet');
};
