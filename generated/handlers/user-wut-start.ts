// Your handler for `user.wut_start`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Wrap-up started: The user's after-call wrap-up time began.
 *
 * Sent when wrap-up time starts after a call. Skipped when the wrap-up time is 0 and the call was tagged during the call under mandatory tagging. Captured V1 wrap-up deliveries carry no `last_call_id`. The data is the V1 user, including the `numbers` assigned to it. Aircall plans to retire V1 user events in favour of the `.v2` ones.
 */
export const handleUserWutStart: Handler<'user.wut_start'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
