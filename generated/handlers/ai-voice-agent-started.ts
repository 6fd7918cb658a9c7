// Your handler for `ai_voice_agent.started`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Voice agent session started: An AI voice agent started handling a call.
 *
 * Carries the session identifiers, both phone numbers and `started_at`. Calls handled by a voice agent also produce the usual `call.*` and Conversation Intelligence events.
 */
export const handleAiVoiceAgentStarted: Handler<'ai_voice_agent.started'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
