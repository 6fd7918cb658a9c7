// Floor under the sqlite mode: the least any SQLite-backed acknowledgement does, so that "sqlite / bare"
// can be read against what this machine allows at all. node:http, read the body, `JSON.parse`, then store
// the raw body durably: the requests read while an fsync runs form one batch, one transaction of plain
// INSERTs into a table with no index (WAL, synchronous=NORMAL), then `fdatasync` of the WAL on libuv's
// pool; 200 only once that fsync has ended. Nothing else: no token check, no validation, no dedupe key,
// no index, no log line, no checkpoint (the WAL grows for the run), no workers.
// Env: PORT, HOST, BENCH_SQLITE_FILE (a new file). better-sqlite3 comes from the root project's install.
import { fdatasync, openSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { listen } from './listen.js';

const file = process.env.BENCH_SQLITE_FILE;
if (!file) throw new Error('BENCH_SQLITE_FILE is not set');
const Database = createRequire(new URL('../../package.json', import.meta.url))('better-sqlite3');

const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
db.exec('CREATE TABLE IF NOT EXISTS deliveries (seq INTEGER PRIMARY KEY, body TEXT NOT NULL)');
const walFd = openSync(`${file}-wal`, 'r+');
const insert = db.prepare('INSERT INTO deliveries (body) VALUES (?)');
const begin = db.prepare('BEGIN IMMEDIATE');
const commit = db.prepare('COMMIT');

const OK = Buffer.from('{"ok":true}');
const HEADERS = { 'content-type': 'application/json', 'content-length': OK.length };

/** @type {{ body: string, res: import('node:http').ServerResponse }[]} */
let batch = [];
let syncing = false;
let scheduled = false;

function flush() {
  scheduled = false;
  if (batch.length === 0) return;
  const stored = batch;
  batch = [];
  try {
    begin.run();
    for (const { body } of stored) insert.run(body);
    commit.run();
  } catch {
    if (db.inTransaction) db.exec('ROLLBACK');
    for (const { res } of stored) res.writeHead(503).end();
    return;
  }
  syncing = true;
  fdatasync(walFd, (error) => {
    syncing = false;
    for (const { res } of stored) {
      if (error === null) res.writeHead(200, HEADERS).end(OK);
      else res.writeHead(503).end();
    }
    schedule();
  });
}

/** The next batch goes at the end of this turn, or once the fsync in flight has ended. */
function schedule() {
  if (syncing || scheduled || batch.length === 0) return;
  scheduled = true;
  setImmediate(flush);
}

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
    batch.push({ body, res });
    schedule();
  });
});

listen(server, () => db.close());
