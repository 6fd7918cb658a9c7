// Your handler for `call.ended`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Call ended: The call is over and its data is final (about 30 seconds after hang-up).
 *
 * Sent roughly 30 seconds after `call.hungup`, once Aircall has finished processing the call. It can carry `voicemail`, `asset` and `missed_call_reason`. Recording links may still be missing; `call.comm_assets_generated` delivers them when ready.
 * The data is the whole call as it stands when the event is built; upsert it on `data.id`.
 */
export const handleCallEnded: Handler<'call.ended'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
