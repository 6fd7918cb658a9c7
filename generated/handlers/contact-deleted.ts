// Your handler for `contact.deleted`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Contact deleted: A contact was removed from the address book.
 *
 * The data still holds the whole contact as it was, with `emails` emptied.
 */
export const handleContactDeleted: Handler<'contact.deleted'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
