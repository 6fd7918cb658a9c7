// Your handler for `contact.created`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Contact created: A contact was added to the address book.
 *
 * The data is the new contact. Real deliveries carried `created_at`/`updated_at` as Unix seconds, while a secondary source describes ISO-8601 strings; both forms are accepted.
 */
export const handleContactCreated: Handler<'contact.created'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
