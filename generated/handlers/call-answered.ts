// Your handler for `call.answered`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Call answered: The call was picked up by an agent, or by the person called.
 *
 * The call moves to `status` `answered` and `answered_at` is set; `ended_at` stays `null` and `duration` 0 until the call is over.
 * The data is the whole call as it stands when the event is built; upsert it on `data.id`.
 */
export const handleCallAnswered: Handler<'call.answered'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
