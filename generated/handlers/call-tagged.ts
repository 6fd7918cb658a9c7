// Your handler for `call.tagged`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Call tagged: A tag was added to the call.
 *
 * The call's `tags` include who applied each tag (`tagged_by`, an empty object for automatic tags) and when (`tagged_at`, Unix seconds).
 * The data is the whole call as it stands when the event is built; upsert it on `data.id`.
 */
export const handleCallTagged: Handler<'call.tagged'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
