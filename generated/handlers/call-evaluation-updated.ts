// Your handler for `call_evaluation.updated`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Call evaluation updated: A user or supervisor edited a call evaluation.
 *
 * Counterpart of `call_evaluation.created` for edits. The data shape is undocumented, so it is typed as an open object.
 */
export const handleCallEvaluationUpdated: Handler<'call_evaluation.updated'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
