// Your handler for `contact.updated`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Contact updated: A contact's details were changed.
 *
 * The data is the contact after the change. Dates may be Unix seconds or ISO-8601 strings.
 */
export const handleContactUpdated: Handler<'contact.updated'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
