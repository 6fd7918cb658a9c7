// Your handler for `user.connected.v2`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * User connected (V2): The user opened the Aircall app.
 *
 * Sent when the user signs in to the Aircall app (Workspace). The data is the V2 user, which has no `numbers` list.
 */
export const handleUserConnectedV2: Handler<'user.connected.v2'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
