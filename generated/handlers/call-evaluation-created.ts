// Your handler for `call_evaluation.created`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Call evaluation created: An AI evaluation (scorecard) of a call is ready.
 *
 * Requires the AI add-on. The shape of its data is not documented anywhere reachable, so the data is typed as an open object.
 */
export const handleCallEvaluationCreated: Handler<'call_evaluation.created'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
