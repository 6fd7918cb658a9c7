// Your handler for `number.opened`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Number opened: The number opened, following its opening hours.
 *
 * Sent when the number becomes open according to its business hours.
 */
export const handleNumberOpened: Handler<'number.opened'> = (event, { log }) => {
  // Until you replace this, the delivery is logged and acknowledged (answered 200).
  log.info({ event: event.event }, 'no handler logic yet');
};
