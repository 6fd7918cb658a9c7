// Your handler for `group_message.received`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Group message received: A message arrived in a group conversation.
 *
 * As `group_message.sent`, for an inbound message; `external_number` is the sender.
 */
export const handleGroupMessageReceived: Handler<'group_message.received'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
