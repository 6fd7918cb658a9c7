// Your handler for `number.opened`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Number opened: The number opened, following its opening hours.
 *
 * Sent when the number becomes open according to its business hours.
 */
export const handleNumberOpened: Handler<'number.opened'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
