// Your handler for `contact.updated`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Contact updated: A contact's details were changed.
 *
 * The data is the contact after the change. Dates may be Unix seconds or ISO-8601 strings.
 */
export const handleContactUpdated: Handler<'contact.updated'> = (event, { log }) => {
  // Until you replace this, the delivery is logged and acknowledged (answered 200).
  log.info({ event: event.event }, 'no handler logic yet');
};
