// Your handler for `custom_summary.result_created`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Custom summary created: A summary following an admin-defined template is ready.
 *
 * Generated in addition to the standard summary when an admin has configured a summary template. The shape of its data is not documented anywhere reachable, so the data is typed as an open object.
 */
export const handleCustomSummaryResultCreated: Handler<'custom_summary.result_created'> = (
  event,
  { log },
) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
