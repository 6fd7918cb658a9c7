// Your handler for `class.deleted`. aircall-gen created this file once and never overwrites it: edit freely.
import type { Handler } from '../events.js';

/**
 * Class deleted: A name that is a keyword: class, with a description containing *\/ and ${injection}.
 */
export const handleClassDeleted: Handler<'class.deleted'> = (event, { log }) => {
  // Until you replace this, the delivery is logged and acknowledged (answered 200).
  log.info({ event: event.event }, 'no handler logic yet');
};
