// Your handler for `user.wut_start.v2`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Wrap-up started (V2): The user's after-call wrap-up time began.
 *
 * Sent when wrap-up time starts after a call. Skipped when the wrap-up time is 0 and the call was tagged during the call under mandatory tagging. Some sources claim a `last_call_id` on wrap-up events; no Aircall source confirms it, so it is optional. The data is the V2 user, which has no `numbers` list.
 */
export const handleUserWutStartV2: Handler<'user.wut_start.v2'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
