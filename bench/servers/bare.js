// Baseline: node:http, read the body, JSON.parse it, answer 200 {"ok":true}. Nothing else.
import { createServer } from 'node:http';
import { listen } from './listen.js';

const OK = Buffer.from('{"ok":true}');

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': OK.length }).end(OK);
  });
});

listen(server);
