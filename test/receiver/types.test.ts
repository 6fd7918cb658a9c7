// Compile-time checks: the structurally typed adapters fit the real express and fastify types, and the
// public types narrow the way users rely on. Type-checked in memory with the project, nothing is run.
import { describe, expect, it } from 'vitest';
import { typecheckProject } from './support/project.js';

const USAGE = `
import { createServer } from 'node:http';
import express from 'express';
import Fastify from 'fastify';
import { handlers } from './registry.js';
import type { HandlerMap } from './events.js';
import {
  aircallFastifyPlugin,
  createExpressMiddleware,
  createFetchHandler,
  createNodeHandler,
  createNodeServer,
  createReceiver,
  createLogger,
  type Delivery,
  type DispatchResult,
  type Receiver,
} from './receiver/index.js';
import { pino } from 'pino';

const receiver: Receiver = createReceiver({ handlers, tokens: ['t'], logger: pino({ level: 'silent' }) });
createReceiver({ handlers, tokens: 't', validation: 'strict', quarantine: 'q.jsonl', logger: createLogger({ level: 'warn' }) });

const app = express();
app.use(createExpressMiddleware(receiver));
app.post('/aircall/webhook', createExpressMiddleware(receiver));
const fastify = Fastify();
void fastify.register(aircallFastifyPlugin, { receiver });
createServer(createNodeHandler(receiver));
void createNodeServer(receiver, { headersTimeout: 1000 }).listen(0);
const onRequest: (request: Request) => Promise<Response> = createFetchHandler(receiver);

// Queue-style use: accept now, dispatch later; the delivery narrows by name.
async function viaQueue(body: Uint8Array): Promise<DispatchResult | undefined> {
  const acceptance = await receiver.accept(body);
  if (!acceptance.accepted) return undefined;
  const delivery: Delivery = acceptance.delivery;
  if (delivery.name === 'call.created') {
    const literal: 'call.created' = delivery.event.event;
    void literal;
  }
  return receiver.dispatch(delivery, { signal: AbortSignal.timeout(1000) });
}

const partial: Partial<HandlerMap> = {};
void viaQueue;
void onRequest;
void partial;
`;

const MISUSE = `
import { handlers } from './registry.js';
import { createReceiver } from './receiver/index.js';
createReceiver({ handlers, tokens: ['t'], validation: 'lenient' });
`;

describe('types', () => {
  it('adapters fit express and fastify; deliveries narrow by name', async () => {
    expect(await typecheckProject({ 'usage.ts': USAGE })).toBe('');
  }, 60_000);

  it('an invalid option does not compile', async () => {
    expect(await typecheckProject({ 'misuse.ts': MISUSE })).toMatch(/"lenient".*ValidationPolicy/);
  }, 60_000);
});
