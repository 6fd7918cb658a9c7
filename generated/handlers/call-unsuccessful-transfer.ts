// Your handler for `call.unsuccessful_transfer`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Transfer failed: An attempt to transfer the call did not succeed.
 *
 * The call still carries `transferred_by` and `transferred_to` for the attempted transfer.
 * The data is the whole call as it stands when the event is built; upsert it on `data.id`.
 */
export const handleCallUnsuccessfulTransfer: Handler<'call.unsuccessful_transfer'> = (
  event,
  { log },
) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
