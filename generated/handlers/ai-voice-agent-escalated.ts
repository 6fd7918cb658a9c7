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
  // Until you replace this, the delivery is logged and acknowledged (answered 200).
  log.info({ event: event.event }, 'no handler logic yet');
};
