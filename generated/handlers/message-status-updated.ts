// Your handler for `message.status_updated`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Message status updated: The delivery status of a message changed.
 *
 * The data is the message with its new `status`. Native messaging mode only.
 */
export const handleMessageStatusUpdated: Handler<'message.status_updated'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
