// Your handler for `playbook_result.created`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Playbook result created: A call was scored against a playbook.
 *
 * Carries `playbook`, the overall `adherence_score` and the outcome of each playbook topic. Requires the AI Assist Pro add-on.
 */
export const handlePlaybookResultCreated: Handler<'playbook_result.created'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
