// Your handler for `call.created`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Call created: A call has started: an inbound call reached a number, or an agent dialled out.
 *
 * First event of every call. The call has `status` `initial`, `answered_at` and `ended_at` are `null` and `duration` is 0. On inbound calls nobody has picked up yet, so the `user` key is often missing altogether. If an IVR number and its child number are both linked to the same integration, this event arrives twice.
 * The data is the whole call as it stands when the event is built; upsert it on `data.id`.
 */
export const handleCallCreated: Handler<'call.created'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
