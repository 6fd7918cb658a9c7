// The quarantine file: JSON lines that `aircall-gen replay` can re-deliver, and never a token.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TOKEN, recordingReceiver, withToken } from './support/harness.js';
import { prepareProject } from './support/project.js';
import type { QuarantineEntry } from './support/types.js';

const modules = await (await prepareProject()).load();
const mod = modules.receiver;
const callCreated = Object.values(modules.fixtures).find((body) => body['event'] === 'call.created')!;
const dir = await mkdtemp(join(tmpdir(), 'aircall-quarantine-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const readLines = async (path: string) =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as QuarantineEntry & { note?: string });

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
    expect(Object.keys(first ?? {})).toEqual(['v', 'receivedAt', 'reason', 'event', 'issues', 'body']);
    expect(first).toMatchObject({ v: 1, reason: 'invalid', event: 'call.created' });
    expect(Date.parse(first?.receivedAt ?? '')).toBeGreaterThanOrEqual(before - 1_000);
    expect(first?.receivedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(first?.issues).toEqual([{ path: '/timestamp', message: 'must be integer' }]);
    expect(first?.body).toEqual({ ...invalid, token: '[redacted]' });
    expect(Object.keys(first?.body ?? {})).toEqual(Object.keys(invalid)); // key order kept
    expect(second).toMatchObject({ v: 1, reason: 'unknown-event', event: 'call.beamed', issues: [] });
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
    expect(lines.every((line) => line.body['token'] === '[redacted]')).toBe(true);
  });

  it('stores a body too deep to serialize as null with a note, instead of failing', async () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)) as unknown;
    const entry = mod.createQuarantineEntry(
      'invalid',
      'call.created',
      [{ path: '/data', message: 'must be object' }],
      { token: TOKEN, data: deep },
      0,
    );
    const line = JSON.parse(mod.serializeEntry(entry)) as QuarantineEntry & { note: string };
    expect(line.body).toBeNull();
    expect(line.note).toMatch(/could not be serialized/);
    expect(line.receivedAt).toBe('1970-01-01T00:00:00.000Z');
  });

  it('caps the issues kept per entry', () => {
    const issues = Array.from({ length: 500 }, (_, i) => ({ path: `/data/${i}`, message: 'bad' }));
    expect(mod.createQuarantineEntry('invalid', 'call.created', issues, {}, 0).issues).toHaveLength(100);
  });

  it('rejects the write (so the delivery gets 500 and is retried) when the file cannot be opened', async () => {
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
    const response = await receiver.handle(JSON.stringify({ ...line?.body, token: TOKEN }));
    expect(response.status).toBe(200);
    expect(recorder.calls.map((c) => c.event)).toEqual([{ ...callCreated, token: TOKEN }]);
  });
});
