// Your handler for `call.hungup`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Call hung up: The call was hung up; sent at once.
 *
 * Sent the moment the call ends, with `status` `done`, `ended_at` and `duration` set. Good for live dashboards; the final call data (recordings, voicemail, missed reason) comes with `call.ended` about 30 seconds later.
 * The data is the whole call as it stands when the event is built; upsert it on `data.id`.
 */
export const handleCallHungup: Handler<'call.hungup'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
