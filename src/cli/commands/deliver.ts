import { readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { loadConfig } from '../../config/config.js';
import { findOutputDir } from '../find-output.js';
import { UserError } from '../../errors.js';
import { EXIT_NOT_ACCEPTED } from '../exit-codes.js';
import { windowsSafeFileName } from '../../model/names.js';
import type { Io } from '../io.js';
import { outcomeCounts, outcomeOf, type Outcome } from '../outcome.js';
import { replayRecord } from './replay-record.js';

export interface DeliverFlags {
  url?: string;
  token?: string;
  out?: string;
  config?: string;
  all?: boolean;
  json?: boolean;
}

const DEFAULT_URL = 'http://localhost:3000/aircall/webhook';

function tokenFrom(flags: DeliverFlags): string {
  const token = flags.token ?? process.env['AIRCALL_WEBHOOK_TOKEN']?.split(',')[0]?.trim();
  if (!token) {
    throw new UserError('No token to send.', {
      hint: 'Pass --token, or set AIRCALL_WEBHOOK_TOKEN as for the receiver.',
    });
  }
  return token;
}

function parseJson(text: string, source: string, message = 'Not valid JSON.'): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new UserError(message, { location: source, cause });
  }
}

function asBody(value: unknown, source: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UserError('A webhook body must be a JSON object.', { location: source });
  }
  return value as Record<string, unknown>;
}

/** Posts a body's JSON text (token included) and reads the answer. */
async function post(url: string, body: string) {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'aircall-gen' },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    const answer = await response.text();
    return { status: response.status, text: answer.slice(0, 200), ms: performance.now() - started };
  } catch (cause) {
    throw new UserError(`Could not reach ${url}: ${(cause as Error).message}`, {
      hint: 'Start your receiver first (the compiled server.js of the generated folder, as its README.md shows, or your app that mounts it), or pass --url with the address it listens on.',
      cause,
    });
  }
}

async function fixturesDir(flags: DeliverFlags): Promise<string> {
  const config = await loadConfig(flags.config);
  return join(await findOutputDir(flags.out ?? config.out), 'fixtures');
}

function line(status: number, label: string, outcome: Outcome, ms: number, text: string): string {
  return `${status} ${label}: ${outcome} (${Math.round(ms)} ms) ${text}`;
}

/** Posts each body (JSON text, token included) in turn, printing one line per answer; returns every outcome. */
async function deliverAll(deliveries: { label: string; text: string }[], url: string, io: Io): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const { label, text } of deliveries) {
    const result = await post(url, text);
    const outcome = outcomeOf(result.status, result.text);
    outcomes.push(outcome);
    io.out(line(result.status, label, outcome, result.ms, result.text));
  }
  return outcomes;
}

const notHandledHint =
  'aircall-gen: not every delivery reached a handler: quarantined ones failed validation (see the quarantine file), unknown ones name no event in the spec.';

function finish(summary: string, outcomes: Outcome[], io: Io, skipped = 0): number {
  io.err(summary);
  const failed = skipped > 0 || outcomes.some((outcome) => outcome !== 'handled');
  if (failed && outcomes.some((outcome) => outcome === 'quarantined' || outcome === 'unknown')) io.err(notHandledHint);
  return failed ? EXIT_NOT_ACCEPTED : 0;
}

/** `aircall-gen send <event|file>` / `--all`: posts fixtures (or a file) to a running receiver, like `stripe trigger`. */
export async function sendCommand(target: string | undefined, flags: DeliverFlags, io: Io): Promise<number> {
  const token = tokenFrom(flags);
  const url = flags.url ?? DEFAULT_URL;
  const dir = await fixturesDir(flags);
  let files: string[];
  if (flags.all) {
    if (!existsSync(dir))
      throw new UserError('No fixtures found.', {
        location: dir,
        hint: 'Run `npx aircall-gen` first, or pass --out with the folder you generated.',
      });
    files = (await readdir(dir))
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => join(dir, f));
  } else if (target === undefined) {
    throw new UserError('Name an event (e.g. call.created) or a JSON file, or pass --all.');
  } else if (existsSync(target)) {
    files = [resolve(target)];
  } else {
    const fixture = join(dir, windowsSafeFileName(`${basename(target)}.json`));
    if (!existsSync(fixture))
      throw new UserError(`No fixture for '${target}'.`, {
        location: fixture,
        hint: 'Run `aircall-gen list` for the event names.',
      });
    files = [fixture];
  }
  const deliveries = [];
  for (const file of files) {
    const body = asBody(parseJson(await readFile(file, 'utf8'), file), file);
    deliveries.push({ label: String(body['event'] ?? basename(file)), text: JSON.stringify({ ...body, token }) });
  }
  const outcomes = await deliverAll(deliveries, url, io);
  return finish(`aircall-gen: sent ${outcomes.length}: ${outcomeCounts(outcomes)}`, outcomes, io);
}

/**
 * `aircall-gen replay <file>`: re-delivers quarantined events (JSON lines) once the spec or handlers are
 * fixed. A line that cannot be sent (corrupt, edited, or an old line whose body was never stored) is
 * reported and skipped; the others are still delivered. Exit 1 when any line was skipped or answered
 * other than 2xx: those need a look, and the file still holds them.
 */
export async function replayCommand(file: string, flags: DeliverFlags, io: Io): Promise<number> {
  const token = tokenFrom(flags);
  const url = flags.url ?? DEFAULT_URL;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new UserError('The quarantine file cannot be read.', { location: file, cause });
  }
  const deliveries: { label: string; text: string }[] = [];
  let skipped = 0;
  for (const [index, raw] of text.split('\n').entries()) {
    if (raw.trim() === '') continue;
    const where = `${file}:${index + 1}`;
    const record = replayRecord(raw, token);
    if ('skip' in record) {
      skipped++;
      io.err(`aircall-gen: skipped ${where}: ${record.skip}`);
      continue;
    }
    deliveries.push({ label: `${where} ${record.event}`, text: record.text });
  }
  const outcomes = await deliverAll(deliveries, url, io);
  const skippedNote = skipped > 0 ? `, ${skipped} skipped (still in the file)` : '';
  return finish(
    `aircall-gen: replayed ${outcomes.length}: ${outcomeCounts(outcomes)}${skippedNote}`,
    outcomes,
    io,
    skipped,
  );
}
