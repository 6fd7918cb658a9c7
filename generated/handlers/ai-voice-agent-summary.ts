// Your handler for `ai_voice_agent.summary`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Voice agent summary: The answers an AI voice agent collected are available.
 *
 * Carries `extracted_data`: the answers to the agent's intake questions, keyed by question.
 */
export const handleAiVoiceAgentSummary: Handler<'ai_voice_agent.summary'> = (event, { log }) => {
  // Until you replace this, the delivery is logged and acknowledged (answered 200).
  log.info({ event: event.event }, 'no handler logic yet');
};
