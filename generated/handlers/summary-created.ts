// Your handler for `summary.created`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Summary created: The AI summary of a call is ready.
 *
 * Produced for every eligible call, asynchronously after it ends; `content` is the summary text. Note that `call_id` is a numeric string.
 */
export const handleSummaryCreated: Handler<'summary.created'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
