// Your handler for `user.disconnected`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * User disconnected: The user closed the Aircall app.
 *
 * Sent when the user leaves the Aircall app (Workspace). The data is the V1 user, including the `numbers` assigned to it. Aircall plans to retire V1 user events in favour of the `.v2` ones.
 */
export const handleUserDisconnected: Handler<'user.disconnected'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
