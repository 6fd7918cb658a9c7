// Your handler for `ping.sent`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Ping sent: A ping was sent.
 */
export const handlePingSent: Handler<'ping.sent'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
