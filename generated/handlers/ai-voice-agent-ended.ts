// Your handler for `ai_voice_agent.ended`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Voice agent session ended: An AI voice agent stopped handling a call.
 *
 * Adds `ended_at` and `call_end_reason` (reported values: `answered`, `escalated`, `disconnected`, `caller_hung_up`).
 */
export const handleAiVoiceAgentEnded: Handler<'ai_voice_agent.ended'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
