// The checks of the durable section, apart from the harness (no autocannon, no Redis), so tests can run them:
// a receiver run's log against the requests it answered, the queue's count against the log, and the workers'
// logs against the deliveries they drained.
import { readFileSync } from 'node:fs';

/**
 * A durable receiver run's stdout against what autocannon counted: one "delivery queued" line (status 200,
 * outcome queued, an id no other line has) per answered request, and no duplicate, failed or 5xx line.
 * `requests` is the checked first request + warm-up + load; autocannon ends each of its two loads with up
 * to one request per connection in flight, answered and logged but not counted, hence up to
 * 2 x connections more lines. Worker lines ("delivery handled" etc.) are counted apart.
 */
export function checkDurableLog(path, outcome, connections) {
  const requests = outcome.total + outcome.warmupTotal + 1;
  const slack = 2 * connections;
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { ok: false, requests, slack, queued: 0, summary: `${path} is unreadable` };
  }
  const ids = new Set();
  let queued = 0;
  let repeatedIds = 0;
  let duplicates = 0;
  let failed = 0;
  let other = 0;
  let handled = 0;
  let stopping = false;
  /** @type {string | undefined} */
  let firstFailed;
  /** @type {string[]} */
  const shutdownErrors = [];
  for (const line of text.split('\n')) {
    if (line.length === 0) continue;
    let entry;
    try {
      entry = JSON.parse(line);
    } catch {
      other++;
      continue;
    }
    const { msg, status, outcome: result, id } = entry;
    if (msg === 'shutting down') stopping = true;
    // After SIGTERM, an error line without an event is not an acknowledgement (every acknowledgement line
    // names its event): it is reported as a finding, apart, and does not make the acknowledgements invalid.
    if (stopping && entry.event === undefined && (entry.level === 'error' || result === 'failed')) {
      shutdownErrors.push(`${msg}: ${entry.error?.type ?? ''} ${entry.error?.message ?? ''}`.trim());
      continue;
    }
    if (
      (typeof status === 'number' && status >= 500) ||
      result === 'failed' ||
      entry.level === 'error' ||
      entry.level === 50
    ) {
      failed++;
      firstFailed ??= `${msg}: ${entry.error?.type ?? ''} ${entry.error?.message ?? ''}`.trim().slice(0, 200);
    } else if (msg === 'delivery queued' && status === 200 && result === 'queued') {
      queued++;
      if (ids.has(id)) repeatedIds++;
      else ids.add(id);
    } else if (result === 'duplicate') duplicates++;
    else if (entry.attempt !== undefined) handled++;
    else if (typeof msg === 'string' && msg.startsWith('delivery')) other++;
  }
  const problems = [];
  if (outcome.exit !== 0) problems.push(`the server's exit was ${outcome.exit}, not 0 after SIGTERM`);
  if (queued < requests || queued > requests + slack)
    problems.push(`${queued} "delivery queued" lines for ${requests} requests (expected up to ${slack} more)`);
  if (repeatedIds > 0) problems.push(`${repeatedIds} ids logged twice`);
  if (duplicates > 0) problems.push(`${duplicates} duplicate lines`);
  if (failed > 0) problems.push(`${failed} failed/5xx/error lines (first: ${firstFailed})`);
  if (other > 0) problems.push(`${other} other delivery or unparsable lines`);
  const finding =
    shutdownErrors.length > 0
      ? `; NOTE ${shutdownErrors.length} error line(s) without an event after SIGTERM (not acknowledgements): ${[...new Set(shutdownErrors)].join(' / ')}`
      : '';
  return {
    ok: problems.length === 0,
    requests,
    slack,
    queued,
    handled,
    ids,
    shutdownErrors: shutdownErrors.length,
    summary: `${problems.length > 0 ? problems.join(', ') : `${queued} queued lines for ${requests} requests`}${finding}`,
  };
}

/**
 * Adds the queue's count to a log check. Every acknowledged delivery must be in the queue: fewer stored than
 * "delivery queued" lines makes the run invalid. More stored than acknowledged is allowed up to the in-flight
 * slack and quoted as a finding: a delivery stored but never answered (e.g. the server exited before its
 * answer) gets no 2xx, so Aircall would retry it and the dedupe would absorb it; more than the slack means
 * something else is in the queue, and the run is invalid. `unlogged`, when given, lists stored ids that no
 * "delivery queued" line names (to say which).
 */
export function withStored(logCheck, stored, what, unlogged = []) {
  const extra = stored - logCheck.queued;
  const ok = logCheck.ok && extra >= 0 && extra <= logCheck.slack;
  const which =
    unlogged.length > 0
      ? ` (${unlogged.length} stored ids not in the log, e.g. ${unlogged.slice(0, 3).join(', ')})`
      : '';
  const storedNote =
    extra === 0
      ? `${stored} ${what}`
      : extra < 0
        ? `only ${stored} ${what} for ${logCheck.queued} queued lines: ${-extra} acknowledged deliveries are not stored`
        : `${stored} ${what} for ${logCheck.queued} queued lines${which}${ok ? `; NOTE ${extra} stored but never acknowledged in the log` : ''}`;
  const { ids: _ids, ...rest } = logCheck;
  return { ...rest, ok, stored, summary: `${logCheck.summary}; ${storedNote}` };
}

/**
 * The check of a server without a log of its own (the hand-written and floor servers): it must hold one
 * stored delivery per answered request (autocannon's load and warm-up, and the first request, checked
 * before the load), plus at most the requests in flight when a load stopped (2 x connections).
 */
export function storedPerRequest(outcome, connections, stored, what) {
  const requests = outcome.total + outcome.warmupTotal + 1;
  const slack = 2 * connections;
  const ok = stored >= requests && stored <= requests + slack;
  return { ok, requests, slack, stored, summary: `${stored} ${what} for ${requests} requests` };
}

/** "delivery handled" lines (outcome handled) in worker logs, and lines of any other attempt outcome. */
export function countHandled(files) {
  let handled = 0;
  let otherAttempts = 0;
  const seen = new Set();
  /** @type {string[]} */
  const repeated = [];
  for (const file of files) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.includes('"attempt"')) continue;
      const entry = JSON.parse(line);
      if (entry.outcome === 'handled') {
        handled++;
        if (seen.has(entry.id)) repeated.push(`${entry.id} (attempt ${entry.attempt})`);
        seen.add(entry.id);
      } else otherAttempts++;
    }
  }
  return { handled, otherAttempts, repeated };
}
