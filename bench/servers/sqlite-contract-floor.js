// The sqlite floor (sqlite-floor.js) plus what the contract requires of every acknowledgement, and
// nothing else: the token check, validation against the event's schema, the dedupe key (SHA-256 of the
// canonical JSON without `token`) and its uniqueness in the table (an index), one log line per delivery,
// and WAL checkpoints (a queue file that only grows is no queue). Each of these is the generated
// receiver's own code (dist-generated/: token.js, validators.js, dedupe-key.js, durable.js's object key,
// checkpointer.js with the receiver's settings), so this costs what the receiver's mandatory
// acknowledgement work costs, with none of its own structure around it: no per-object order index, no due
// index, no state or lease columns, no workers, no quarantine, no promise per write. Answers 200 only once
// the batch's fdatasync has ended.
// Env: PORT, HOST, BENCH_SQLITE_FILE (a new file), AIRCALL_WEBHOOK_TOKEN. better-sqlite3 comes from the
// root project's install.
import { writeSync } from 'node:fs';
import { createServer } from 'node:http';
import { listen } from './listen.js';
import { groupCommit, OK, OK_HEADERS, openWalDatabase, SQLITE_DRIVER_PATH } from './sqlite-batches.js';

/** A module of the built receiver (`npm run build:receiver`), loaded at run time: it is not the bench's source. */
const generated = (/** @type {string} */ path) => import(new URL(`../../dist-generated/${path}`, import.meta.url).href);
const [
  { startCheckpointer },
  { canonicalBody, keyOfCanonical, shortId },
  { objectKeyOf },
  { createTokenVerifier },
  { validateEvent },
] = await Promise.all([
  generated('receiver/queue/checkpointer.js'),
  generated('receiver/queue/dedupe-key.js'),
  generated('receiver/durable.js'),
  generated('receiver/token.js'),
  generated('validators.js'),
]);

const file = process.env.BENCH_SQLITE_FILE;
if (!file) throw new Error('BENCH_SQLITE_FILE is not set');
const token = process.env.AIRCALL_WEBHOOK_TOKEN;
if (!token) throw new Error('AIRCALL_WEBHOOK_TOKEN is not set');
const tokens = createTokenVerifier([token]);

const database = openWalDatabase(
  file,
  `CREATE TABLE IF NOT EXISTS deliveries (seq INTEGER PRIMARY KEY, key TEXT NOT NULL, object_key TEXT,
     body TEXT NOT NULL);
   CREATE UNIQUE INDEX IF NOT EXISTS deliveries_key ON deliveries (coalesce(object_key, ''), key);`,
);
// As the receiver: checkpoints on a thread of their own, the WAL cut back to 64 MB after a burst.
database.db.pragma('journal_size_limit = 67108864');
const checkpointer = startCheckpointer(file, SQLITE_DRIVER_PATH, 2_000, (/** @type {unknown} */ error) => {
  throw error;
});
const insert = database.db.prepare('INSERT OR IGNORE INTO deliveries (key, object_key, body) VALUES (?, ?, ?)');

/** @typedef {{ event: string, key: string, objectKey: string | null, body: string, res: import('node:http').ServerResponse }} Delivery */
const push = groupCommit(
  database,
  (/** @type {Delivery} */ d) => (insert.run(d.key, d.objectKey, d.body).changes === 1 ? 'queued' : 'duplicate'),
  (items, outcomes, ok) => {
    let lines = '';
    items.forEach(({ event, key, res }, i) => {
      if (ok) res.writeHead(200, OK_HEADERS).end(OK);
      else res.writeHead(503).end();
      lines += `${JSON.stringify({ msg: 'delivery', event, id: shortId(key), outcome: ok ? outcomes[i] : 'error' })}\n`;
    });
    writeSync(1, lines);
  },
);

const server = createServer((req, res) => {
  /** @type {Buffer[]} */
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (body === null || typeof body !== 'object' || typeof body.token !== 'string' || !tokens.verify(body.token)) {
      res.writeHead(401).end();
      return;
    }
    if (typeof body.event !== 'string' || validateEvent(body.event, body) !== null) {
      res.writeHead(422).end();
      return;
    }
    const canonical = canonicalBody(body);
    push({ event: body.event, key: keyOfCanonical(canonical), objectKey: objectKeyOf(body), body: canonical, res });
  });
});

listen(server, async () => {
  await checkpointer.close();
  database.db.close();
});
