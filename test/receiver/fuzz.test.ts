// Seeded mutation fuzz of real Aircall bodies against an independent oracle: the status each input must
// get is worked out here from first principles (UTF-8, JSON.parse, the token, ajv compiled on the bundled
// spec's resolved schemas), and the receiver must agree on every case, run no handler for anything not
// valid and authentic, and keep every quarantined body whole (any depth) without its token.
import { Buffer } from 'node:buffer';
import type { ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { readExamples } from '../support/examples.js';
import { BUNDLED_SPEC } from '../support/project.js';
import { ajvValidators, parseEvents, random } from '../validators/support.js';
import { TOKEN, recordingReceiver } from './support/harness.js';
import { prepareProject } from './support/project.js';
import type { QuarantineEntry } from './support/types.js';

const modules = await (await prepareProject()).load();
const examples = readExamples().map((example) => example.body);

const SEED = 0x5eed_10;
const CASES = 2_000;

let ajv: Map<string, ValidateFunction>;
beforeAll(async () => {
  ajv = ajvValidators(await parseEvents(BUNDLED_SPEC));
}, 60_000);

/** The status the receiver must give a body (quarantine policy, every event handled), worked out independently. */
function expectedStatus(raw: Buffer): number {
  if (raw.length === 0) return 400;
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let text: string;
  try {
    text = decoder.decode(raw);
  } catch {
    return 400;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 400;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 400;
  const record = body as Record<string, unknown>;
  if (!Object.hasOwn(record, 'token') || record['token'] !== TOKEN) return 401;
  if (!Object.hasOwn(record, 'event') || typeof record['event'] !== 'string') return 400;
  const validate = ajv.get(record['event']);
  if (validate === undefined) return 202; // unknown event: quarantined
  return validate(body) ? 200 : 202;
}

type Next = () => number;
const pick = <T>(next: Next, items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;

const LEAVES: unknown[] = [null, true, 0, -1, 1.5, 1e21, '', 'x', '2024-01-01T00:00:00Z', [], {}, { id: 1 }];
const EVENTS = ['call.created', 'call.ended', 'user.created', 'contact.created', 'call.beamed', '', 'CALL.CREATED'];

/** Every [parent, key] of a JSON tree, so a mutation can pick any place. */
function places(value: unknown, out: [Record<string | number, unknown>, string | number][] = []) {
  if (typeof value !== 'object' || value === null) return out;
  for (const key of Array.isArray(value) ? value.keys() : Object.keys(value)) {
    out.push([value as Record<string | number, unknown>, key]);
    places((value as Record<string | number, unknown>)[key], out);
  }
  return out;
}

/** A change to the parsed body (on a copy). */
const treeMutations: ((body: Record<string, unknown>, next: Next) => void)[] = [
  (body, next) => {
    const [parent, key] = pick(next, places(body));
    parent[key] = structuredClone(pick(next, LEAVES));
  },
  (body, next) => {
    const [parent, key] = pick(next, places(body));
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  },
  (body, next) => {
    body['event'] = pick(next, EVENTS);
  },
  (body, next) => {
    body['token'] = pick(next, [TOKEN.toUpperCase(), TOKEN.slice(1), `${TOKEN} `, 42, null, '']);
  },
  (body) => {
    delete body['token'];
  },
  (body, next) => {
    const [parent, key] = pick(next, places(body));
    parent[key] = { ...(parent[key] as object), extra: 'x' };
  },
];

/** A change to the text on the wire. */
const textMutations: ((text: string, next: Next) => string | Buffer)[] = [
  (text, next) => text.slice(0, Math.floor(next() * text.length)),
  (text, next) => {
    const at = Math.floor(next() * text.length);
    return text.slice(0, at) + pick(next, ['"', '{', ']', ',', '\\', ' ', '\u0000', 'é']) + text.slice(at + 1);
  },
  (text, next) => {
    const bytes = Buffer.from(text);
    bytes[Math.floor(next() * bytes.length)] = pick(next, [0xff, 0xc3, 0x80, 0xed]);
    return bytes;
  },
  // Nesting far deeper than JSON.stringify can write back: kept whole when quarantined.
  (text, next) => {
    const depth = 4_000 + Math.floor(next() * 6_000);
    return text.replace('{', `{"deep":${'['.repeat(depth)}${']'.repeat(depth)},`);
  },
  (text) => text.replace(`"token":"${TOKEN}"`, `"token":"wrong","token":"${TOKEN}"`),
  (text) => text.replace(`"token":"${TOKEN}"`, `"\\u0074oken":"${TOKEN}"`),
  (text) => `\ufeff${text}`,
  (text) => `[${text}]`,
];

/** One fuzz input: a real body with its token, changed one to three times. */
function fuzzCase(next: Next): Buffer {
  const body = structuredClone(pick(next, examples));
  body['token'] = TOKEN;
  const changes = 1 + Math.floor(next() * 3);
  let text: string | Buffer | undefined;
  // Tree changes first (while there is a tree), then changes to the text; bytes are changed no further.
  for (let i = 0; i < changes; i++) {
    if (next() < 0.6 && text === undefined) pick(next, treeMutations)(body, next);
    else {
      const current = text ?? JSON.stringify(body);
      text = typeof current === 'string' ? pick(next, textMutations)(current, next) : current;
    }
  }
  return Buffer.from(text ?? JSON.stringify(body));
}

/** The body text a quarantine entry gives back with the token put in again. */
function restored(entry: QuarantineEntry): string {
  let text = entry.bodyText;
  for (const at of [...entry.tokenAt].reverse()) text = `${text.slice(0, at)}"${TOKEN}"${text.slice(at + 12)}`;
  return text;
}

describe('seeded mutation fuzz of real bodies against an independent oracle', () => {
  it(`answers ${CASES} mutated deliveries as the oracle says, handling only valid authentic ones`, async () => {
    const next = random(SEED);
    const { receiver, recorder } = recordingReceiver(modules);
    const tally = new Map<number, number>();
    const mismatches: string[] = [];
    for (let n = 0; n < CASES; n++) {
      const raw = fuzzCase(next);
      const expected = expectedStatus(raw);
      const calls = recorder.calls.length;
      const kept = recorder.quarantined.length;
      const { status } = await receiver.handle(raw);
      tally.set(expected, (tally.get(expected) ?? 0) + 1);
      if (status !== expected)
        mismatches.push(`case ${n}: ${status}, expected ${expected}: ${raw.toString().slice(0, 200)}`);
      // Exactly the valid authentic ones reach a handler; exactly the 202s reach the quarantine.
      expect(recorder.calls.length - calls).toBe(status === 200 ? 1 : 0);
      expect(recorder.quarantined.length - kept).toBe(status === 202 ? 1 : 0);
      const entry = recorder.quarantined[kept];
      if (entry !== undefined) {
        expect(entry.bodyText).not.toContain(TOKEN);
        // With one token member, putting the token back gives the delivery exactly as it came.
        if (entry.tokenAt.length === 1) expect(restored(entry)).toBe(raw.toString('utf8'));
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    // The fuzz reaches every outcome, in numbers that mean something.
    for (const status of [200, 202, 400, 401]) expect(tally.get(status) ?? 0).toBeGreaterThan(CASES / 50);
    console.info(`[fuzz] ${CASES} cases agreed with the oracle: ${JSON.stringify(Object.fromEntries(tally))}`);
  }, 60_000);
});
