// Your handler for `group_message.sent`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Group message sent: A message was sent to a group conversation.
 *
 * The data describes a message in a group conversation: `group_conversation_id` and the phone numbers in `participants`. Dates were Unix milliseconds in the known sample. Native messaging mode only.
 */
export const handleGroupMessageSent: Handler<'group_message.sent'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
