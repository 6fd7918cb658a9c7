// The seam a durable queue plugs into: assembleReceiver(options, handOff) hands accepted deliveries on
// instead of running their handler, and receiver.dispatch runs a stored one through the same dispatch.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TOKEN, withToken } from './support/harness.js';
import { prepareProject } from './support/project.js';
import type { Delivery, Receiver, ReceiverOptions, ReceiverResponse, TestHandler } from './support/types.js';

const project = await prepareProject();
const modules = await project.load();
const mod = modules.receiver;
const load = (path: string) => import(pathToFileURL(join(project.dir, path)).href);
const { assembleReceiver } = await load('receiver/receiver.js');
const { resolveOptions } = await load('receiver/options.js');

type HandOff = (
  delivery: Delivery,
  rawBody: Uint8Array | string,
  start: number,
  entry: unknown,
) => ReceiverResponse | Promise<ReceiverResponse>;
const assemble = (options: ReceiverOptions, handOff: HandOff): Receiver =>
  assembleReceiver(resolveOptions(options), handOff);

const callCreated = Object.values(modules.fixtures).find((body) => body['event'] === 'call.created')!;
const valid = withToken(callCreated);

function setup(handOff: HandOff) {
  const ran: string[] = [];
  const handler: TestHandler = (event) => {
    ran.push(event.event);
  };
  const handlers = Object.fromEntries(modules.events.EVENT_NAMES.map((name) => [name, handler]));
  const quarantine = mod.createMemoryQuarantine();
  const receiver = assemble({ handlers, tokens: [TOKEN], logger: mod.silentLogger, quarantine }, handOff);
  return { receiver, ran, quarantine };
}

describe('assembleReceiver with a hand-off (the durable-queue seam)', () => {
  it('hands an accepted delivery on with its raw body instead of running the handler, and answers what it says', async () => {
    const handed: { delivery: Delivery; rawBody: Uint8Array | string; start: number }[] = [];
    const { receiver, ran } = setup((delivery, rawBody, start) => {
      handed.push({ delivery, rawBody, start });
      return mod.responses['ok']!;
    });
    const raw = Buffer.from(valid);
    const response = await receiver.handle(raw);
    expect(response.status).toBe(200);
    expect(ran).toEqual([]);
    expect(handed).toHaveLength(1);
    expect(handed[0]!.rawBody).toBe(raw);
    expect(handed[0]!.delivery.name).toBe('call.created');
    expect(handed[0]!.delivery.event).toEqual(JSON.parse(valid));
    expect(typeof handed[0]!.delivery.receivedAt).toBe('number');
    expect(typeof handed[0]!.start).toBe('number');

    // A worker later runs the stored delivery through the same dispatch: handler lookup and deadline.
    expect(await receiver.dispatch(handed[0]!.delivery)).toEqual({ outcome: 'handled' });
    expect(ran).toEqual(['call.created']);
  });

  it('never hands on a rejected or quarantined body', async () => {
    let calls = 0;
    const { receiver, quarantine } = setup(() => {
      calls++;
      return mod.responses['ok']!;
    });
    expect((await receiver.handle(withToken(callCreated, 'f'.repeat(32)))).status).toBe(401);
    const invalid = JSON.stringify({ ...callCreated, token: TOKEN, timestamp: 'soon' });
    expect((await receiver.handle(invalid)).status).toBe(202);
    expect(quarantine.entries).toHaveLength(1);
    expect(calls).toBe(0);
  });

  it('keeps the request in flight until an asynchronous hand-off answers; a throwing one answers 500', async () => {
    let store!: (response: ReceiverResponse) => void;
    const { receiver } = setup(() => new Promise((resolve) => (store = resolve)));
    const pending = receiver.handle(valid);
    expect(receiver.inFlight).toBe(1);
    store(mod.responses['shuttingDown']!);
    expect((await pending).status).toBe(503);
    expect(receiver.inFlight).toBe(0);

    const failing = setup(() => Promise.reject(new Error('disk on fire'))).receiver;
    expect((await failing.handle(valid)).status).toBe(500);
    expect(failing.inFlight).toBe(0);
  });
});
