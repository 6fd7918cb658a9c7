// Your handler for `message.sent`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Message sent: An SMS, MMS or WhatsApp message was sent from an Aircall number.
 *
 * Fires only for numbers in Native messaging mode; numbers in Proxy mode post their own callbacks (with `event_name` and millisecond timestamps) elsewhere and never reach this channel. `channel` is `null` for SMS/MMS and `whatsapp` for WhatsApp. Webhooks are the only record of WhatsApp messages, since the API has no history endpoint.
 */
export const handleMessageSent: Handler<'message.sent'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
