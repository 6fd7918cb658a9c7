// Your handler for `team.created`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Team created: A team was created (listed only by the third-party upstream document).
 *
 * No Aircall source lists team events; only the upstream third-party document does. They are kept so the receiver handles all 69 names, but the data is typed loosely: any object is accepted and every field is optional.
 */
export const handleTeamCreated: Handler<'team.created'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
