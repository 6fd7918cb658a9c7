// Receiver startup: spawn `node dist-generated/server.js`, poll GET /healthz every 10 ms, and time
// the first 200; interleaved round by round with `node -e 0` (spawn to exit) as the baseline.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { HOST, freePort, httpRequest, startServer, stopServer, waitUntil } from './servers.js';
import { ROOT } from './paths.js';
import { summarize } from './stats.js';

function nodeBaseline() {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code === 0) resolve(ms);
      else reject(new Error(`node -e 0 exited with ${code}`));
    });
  });
}

async function receiverStartup(script, env) {
  const port = await freePort();
  const start = process.hrtime.bigint();
  const since = () => Number(process.hrtime.bigint() - start) / 1e6;
  const server = startServer(script, {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST },
    stdoutFile: 'pipe',
  });
  let listeningMs;
  let pending = '';
  server.child.stdout?.on('data', (chunk) => {
    if (listeningMs !== undefined) return;
    pending += chunk.toString('utf8');
    if (/"msg":"listening"/.test(pending)) listeningMs = since();
  });
  try {
    await waitUntil(server, async () => (await httpRequest(port, { path: '/healthz' })).status === 200, {
      intervalMs: 10,
    });
    const healthzMs = since();
    // The log line is written asynchronously; give it up to a second to arrive before stopping.
    for (let waited = 0; listeningMs === undefined && waited < 1000; waited += 10) {
      await new Promise((r) => setTimeout(r, 10));
    }
    return { healthzMs, listeningMs };
  } finally {
    await stopServer(server);
  }
}

export async function benchStartup({ runs, script = join(ROOT, 'dist-generated', 'server.js'), env, log }) {
  const baseline = [];
  const healthz = [];
  const listening = [];
  for (let round = 1; round <= runs; round++) {
    baseline.push(await nodeBaseline());
    const r = await receiverStartup(script, env);
    healthz.push(r.healthzMs);
    if (r.listeningMs !== undefined) listening.push(r.listeningMs);
    log(
      `  round ${round}/${runs}  node -e 0 ${baseline.at(-1).toFixed(0)} ms; receiver /healthz 200 after ${r.healthzMs.toFixed(0)} ms`,
    );
  }
  return {
    baseline: summarize(baseline),
    healthz: summarize(healthz),
    listening: summarize(listening),
    listeningSeen: listening.length,
    runs,
  };
}
