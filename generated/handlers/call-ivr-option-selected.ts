// Your handler for `call.ivr_option_selected`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * IVR option selected: The caller chose an option in the IVR menu of a Smartflows number.
 *
 * The call can list the menu steps in `ivr_options_selected`; whether this event always fills that list is not confirmed.
 * The data is the whole call as it stands when the event is built; upsert it on `data.id`.
 */
export const handleCallIvrOptionSelected: Handler<'call.ivr_option_selected'> = (
  event,
  { log },
) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
