// Your handler for `call.agent_declined`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Agent declined call: An agent declined the ringing call.
 *
 * Sent when an agent rejects the call while it rings. `user` is presumably the agent who declined (not confirmed by a sample).
 * The data is the whole call as it stands when the event is built; upsert it on `data.id`.
 */
export const handleCallAgentDeclined: Handler<'call.agent_declined'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
