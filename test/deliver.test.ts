import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareProject } from './receiver/support/project.js';
import { cli } from './support/cli.js';
import { EXAMPLES_DIR } from './support/examples.js';
import { ROOT, tempDir } from './support/project.js';

/** `aircall-gen send` and `replay` against the real generated receiver, run as users run it. */
const TOKEN = 'deliver-test-token-0123456789abcdef';
const children: ChildProcess[] = [];
let serverJs: string;
let work: string;

async function startReceiver(env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, [serverJs], {
    cwd: work,
    env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '127.0.0.1', AIRCALL_WEBHOOK_TOKEN: TOKEN, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let stdout = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const match = /"address":"(http:\/\/[^"]+)"/.exec(stdout);
      if (match) resolve(`${match[1]}/aircall/webhook`);
    });
    child.once('exit', (code) => reject(new Error(`receiver exited with ${code}`)));
  });
}

beforeAll(async () => {
  serverJs = join((await prepareProject()).dir, 'server.js');
  work = await tempDir('deliver');
});
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

describe('aircall-gen send', () => {
  it('posts one fixture, every fixture with --all, or a file, and reports what the receiver did; exit 1 unless handled', async () => {
    const url = await startReceiver({});
    const fixtures = ['--out', join(ROOT, 'generated')];

    const one = await cli(['send', 'call.created', '--url', url, '--token', TOKEN, ...fixtures]);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^200 call\.created: handled \(\d+ ms\) \{"ok":true\}$/);
    expect(one.stderr).toBe('aircall-gen: sent 1: 1 handled');

    const all = await cli(['send', '--all', '--url', url, '--token', TOKEN, ...fixtures]);
    expect(all.code).toBe(0);
    expect(all.stdout.split('\n')).toHaveLength(69);
    expect(all.stdout.split('\n').every((line) => /^200 \S+: handled /.test(line))).toBe(true);
    expect(all.stderr).toBe('aircall-gen: sent 69: 69 handled');

    const file = join(work, 'body.json');
    await writeFile(file, await readFile(join(EXAMPLES_DIR, 'call.tagged.json'), 'utf8'));
    expect((await cli(['send', file, '--url', url, '--token', TOKEN])).stdout).toMatch(/^200 call\.tagged: handled /);

    const wrong = await cli(['send', 'call.created', '--url', url, '--token', 'not-the-token', ...fixtures]);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/^401 call\.created: rejected .*\{"error":"invalid token"\}$/);
    expect(wrong.stderr).toBe('aircall-gen: sent 1: 1 rejected');

    // A 202 is an acknowledgement, not a handled event: an event the spec does not know is reported as such.
    const stranger = join(work, 'stranger.json');
    await writeFile(stranger, JSON.stringify({ event: 'call.nope', resource: 'call', timestamp: 1, data: {} }));
    const unknown = await cli(['send', stranger, '--url', url, '--token', TOKEN]);
    expect(unknown.stdout).toMatch(/^202 call\.nope: unknown /);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('aircall-gen: sent 1: 1 unknown');
  });

  it('explains what is missing', async () => {
    expect((await cli(['send', 'call.created'])).stderr).toMatch(/No token to send\.\n {2}fix: Pass --token/);
    const unknown = await cli(['send', 'call.nope', '--token', TOKEN, '--out', join(ROOT, 'generated')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/No fixture for 'call\.nope'/);
    const down = await cli([
      'send',
      'call.created',
      '--token',
      TOKEN,
      '--url',
      'http://127.0.0.1:9/aircall/webhook',
      '--out',
      join(ROOT, 'generated'),
    ]);
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/Could not reach http:\/\/127\.0\.0\.1:9\/aircall\/webhook/);
    const notJson = join(work, 'not-json.json');
    await writeFile(notJson, '{"event": "call.created",');
    const broken = await cli(['send', notJson, '--token', TOKEN, '--url', 'http://127.0.0.1:9/aircall/webhook']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^aircall-gen: error: Not valid JSON\.\n {2}at .*not-json\.json/);
  });
});

