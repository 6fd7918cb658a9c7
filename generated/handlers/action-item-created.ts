// Your handler for `action_item.created`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Action items created: Follow-up actions were extracted from a call.
 *
 * Produced asynchronously after the call; `content` holds the action items.
 */
export const handleActionItemCreated: Handler<'action_item.created'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
