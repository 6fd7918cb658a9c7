// Your handler for `user.closed`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * User unavailable: The user became unavailable.
 *
 * Sent when the user becomes unavailable. Where unavailability reasons are enabled, two of these arrive for one change: first with `availability_status` only, then with the chosen `substatus`. They are not duplicates. The data is the V1 user, including the `numbers` assigned to it. Aircall plans to retire V1 user events in favour of the `.v2` ones.
 */
export const handleUserClosed: Handler<'user.closed'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
