// Your handler for `playbook_result.updated`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Playbook result updated: A user or supervisor edited a playbook result.
 *
 * Same data as `playbook_result.created`, after the edit; `updated_by` is the editor.
 */
export const handlePlaybookResultUpdated: Handler<'playbook_result.updated'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
