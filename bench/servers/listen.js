// What every node:http bench server does around its handler: listen on PORT and HOST, print one
// `listening` line (the harness waits for the port, not for this line, but a log shows when it came up),
// and on SIGTERM stop accepting, run `close` (a queue, a database), then exit 0.

/**
 * @param {import('node:http').Server} server
 * @param {() => unknown} [close]
 */
export function listen(server, close) {
  server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1', () => {
    const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
    process.stdout.write(`${JSON.stringify({ msg: 'listening', port })}\n`);
  });
  process.on('SIGTERM', () =>
    server.close(async () => {
      await close?.();
      process.exit(0);
    }),
  );
}
