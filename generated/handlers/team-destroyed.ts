// Your handler for `team.destroyed`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Team deleted: A team was deleted (listed only by the third-party upstream document).
 *
 * As for `team.created`: unconfirmed by Aircall, so the data is typed loosely.
 */
export const handleTeamDestroyed: Handler<'team.destroyed'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
