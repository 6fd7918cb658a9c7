// Your handler for `number.created`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Number created: A phone number was added to the Aircall account.
 *
 * The data is the number with its `users`.
 */
export const handleNumberCreated: Handler<'number.created'> = (event, { log }) => {
  // Until you replace this, the delivery is logged and acknowledged (answered 200).
  log.info({ event: event.event }, 'no handler logic yet');
};
