import { describe, expect, it } from 'vitest';
import { replayRecord } from '../../src/cli/commands/replay-record.js';

const TOKEN = 'tok-0123456789abcdef';
const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('replayRecord', () => {
  it('puts the token back into a v2 line at every recorded offset, leaving every other byte as it was', () => {
    const bodyText = '{"token":"[redacted]", "event":"call.created","n":1.50,"token":"[redacted]"}';
    const line = JSON.stringify({
      v: 2,
      event: 'call.created',
      bodyText,
      tokenAt: [bodyText.lastIndexOf('"[redacted]"'), 9],
    });
    expect(replayRecord(line, TOKEN)).toEqual({
      event: 'call.created',
      text: `{"token":"${TOKEN}", "event":"call.created","n":1.50,"token":"${TOKEN}"}`,
    });
  });

  it('writes a token that needs escaping as a JSON string', () => {
    const line = JSON.stringify({ v: 2, event: 'x', bodyText: '{"token":"[redacted]"}', tokenAt: [9] });
    const record = replayRecord(line, 'a"b\\c');
    expect('text' in record && JSON.parse(record.text)).toEqual({ token: 'a"b\\c' });
  });

  it('gives back a body of any depth (no re-serialization)', () => {
    const bodyText = `{"token":"[redacted]","event":"x","data":${deep(100_000)}}`;
    const record = replayRecord(JSON.stringify({ v: 2, event: 'x', bodyText, tokenAt: [9] }), TOKEN);
    expect('text' in record && record.text).toBe(bodyText.replace('"[redacted]"', JSON.stringify(TOKEN)));
  });

  it.each([
    [
      'an edited v2 line',
      { v: 2, event: 'x', bodyText: '{"token":"changed"}', tokenAt: [9] },
      /no redacted token at offset 9/,
    ],
    ['an offset past the end', { v: 2, event: 'x', bodyText: '{"token":"[redacted]"}', tokenAt: [400] }, /offset 400/],
    ['no offsets', { v: 2, event: 'x', bodyText: '{}', tokenAt: [] }, /tokenAt/],
    [
      'a v1 line whose body was lost',
      { v: 1, event: 'x', body: null, note: 'body could not be serialized' },
      /no body to send: body could not be serialized/,
    ],
    ['a v1 body that is not an object', { v: 1, body: [1] }, /no body to send/],
  ])('skips %s, saying why', (_, record, why) => {
    const result = replayRecord(JSON.stringify(record), TOKEN);
    expect('skip' in result && result.skip).toMatch(why);
  });

  it('skips a line that is not JSON, or not an object', () => {
    expect(replayRecord('not json', TOKEN)).toEqual({ skip: 'not a quarantine record (invalid JSON)' });
    expect(replayRecord('[]', TOKEN)).toEqual({ skip: 'not a quarantine record (not a JSON object)' });
  });

  it('re-serializes a v1 line with the token, and skips one too deep to serialize', () => {
    const v1 = { v: 1, event: 'call.created', body: { event: 'call.created', token: '[redacted]', data: { id: 1 } } };
    expect(replayRecord(JSON.stringify(v1), TOKEN)).toEqual({
      event: 'call.created',
      text: JSON.stringify({ event: 'call.created', token: TOKEN, data: { id: 1 } }),
    });
    const tooDeep = `{"v":1,"event":"x","body":{"token":"[redacted]","data":${deep(100_000)}}}`;
    const result = replayRecord(tooDeep, TOKEN);
    expect('skip' in result && result.skip).toMatch(/cannot be serialized \(Maximum call stack size exceeded\)/);
  });
});
