// Your handler for `ai_voice_agent.summary`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Voice agent summary: The answers an AI voice agent collected are available.
 *
 * Carries `extracted_data`: the answers to the agent's intake questions, keyed by question.
 */
export const handleAiVoiceAgentSummary: Handler<'ai_voice_agent.summary'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
