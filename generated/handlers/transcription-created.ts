// Your handler for `transcription.created`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Transcription created: The full transcription of a call or voicemail is ready.
 *
 * Produced asynchronously after the call; `content` holds the language and the list of utterances with their speaker.
 */
export const handleTranscriptionCreated: Handler<'transcription.created'> = (event, { log }) => {
  // Until you replace this, the delivery is logged and acknowledged (answered 200).
  log.info({ event: event.event }, 'no handler logic yet');
};
