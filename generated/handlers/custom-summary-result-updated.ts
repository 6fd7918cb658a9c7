// Your handler for `custom_summary.result_updated`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Custom summary updated: A custom summary result was changed.
 *
 * Counterpart of `custom_summary.result_created` for edits. The data shape is undocumented, so it is typed as an open object.
 */
export const handleCustomSummaryResultUpdated: Handler<'custom_summary.result_updated'> = (
  event,
  { log },
) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
