// Your handler for `number.deleted`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Number deleted: A phone number was removed from the Aircall account.
 *
 * The data is the number as it was; its `users` list is empty.
 */
export const handleNumberDeleted: Handler<'number.deleted'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
