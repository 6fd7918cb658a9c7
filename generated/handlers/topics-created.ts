// Your handler for `topics.created`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Topics created: The topics discussed in a call have been extracted.
 *
 * Produced asynchronously after the call; `content` is a list of topic strings.
 */
export const handleTopicsCreated: Handler<'topics.created'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
