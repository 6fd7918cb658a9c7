// Your handler for `sentiment.created`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Sentiment created: AI sentiment analysis of a call is ready.
 *
 * Produced asynchronously, seconds to minutes after the call. Each entry of `participants` carries a `value` (`NEUTRAL`, `POSITIVE` or `NEGATIVE`). Requires the AI add-on.
 */
export const handleSentimentCreated: Handler<'sentiment.created'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
