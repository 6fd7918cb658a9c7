// Your handler for `sentiment.created`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Sentiment created: AI sentiment analysis of a call is ready.
 *
 * Produced asynchronously, seconds to minutes after the call. Each entry of `participants` carries a `value` (`NEUTRAL`, `POSITIVE` or `NEGATIVE`). Requires the AI add-on.
 */
export const handleSentimentCreated: Handler<'sentiment.created'> = (event, { log }) => {
  // Until you replace this, the delivery is logged and acknowledged (answered 200).
  log.info({ event: event.event }, 'no handler logic yet');
};
