// Your handler for `realtime_transcription.utterances_received`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Realtime utterances received: New utterances were transcribed while the call is in progress.
 *
 * Sent repeatedly during a live call, each time with a batch of utterances. Its data differs from the other Conversation Intelligence events: it names the call in a small `call` object, whose `id` can be `null`.
 */
export const handleRealtimeTranscriptionUtterancesReceived: Handler<
  'realtime_transcription.utterances_received'
> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