describe('aircall-gen replay', () => {
  it('re-delivers quarantined events once the receiver accepts them', async () => {
    const quarantine = join(work, 'quarantine.jsonl');
    const strictUrl = await startReceiver({ AIRCALL_QUARANTINE_FILE: quarantine });
    // A delivery the spec does not describe (id as a string) is acknowledged and quarantined.
    const body = JSON.parse(await readFile(join(ROOT, 'generated/fixtures/call.created.json'), 'utf8'));
    const invalid = join(work, 'invalid.json');
    await writeFile(invalid, JSON.stringify({ ...body, data: { ...body.data, id: 'not-a-number' } }));
    const sent = await cli(['send', invalid, '--url', strictUrl, '--token', TOKEN]);
    expect(sent.stdout).toMatch(/^202 call\.created: quarantined .*"outcome":"quarantined"/);
    expect(sent.code).toBe(1);
    expect(sent.stderr).toContain(
      'aircall-gen: sent 1: 1 quarantined\naircall-gen: not every delivery reached a handler',
    );
    const lines = (await readFile(quarantine, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(TOKEN);

    // After "fixing the spec" (here: a receiver that lets the shape through), replay delivers it.
    const fixedUrl = await startReceiver({
      AIRCALL_VALIDATION: 'passthrough',
      AIRCALL_QUARANTINE_FILE: join(work, 'other.jsonl'),
    });
    const replayed = await cli(['replay', quarantine, '--url', fixedUrl, '--token', TOKEN]);
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toMatch(/^200 .*quarantine\.jsonl:1 call\.created: handled \(\d+ ms\) \{"ok":true\}$/);
    expect(replayed.stderr).toBe('aircall-gen: replayed 1: 1 handled');
  });

  it('skips and reports the lines it cannot use, delivers the rest, and exits 1', async () => {
    const url = await startReceiver({
      AIRCALL_VALIDATION: 'passthrough',
      AIRCALL_QUARANTINE_FILE: join(work, 'skips-other.jsonl'),
    });
    const deepText = `{"token":"[redacted]","event":"call.created","data":${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
    const file = join(work, 'mixed.jsonl');
    const lines = [
      JSON.stringify({ v: 1, event: 'call.beamed', body: { event: 'call.beamed', token: '[redacted]' } }),
      JSON.stringify({ v: 1, event: 'call.created', body: null, note: 'body could not be serialized: too deep' }),
      'not json',
      '',
      JSON.stringify({ v: 2, event: 'call.created', bodyText: deepText, tokenAt: [9] }),
      JSON.stringify({ v: 2, event: 'call.created', bodyText: '{"token":"edited"}', tokenAt: [9] }),
    ];
    await writeFile(file, `${lines.join('\n')}\n`);
    const result = await cli(['replay', file, '--token', TOKEN, '--url', url]);
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')).toEqual([
      expect.stringMatching(/^202 .*mixed\.jsonl:1 call\.beamed: unknown .*"outcome":"unknown"/),
      expect.stringMatching(/^200 .*mixed\.jsonl:5 call\.created: handled .*\{"ok":true\}$/),
    ]);
    expect(result.stderr.split('\n')).toEqual([
      expect.stringMatching(/skipped .*mixed\.jsonl:2: the line holds no body to send: body could not be serialized/),
      expect.stringMatching(/skipped .*mixed\.jsonl:3: not a quarantine record \(invalid JSON\)$/),
      expect.stringMatching(/skipped .*mixed\.jsonl:6: no redacted token at offset 9/),
      'aircall-gen: replayed 2: 1 handled, 1 unknown, 3 skipped (still in the file)',
      expect.stringMatching(/^aircall-gen: not every delivery reached a handler/),
    ]);
  });
});
