// Your handler for `class.deleted`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Class deleted: A name that is a keyword: class, with a description containing *\/ and ${injection}.
 */
export const handleClassDeleted: Handler<'class.deleted'> = (event, { log }) => {
  // Until you replace this, deliveries are acknowledged (200) and noted at debug level;
  // the receiver already logs one line per delivery. `event` is typed exactly as this event.
  log.debug({ received: event.event }, 'no handler logic yet');
};
