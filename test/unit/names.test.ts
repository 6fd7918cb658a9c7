import { describe, expect, it } from 'vitest';
import {
  commentText,
  isSafeEventName,
  kebabCase,
  modelName,
  pascalCase,
  windowsSafeFileName,
} from '../../src/model/names.js';

describe('pascalCase', () => {
  it.each([
    ['call.created', 'CallCreated'],
    ['call.ringing_on_agent', 'CallRingingOnAgent'],
    ['user.created.v2', 'UserCreatedV2'],
    ['realtime_transcription.utterances_received', 'RealtimeTranscriptionUtterancesReceived'],
    ['already-kebab-case', 'AlreadyKebabCase'],
    ['camelCase', 'CamelCase'],
    ['2fa.enabled', 'T2faEnabled'],
    ['...', 'Unnamed'],
  ])('%s -> %s', (given, want) => expect(pascalCase(given)).toBe(want));
});

describe('kebabCase', () => {
  it.each([
    ['call.created', 'call-created'],
    ['user.wut_start.v2', 'user-wut-start-v2'],
    ['group_message.status_updated', 'group-message-status-updated'],
  ])('%s', (given, kebab) => expect(kebabCase(given)).toBe(kebab));
});

describe('modelName', () => {
  it.each([
    ['Call', 'Call'],
    ['Number', 'AircallNumber'],
    ['String', 'AircallString'],
    ['Promise', 'AircallPromise'],
    ['Event', 'AircallEvent'],
    ['user_v2', 'UserV2'],
    ['phone-number', 'PhoneNumber'],
  ])('%s -> %s', (given, want) => expect(modelName(given)).toBe(want));
});

describe('isSafeEventName', () => {
  it.each([
    ['call.created', true],
    ['user.created.v2', true],
    ['realtime_transcription.utterances_received', true],
    ['a-b', true],
    ['../../etc/passwd', false],
    ['a/b', false],
    ['a\\b', false],
    ['.hidden', false],
    ['a..b', false],
    ['', false],
    ['name with space', false],
    ["quote'", false],
    ['x'.repeat(129), false],
    ['con\u0000', false],
  ])('%j -> %s', (given, want) => expect(isSafeEventName(given)).toBe(want));
});

describe('commentText', () => {
  it.each([
    ['plain', 'plain'],
    ['ends */ here', 'ends *\\/ here'],
    ['a\u2028b', 'a b'],
    ['  trimmed  ', 'trimmed'],
    ['keeps\nlines', 'keeps\nlines'],
    ['nul\u0000esc\u001b[31mred', 'nul esc [31mred'],
    ['csi\u009b31m del\u007f', 'csi 31m del'],
    ['cr\rends a // comment', 'cr\nends a // comment'],
    ['crlf\r\nline', 'crlf\nline'],
    ['bidi \u202eevil\u202c \u2066x\u2069 \u200f', 'bidi  evil   x'],
  ])('%j -> %j', (given, want) => expect(commentText(given)).toBe(want));
});

describe('windowsSafeFileName', () => {
  it.each([
    ['con.ts', '_con.ts'],
    ['CON.json', '_CON.json'],
    ['aux.created.json', '_aux.created.json'],
    ['nul.ts', '_nul.ts'],
    ['prn.ts', '_prn.ts'],
    ['com1.ts', '_com1.ts'],
    ['Com9.x.json', '_Com9.x.json'],
    ['lpt1.ts', '_lpt1.ts'],
    ['LPT9.json', '_LPT9.json'],
    ['com\u00b9.ts', '_com\u00b9.ts'],
    ['aux-created.ts', 'aux-created.ts'],
    ['console.ts', 'console.ts'],
    ['com10.ts', 'com10.ts'],
    ['call.created.json', 'call.created.json'],
  ])('%s -> %s', (given, want) => expect(windowsSafeFileName(given)).toBe(want));
});
