// Stand-in for the generated registry.ts, so runtime/ type-checks where it is written (tsconfig.runtime.json).
// Never copied into output: the generator imports one handler file per event instead.
import type { HandlerMap } from './events.js';

export const handlers: HandlerMap = {
  'call.created': () => {},
  'contact.created': () => {},
};
