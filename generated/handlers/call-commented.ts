// Your handler for `call.commented`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Note added to call: A note was written on the call.
 *
 * `comments` contains the new note. Notes typed in the phone app are saved only when the agent leaves the after-call screen, so they may arrive well after the call ended.
 * The data is the whole call as it stands when the event is built; upsert it on `data.id`.
 */
export const handleCallCommented: Handler<'call.commented'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
