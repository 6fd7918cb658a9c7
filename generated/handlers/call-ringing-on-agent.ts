// Your handler for `call.ringing_on_agent`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Call ringing on agent: The call is ringing on one agent's phone.
 *
 * Sent each time the call rings on an agent; `user` is the agent being rung, and the call is still `initial`.
 * The data is the whole call as it stands when the event is built; upsert it on `data.id`.
 */
export const handleCallRingingOnAgent: Handler<'call.ringing_on_agent'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
