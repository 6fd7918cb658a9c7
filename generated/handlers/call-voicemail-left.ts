// Your handler for `call.voicemail_left`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Voicemail left: The caller left a voicemail.
 *
 * The call was not answered, so there is no `user` key. `voicemail` is a short-lived pre-signed link to the audio, `asset` the secured Aircall page, and `missed_call_reason` usually says why nobody answered.
 * The data is the whole call as it stands when the event is built; upsert it on `data.id`.
 */
export const handleCallVoicemailLeft: Handler<'call.voicemail_left'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
