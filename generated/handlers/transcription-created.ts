// Your handler for `transcription.created`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Transcription created: The full transcription of a call or voicemail is ready.
 *
 * Produced asynchronously after the call; `content` holds the language and the list of utterances with their speaker.
 */
export const handleTranscriptionCreated: Handler<'transcription.created'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
