// Floor under the sqlite mode: the least any SQLite-backed acknowledgement does, so that "sqlite / bare"
// can be read against what this machine allows at all. node:http, read the body, `JSON.parse`, then store
// the raw body durably: the requests read while an fsync runs form one batch, one transaction of plain
// INSERTs into a table with no index (WAL, synchronous=NORMAL), then `fdatasync` of the WAL on libuv's
// pool; 200 only once that fsync has ended. Nothing else: no token check, no validation, no dedupe key,
// no index, no log line, no checkpoint (the WAL grows for the run), no workers.
// Env: PORT, HOST, BENCH_SQLITE_FILE (a new file). better-sqlite3 comes from the root project's install.
import { createServer } from 'node:http';
import { listen } from './listen.js';
import { groupCommit, OK, OK_HEADERS, openWalDatabase } from './sqlite-batches.js';

const file = process.env.BENCH_SQLITE_FILE;
if (!file) throw new Error('BENCH_SQLITE_FILE is not set');

const database = openWalDatabase(
  file,
  'CREATE TABLE IF NOT EXISTS deliveries (seq INTEGER PRIMARY KEY, body TEXT NOT NULL)',
);
const insert = database.db.prepare('INSERT INTO deliveries (body) VALUES (?)');

const push = groupCommit(
  database,
  (/** @type {{ body: string, res: import('node:http').ServerResponse }} */ { body }) => insert.run(body),
  (items, _results, ok) => {
    for (const { res } of items) {
      if (ok) res.writeHead(200, OK_HEADERS).end(OK);
      else res.writeHead(503).end();
    }
  },
);

const server = createServer((req, res) => {
  /** @type {Buffer[]} */
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    try {
      JSON.parse(body);
    } catch {
      res.writeHead(400).end();
      return;
    }
    push({ body, res });
  });
});

listen(server, () => database.db.close());
