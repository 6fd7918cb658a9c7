// Your handler for `call.comm_assets_generated`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Recording or voicemail ready: The recording and/or voicemail links of the call are available.
 *
 * Sent once per call, and only for calls with a recording or a voicemail. It can arrive after `call.ended`, which may still lack those links.
 * The data is the whole call as it stands when the event is built; upsert it on `data.id`.
 */
export const handleCallCommAssetsGenerated: Handler<'call.comm_assets_generated'> = (
  event,
  { log },
) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
