// Your handler for `number.deleted`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Number deleted: A phone number was removed from the Aircall account.
 *
 * The data is the number as it was; its `users` list is empty.
 */
export const handleNumberDeleted: Handler<'number.deleted'> = (event, { log }) => {
  // Until you replace this, the delivery is logged and acknowledged (answered 200).
  log.info({ event: event.event }, 'no handler logic yet');
};
