// Your handler for `group_message.status_updated`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Group message status updated: The delivery status of a group message changed.
 *
 * The data is the group message with its new `status`.
 */
export const handleGroupMessageStatusUpdated: Handler<'group_message.status_updated'> = (
  event,
  { log },
) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
