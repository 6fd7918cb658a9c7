// The quarantine file: JSON lines that `aircall-gen replay` can re-deliver, and never a token.
import { existsSync } from 'node:fs';
import { mkdtemp, open, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { TOKEN, recordingReceiver, withToken } from './support/harness.js';
import { prepareProject } from './support/project.js';
import type { QuarantineLine } from './support/types.js';

const modules = await (await prepareProject()).load();
const mod = modules.receiver;
const callCreated = Object.values(modules.fixtures).find((body) => body['event'] === 'call.created')!;
const dir = await mkdtemp(join(tmpdir(), 'aircall-quarantine-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const readLines = async (path: string) =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as QuarantineLine);

/** The body a line gives back, token redacted. */
const bodyOf = (line: QuarantineLine | undefined) => JSON.parse(line?.bodyText ?? 'null') as Record<string, unknown>;

/** What replay sends for a line: its body text with `token` put back where the line says. */
function withTokenPutBack(line: QuarantineLine, token: string): string {
  let text = line.bodyText;
  for (const at of [...line.tokenAt].reverse()) {
    expect(text.slice(at, at + '"[redacted]"'.length)).toBe('"[redacted]"');
    text = text.slice(0, at) + JSON.stringify(token) + text.slice(at + '"[redacted]"'.length);
  }
  return text;
}

/** JSON text nested `depth` arrays deep: more than JSON.stringify can write back. */
const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('file quarantine', () => {
  it('is written by a receiver given a path: one line per delivery, token redacted, file created on first use', async () => {
    const path = join(dir, 'nested/folder/q.jsonl');
    const { receiver } = recordingReceiver(modules, { quarantine: path });
    expect((await receiver.handle(withToken(callCreated))).status).toBe(200);
    expect(existsSync(path)).toBe(false);

    const invalid = { ...callCreated, token: TOKEN, timestamp: 'later' };
    const before = Date.now();
    expect((await receiver.handle(JSON.stringify(invalid))).status).toBe(202);
    expect((await receiver.handle(JSON.stringify({ ...callCreated, token: TOKEN, event: 'call.beamed' }))).status).toBe(
      202,
    );
    await receiver.close();

    const text = await readFile(path, 'utf8');
    expect(text).not.toContain(TOKEN);
    expect(text.endsWith('\n')).toBe(true);
    const [first, second, ...rest] = await readLines(path);
    expect(rest).toEqual([]);
    expect(Object.keys(first ?? {})).toEqual(['v', 'receivedAt', 'reason', 'event', 'issues', 'bodyText', 'tokenAt']);
    expect(first).toMatchObject({ v: 2, reason: 'invalid', event: 'call.created' });
    expect(Date.parse(first?.receivedAt ?? '')).toBeGreaterThanOrEqual(before - 1_000);
    expect(first?.receivedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(first?.issues).toEqual([{ path: '/timestamp', message: 'must be integer' }]);
    // The text as sent, byte for byte, but for the token.
    expect(first?.bodyText).toBe(JSON.stringify(invalid).replace(`"${TOKEN}"`, '"[redacted]"'));
    expect(bodyOf(first)).toEqual({ ...invalid, token: '[redacted]' });
    expect(second).toMatchObject({ v: 2, reason: 'unknown-event', event: 'call.beamed', issues: [] });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('keeps every line whole and in order under concurrent writes, and reopens after close', async () => {
    const path = join(dir, 'concurrent.jsonl');
    const sink = mod.createFileQuarantine(path);
    const big = { ...callCreated, token: TOKEN, padding: 'x'.repeat(100_000) };
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        sink.write(mod.createQuarantineEntry('invalid', `e${i}`, null, big, Date.now())),
      ),
    );
    await sink.close();
    await sink.write(mod.createQuarantineEntry('unknown-event', 'after-close', null, { token: TOKEN }, Date.now()));
    await sink.close();
    const lines = await readLines(path);
    expect(lines.map((line) => line.event)).toEqual([...Array.from({ length: 40 }, (_, i) => `e${i}`), 'after-close']);
    expect(lines.every((line) => bodyOf(line)['token'] === '[redacted]')).toBe(true);
  });

  it('keeps a body nested too deep for JSON.stringify, exactly as received (invalid and unknown events)', async () => {
    const path = join(dir, 'deep.jsonl');
    const { receiver } = recordingReceiver(modules, { quarantine: path });
    const invalid = `{"event":"call.created","token":"${TOKEN}","data":${deepArray(100_000)},"timestamp":1}`;
    const unknown = `{"token":"${TOKEN}", "event":"call.beamed", "data":{"x":${deepArray(50_000)}}}`;
    expect((await receiver.handle(invalid)).status).toBe(202);
    expect((await receiver.handle(unknown)).status).toBe(202);
    await receiver.close();
    const lines = await readLines(path);
    expect(lines.map((line) => [line.reason, line.event])).toEqual([
      ['invalid', 'call.created'],
      ['unknown-event', 'call.beamed'],
    ]);
    expect(lines.map((line) => withTokenPutBack(line, TOKEN))).toEqual([invalid, unknown]);
    expect(await readFile(path, 'utf8')).not.toContain(TOKEN);
  });

  it('refuses to build an entry from a body too deep to serialize when not given its text', () => {
    const deep = JSON.parse(deepArray(100_000)) as unknown;
    expect(() => mod.createQuarantineEntry('invalid', 'call.created', null, { token: TOKEN, data: deep }, 0)).toThrow(
      RangeError,
    );
  });

  it('caps the issues kept per entry', () => {
    const issues = Array.from({ length: 500 }, (_, i) => ({ path: `/data/${i}`, message: 'bad' }));
    expect(mod.createQuarantineEntry('invalid', 'call.created', issues, {}, 0).issues).toHaveLength(100);
  });

  it('rejects the write (so the delivery gets 503 and is retried) when the file cannot be opened', async () => {
    const sink = mod.createFileQuarantine(dir); // a directory
    await expect(sink.write(mod.createQuarantineEntry('invalid', 'x', null, {}, 0))).rejects.toThrow();
    await sink.close();
  });

  it('holds what replay needs: re-inserting a token re-delivers the same event', async () => {
    const path = join(dir, 'replay.jsonl');
    const sink = mod.createFileQuarantine(path);
    // As if the spec had been behind: a delivery quarantined earlier, now valid.
    await sink.write(
      mod.createQuarantineEntry(
        'invalid',
        'call.created',
        [{ path: '/x', message: 'old' }],
        { ...callCreated, token: TOKEN },
        0,
      ),
    );
    await sink.close();
    const [line] = await readLines(path);
    const { receiver, recorder } = recordingReceiver(modules);
    const response = await receiver.handle(withTokenPutBack(line!, TOKEN));
    expect(response.status).toBe(200);
    expect(recorder.calls.map((c) => c.event)).toEqual([{ ...callCreated, token: TOKEN }]);
  });
});

describe('redactJsonText', () => {
  const redact = (text: string, secrets: string[] = [TOKEN]) => mod.redactJsonText(text, secrets);
  const put = (text: string) => ({ text, tokenAt: [...text.matchAll(/"\[redacted\]"/g)].map((m) => m.index) });

  it('replaces only the top-level token value, keeping every other byte (spacing, number spelling)', () => {
    const text = `{ "n" : 1.0e2 ,\n "token" : "${TOKEN}", "data": {"token": "someone else's"} }`;
    expect(redact(text)).toEqual(
      put(`{ "n" : 1.0e2 ,\n "token" : "[redacted]", "data": {"token": "someone else's"} }`),
    );
  });

  it('finds the member under an escaped name or value, and redacts every duplicate (JSON.parse keeps the last)', () => {
    const escapedValue = JSON.stringify(TOKEN).replace('5', '\\u0035');
    const text = `{"\\u0074oken":${escapedValue},"event":"x","token":"${TOKEN}"}`;
    expect(JSON.parse(text)).toMatchObject({ token: TOKEN });
    expect(redact(text)).toEqual(put('{"\\u0074oken":"[redacted]","event":"x","token":"[redacted]"}'));
  });

  it('is not fooled by quotes and member-like text inside strings', () => {
    const text = `{"s":"\\"token\\":\\"zz\\" \\\\","token":"${TOKEN}"}`;
    expect(JSON.parse(text)).toEqual({ s: '"token":"zz" \\', token: TOKEN });
    expect(redact(text)).toEqual(put(`{"s":"\\"token\\":\\"zz\\" \\\\","token":"[redacted]"}`));
  });

  it('scrubs a secret from any other string, name or value, however it is spelled', () => {
    const escaped = JSON.stringify(TOKEN).replace('f', '\\u0066');
    const text = `{"token":"${TOKEN}","data":{"note":"was ${TOKEN}!","copy":${escaped},"${TOKEN}":1,"list":["${TOKEN}"]}}`;
    const { text: redacted, tokenAt } = redact(text);
    expect(tokenAt).toEqual([9]);
    expect(JSON.parse(redacted)).toEqual({
      token: '[redacted]',
      data: { note: 'was [redacted]!', copy: '[redacted]', '[redacted]': 1, list: ['[redacted]'] },
    });
  });

  it('redacts a token that needs escaping in JSON', () => {
    const token = 'a"b\\c\u2028';
    const text = JSON.stringify({ token, event: 'x', note: `${token}${token}` });
    const { text: redacted } = redact(text, [token]);
    expect(JSON.parse(redacted)).toEqual({ token: '[redacted]', event: 'x', note: '[redacted][redacted]' });
  });

  it('walks any depth without recursion, and returns the same string when there is nothing to redact', () => {
    const text = `{"a":${deepArray(200_000)}}`;
    expect(redact(text).text).toBe(text);
    expect(redact(`{"a":${deepArray(200_000)},"token":"t"}`, []).tokenAt).toEqual([200_000 * 2 + 14]);
  });
});

// FileHandle is not exported: its prototype is reached through a handle.
const probe = await open(join(dir, 'probe'), 'w');
const fileHandleProto = Object.getPrototypeOf(probe) as { datasync(): Promise<void> };
await probe.close();

describe('file quarantine durability', () => {
  afterEach(() => vi.restoreAllMocks());
  const entry = (event: string) => mod.createQuarantineEntry('invalid', event, null, { token: TOKEN, event }, 0);

  it('resolves a write only after its line is fdatasync-ed', async () => {
    const path = join(dir, 'durable.jsonl');
    let release: () => void = () => undefined;
    const sync = vi.spyOn(fileHandleProto, 'datasync').mockImplementation(function (this: unknown) {
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    const sink = mod.createFileQuarantine(path);
    let written = false;
    const write = sink.write(entry('a')).then(() => {
      written = true;
    });
    await vi.waitFor(() => expect(sync).toHaveBeenCalledTimes(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(written).toBe(false);
    release();
    await write;
    expect(written).toBe(true);
    await sink.close();
  });

  it('groups concurrent entries into few writes and syncs (group commit), in order', async () => {
    const path = join(dir, 'grouped.jsonl');
    const sync = vi.spyOn(fileHandleProto, 'datasync');
    const sink = mod.createFileQuarantine(path);
    await Promise.all(Array.from({ length: 200 }, (_, i) => sink.write(entry(`e${i}`))));
    await sink.close();
    expect(sync.mock.calls.length).toBeGreaterThanOrEqual(1);
    expect(sync.mock.calls.length).toBeLessThanOrEqual(3);
    expect((await readLines(path)).map((line) => line.event)).toEqual(Array.from({ length: 200 }, (_, i) => `e${i}`));
  });

  it('answers 503 (not acknowledged, Aircall retries) when the quarantine file cannot be written', async () => {
    const blocker = join(dir, 'not-a-folder');
    await writeFile(blocker, '');
    const { receiver, recorder } = recordingReceiver(modules, { quarantine: join(blocker, 'q.jsonl') });
    const response = await receiver.handle(JSON.stringify({ ...callCreated, token: TOKEN, timestamp: 'later' }));
    expect(response.status).toBe(503);
    expect(recorder.errors.map((e) => e.phase)).toEqual(['quarantine']);
    await receiver.close();
  });

  it('answers 503 when the sync fails, and the next group still lands on a line of its own', async () => {
    const path = join(dir, 'sync-fails.jsonl');
    const { receiver } = recordingReceiver(modules, { quarantine: path });
    const invalid = (n: number) => JSON.stringify({ ...callCreated, token: TOKEN, timestamp: `t${n}` });
    vi.spyOn(fileHandleProto, 'datasync').mockRejectedValueOnce(Object.assign(new Error('EIO'), { code: 'EIO' }));
    expect((await receiver.handle(invalid(1))).status).toBe(503);
    expect((await receiver.handle(invalid(2))).status).toBe(202);
    await receiver.close();
    const lines = await readLines(path);
    expect(lines.map((line) => bodyOf(line)['timestamp'])).toEqual(['t1', 't2']);
  });
});

describe('file quarantine rotation', () => {
  const invalid = (n: number) => JSON.stringify({ ...callCreated, token: TOKEN, timestamp: `t${n}` });

  it('opens the file again when it was deleted while the receiver runs', async () => {
    const path = join(dir, 'deleted/q.jsonl');
    const { receiver } = recordingReceiver(modules, { quarantine: path });
    expect((await receiver.handle(invalid(1))).status).toBe(202);
    await rm(join(dir, 'deleted'), { recursive: true });
    expect((await receiver.handle(invalid(2))).status).toBe(202);
    expect((await readLines(path)).map((line) => bodyOf(line)['timestamp'])).toEqual(['t2']);
    await unlink(path);
    expect((await receiver.handle(invalid(3))).status).toBe(202);
    expect((await readLines(path)).map((line) => bodyOf(line)['timestamp'])).toEqual(['t3']);
    await receiver.close();
  });

  it('after a rename (rotation), writes to a new file at the path; the renamed one keeps what it had', async () => {
    const path = join(dir, 'rotated.jsonl');
    const { receiver } = recordingReceiver(modules, { quarantine: path });
    expect((await receiver.handle(invalid(1))).status).toBe(202);
    await rename(path, `${path}.1`);
    expect((await receiver.handle(invalid(2))).status).toBe(202);
    await receiver.close();
    expect((await readLines(`${path}.1`)).map((line) => bodyOf(line)['timestamp'])).toEqual(['t1']);
    expect((await readLines(path)).map((line) => bodyOf(line)['timestamp'])).toEqual(['t2']);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });
});
