// Your handler for `integration.deleted`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Integration deleted: An integration was removed from the Aircall account.
 *
 * Sent only for webhooks created by an OAuth app, when that app's integration is uninstalled. The data holds just the two identifiers.
 */
export const handleIntegrationDeleted: Handler<'integration.deleted'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
