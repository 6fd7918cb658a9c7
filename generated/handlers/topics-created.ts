// Your handler for `topics.created`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Topics created: The topics discussed in a call have been extracted.
 *
 * Produced asynchronously after the call; `content` is a list of topic strings.
 */
export const handleTopicsCreated: Handler<'topics.created'> = (event, { log }) => {
  // Until you replace this, the delivery is logged and acknowledged (answered 200).
  log.info({ event: event.event }, 'no handler logic yet');
};
