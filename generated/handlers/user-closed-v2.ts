// Your handler for `user.closed.v2`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * User unavailable (V2): The user became unavailable.
 *
 * Sent when the user becomes unavailable. Where unavailability reasons are enabled, two of these arrive for one change: first with `availability_status` only, then with the chosen `substatus`. They are not duplicates. The data is the V2 user, which has no `numbers` list.
 */
export const handleUserClosedV2: Handler<'user.closed.v2'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
