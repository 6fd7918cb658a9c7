// Fastify 5 with the call.created body schema (BENCH_BODY_SCHEMA, a JSON file) on the route, a
// constant-time token check, and a handler that does nothing but answer 200 {"ok":true}.
import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const schema = JSON.parse(readFileSync(process.env.BENCH_BODY_SCHEMA ?? '', 'utf8'));
const expected = Buffer.from(process.env.AIRCALL_WEBHOOK_TOKEN ?? '');

function tokenMatches(token) {
  const given = Buffer.from(typeof token === 'string' ? token : '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

// allowUnionTypes: the spec's nullable fields are type arrays (`[string, 'null']`), which ajv's strict mode
// otherwise warns about; it does not change what validates.
const app = Fastify({ logger: false, ajv: { customOptions: { allowUnionTypes: true } } });
app.post('/aircall/webhook', { schema: { body: schema } }, async (request, reply) => {
  const body = /** @type {{ token?: unknown }} */ (request.body);
  if (!tokenMatches(body.token)) return reply.code(401).send({ ok: false });
  return reply.code(200).send({ ok: true });
});

const address = await app.listen({ port: Number(process.env.PORT), host: process.env.HOST ?? '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ msg: 'listening', address })}\n`);
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
