// A user's script (copied into every matrix project as src/check-testing.ts): drives the generated testing
// helper in-process and prints what each delivery did, as one JSON line, for test/compat to compare.
import type { HandlerMap } from './aircall/events.js';
import { TEST_TOKEN, deliver, deliverBody, type DeliveryResult } from './aircall/testing.js';

const seen: number[] = [];
const handlers: Partial<HandlerMap> = {
  'call.created': (event) => {
    seen.push(event.data.id);
  },
  'call.ended': () => {
    throw new Error('the handler failed');
  },
};

// Patches are typed by their event: this one does not compile (and is never run).
// @ts-expect-error `data.id` of call.created is a number
void (() => deliver('call.created', { data: { id: 'not a number' } }));

function summary(result: DeliveryResult): Record<string, unknown> {
  const { status, outcome, handled, response, quarantined } = result;
  return { status, outcome, handled, response, quarantined: quarantined.map((entry) => entry.reason) };
}

async function main(): Promise<void> {
  const results = {
    handled: summary(await deliver('call.created', { data: { id: 4242 } }, { handlers })),
    wrongToken: summary(await deliver('call.created', {}, { handlers, token: 'not-the-token' })),
    idRemoved: summary(await deliver('call.created', { data: { id: undefined } }, { handlers })),
    handlerFails: summary(await deliver('call.ended', {}, { handlers })),
    notJson: summary(await deliverBody('{"event":', { handlers })),
    unknownEvent: summary(
      await deliverBody({ event: 'call.teleported', resource: 'call', timestamp: 1, token: TEST_TOKEN, data: {} }),
    ),
  };
  console.log(JSON.stringify({ results, seen }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
