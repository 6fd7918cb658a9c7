// Your handler for `analytics.report_failed`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Analytics report failed: An asynchronous analytics export failed.
 *
 * Requires the Analytics+ add-on. The webhook field names are undocumented, so the data is typed loosely; the example uses the names of the REST export job.
 */
export const handleAnalyticsReportFailed: Handler<'analytics.report_failed'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
