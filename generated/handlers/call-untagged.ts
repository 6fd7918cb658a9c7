// Your handler for `call.untagged`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Call untagged: A tag was removed from the call.
 *
 * Sent when a tag is taken off; `tags` holds the tags that remain. No sample of this event was available.
 * The data is the whole call as it stands when the event is built; upsert it on `data.id`.
 */
export const handleCallUntagged: Handler<'call.untagged'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
