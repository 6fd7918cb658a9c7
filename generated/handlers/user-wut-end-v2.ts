// Your handler for `user.wut_end.v2`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Wrap-up ended (V2): The user's after-call wrap-up time ended.
 *
 * Sent when wrap-up time ends. Some sources claim a `last_call_id` on wrap-up events; no Aircall source confirms it, so it is optional. The data is the V2 user, which has no `numbers` list.
 */
export const handleUserWutEndV2: Handler<'user.wut_end.v2'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
