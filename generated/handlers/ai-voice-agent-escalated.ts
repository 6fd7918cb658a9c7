// Your handler for `ai_voice_agent.escalated`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Voice agent escalated: An AI voice agent handed the call over to a human.
 *
 * Carries `escalation_reason`.
 */
export const handleAiVoiceAgentEscalated: Handler<'ai_voice_agent.escalated'> = (
  event,
  { log },
) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
