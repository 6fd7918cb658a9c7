// Your handler for `contact.deleted`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Contact deleted: A contact was removed from the address book.
 *
 * The data still holds the whole contact as it was, with `emails` emptied.
 */
export const handleContactDeleted: Handler<'contact.deleted'> = (event, { log }) => {
  // Until you replace this, the delivery is logged and acknowledged (answered 200).
  log.info({ event: event.event }, 'no handler logic yet');
};
