// Your handler for `message.received`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Message received: An SMS, MMS or WhatsApp message arrived on an Aircall number.
 *
 * Native messaging mode only (see `message.sent`). Inbound media are described in `media_details`, each with a pre-signed, time-limited link. WhatsApp messages can carry the WhatsApp-only fields.
 */
export const handleMessageReceived: Handler<'message.received'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
