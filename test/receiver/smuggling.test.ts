// Request smuggling and pipelining against the node:http server, over raw sockets: ambiguous framing is
// refused (400) and closes the connection, so nothing hidden in it reaches a handler; pipelined requests
// are answered one by one, in order.
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingReceiver, withToken } from './support/harness.js';
import { prepareProject } from './support/project.js';

const modules = await (await prepareProject()).load();
const callCreated = Object.values(modules.fixtures).find((body) => body['event'] === 'call.created')!;
const valid = withToken(callCreated);
const wrongToken = withToken(callCreated, 'not-the-token-0000000000000000000');

const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function startServer() {
  const { receiver, recorder } = recordingReceiver(modules);
  const server = modules.receiver.createNodeServer(receiver);
  const { port } = await server.listen(0, '127.0.0.1');
  stops.push(() => server.close({ timeoutMs: 100 }));
  return { port, recorder };
}

/** Sends `raw` on one connection; resolves with the status of every response and whether the server closed it. */
function exchange(port: number, raw: string): Promise<{ statuses: number[]; closedByServer: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let closedByServer = false;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(received).toString('latin1');
      resolve({ statuses: [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1])), closedByServer });
    };
    const timer = setTimeout(finish, 3_000);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', () => undefined);
    socket.on('end', () => {
      closedByServer = true;
      finish();
    });
    socket.write(raw);
  });
}

const HEAD = 'POST /aircall/webhook HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n';
const request = (body: string, extra = '') =>
  `${HEAD}${extra}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const smuggled = request(valid, 'connection: close\r\n');

describe('request smuggling', { timeout: 15_000 }, () => {
  it.each([
    [
      'Content-Length and Transfer-Encoding together',
      `${HEAD}content-length: 5\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n${smuggled}`,
    ],
    ['two different Content-Lengths', `${HEAD}content-length: ${valid.length}\r\ncontent-length: 5\r\n\r\n${valid}`],
    ['a folded header line (obs-fold)', `${HEAD}content-length: ${valid.length}\r\nx-note: a\r\n b\r\n\r\n${valid}`],
    ['an unknown transfer coding', `${HEAD}transfer-encoding: xchunked\r\n\r\n${valid}`],
    ['chunked not last', `${HEAD}transfer-encoding: chunked, identity\r\n\r\n${valid}`],
    ['a space before the colon', `${HEAD}content-length : ${valid.length}\r\n\r\n${valid}`],
  ])('refuses %s with 400, closes, and runs nothing hidden in it', async (_, raw) => {
    const { port, recorder } = await startServer();
    expect(await exchange(port, raw)).toEqual({ statuses: [400], closedByServer: true });
    expect(recorder.calls).toEqual([]);
    expect(recorder.quarantined).toEqual([]);
  });

  it('treats a request inside a chunked body as body bytes, not as a request', async () => {
    const { port, recorder } = await startServer();
    const chunk = Buffer.byteLength(smuggled).toString(16);
    const raw = `${HEAD}transfer-encoding: chunked\r\nconnection: close\r\n\r\n${chunk}\r\n${smuggled}\r\n0\r\n\r\n`;
    expect((await exchange(port, raw)).statuses).toEqual([400]); // malformed JSON: the body is the text of a request
    expect(recorder.calls).toEqual([]);
  });
});

describe('pipelining', { timeout: 15_000 }, () => {
  it('answers requests sent back to back on one connection one by one, in order', async () => {
    const { port, recorder } = await startServer();
    const raw = request(valid) + request(wrongToken) + request('{"broken"') + request(valid, 'connection: close\r\n');
    expect(await exchange(port, raw)).toEqual({ statuses: [200, 401, 400, 200], closedByServer: true });
    expect(recorder.calls.map((call) => call.name)).toEqual(['call.created', 'call.created']);
  });

  it('answers 413 to an oversized request in the middle of a pipeline and closes: the rest is not run', async () => {
    const { port, recorder } = await startServer();
    const raw = `${request(valid)}${HEAD}content-length: ${10 * 1024 * 1024}\r\n\r\n${request(valid)}`;
    expect(await exchange(port, raw)).toEqual({ statuses: [200, 413], closedByServer: true });
    expect(recorder.calls).toHaveLength(1);
  });
});
