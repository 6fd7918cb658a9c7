// Your handler for `call.external_transferred`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Call transferred externally: The call was transferred to a phone number outside Aircall.
 *
 * Only this event fills `external_transferred_to` (the external number) and `external_caller_number`.
 * The data is the whole call as it stands when the event is built; upsert it on `data.id`.
 */
export const handleCallExternalTransferred: Handler<'call.external_transferred'> = (
  event,
  { log },
) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
