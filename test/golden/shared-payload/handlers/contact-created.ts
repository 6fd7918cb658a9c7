// Your handler for `contact.created`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Contact created
 */
export const handleContactCreated: Handler<'contact.created'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
