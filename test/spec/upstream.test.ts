// Why the project keeps its own document: the public upstream AsyncAPI document, validated exactly
// like ours, refuses genuine deliveries, and cannot tell events apart because `event` is a free string.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidateFunction } from 'ajv';
import {
  PARSE_TIMEOUT_MS, SPEC_PATH, UPSTREAM_PATH, acceptingEvents, errorPaths, eventOf, parseSpec, readRealBodies,
  readRealBody, specExampleBodies, validatorsByEvent,
} from './spec-harness.js';
import type { Body } from './spec-harness.js';
import { skipWithoutUpstream } from '../support/examples.js';

// Computed by validating every real body against the upstream message of the same name, then
// pinned: the file, why upstream refuses it, and the exact fields its validator reports.
const UPSTREAM_REJECTS: Record<string, { why: string; paths: string[] }> = {
  'call.created.json': {
    why: 'a call that has just started carries null answered_at/ended_at/missed_call_reason and null media links; upstream allows no null',
    paths: ['/data/answered_at', '/data/asset', '/data/ended_at', '/data/missed_call_reason', '/data/recording', '/data/voicemail'],
  },
  'call.answered.json': {
    why: 'a live call has ended_at null, and no missed reason or media yet (null); upstream allows no null',
    paths: ['/data/asset', '/data/ended_at', '/data/missed_call_reason', '/data/recording', '/data/voicemail'],
  },
  'call.hungup.json': {
    why: 'an answered, unrecorded call has null missed_call_reason, voicemail, recording and asset',
    paths: ['/data/asset', '/data/missed_call_reason', '/data/recording', '/data/voicemail'],
  },
  'call.ended.json': {
    why: 'same nulls as call.hungup: the final call data still has no missed reason or media',
    paths: ['/data/asset', '/data/missed_call_reason', '/data/recording', '/data/voicemail'],
  },
  'call.tagged.json': {
    why: 'same nulls as call.hungup on a tagged inbound call',
    paths: ['/data/asset', '/data/missed_call_reason', '/data/recording', '/data/voicemail'],
  },
  'call.voicemail_left.json': {
    why: 'a voicemail call was never answered (answered_at null) and has no recording (null)',
    paths: ['/data/answered_at', '/data/recording'],
  },
  'contact.created.json': {
    why: 'contact dates arrive as integer Unix seconds; upstream types them as strings',
    paths: ['/data/created_at', '/data/updated_at'],
  },
};

let ours: Map<string, ValidateFunction>;
let upstream: Map<string, ValidateFunction>;
let ourExamples: Body[];

const skip = skipWithoutUpstream('test/spec/upstream.test.ts (every test)');

beforeAll(async () => {
  if (skip) return;
  const [oursParsed, upstreamParsed] = await Promise.all([parseSpec(SPEC_PATH), parseSpec(UPSTREAM_PATH)]);
  ours = validatorsByEvent(oursParsed.document);
  upstream = validatorsByEvent(upstreamParsed.document);
  ourExamples = specExampleBodies(oursParsed.document);
}, PARSE_TIMEOUT_MS);

function upstreamFor(event: string): ValidateFunction {
  const validate = upstream.get(event);
  if (validate === undefined) throw new Error(`upstream has no message named ${event}`);
  return validate;
}

describe.skipIf(skip)('the upstream AsyncAPI document, validated the same way', () => {
  it('describes the same 69 events', () => {
    expect([...upstream.keys()].sort()).toEqual([...ours.keys()].sort());
  });

  it('rejects exactly the pinned real bodies, for the pinned reasons', () => {
    const rejected: Record<string, string[]> = {};
    for (const { source, body } of readRealBodies()) {
      const validate = upstreamFor(eventOf(body));
      if (!validate(body)) rejected[source] = errorPaths(validate.errors);
    }
    const pinned = Object.fromEntries(Object.entries(UPSTREAM_REJECTS).map(([file, { paths }]) => [file, paths]));
    expect(rejected).toEqual(pinned);
  });

  it.each(Object.keys(UPSTREAM_REJECTS))('%s, refused upstream, is accepted by our document', (file) => {
    const body = readRealBody(file);
    expect(acceptingEvents(ours, body)).toEqual([eventOf(body)]);
  });

  it('cannot tell events apart: upstream accepts a real body under other event names too', () => {
    // `event` is a free string upstream and 8 V1 user events share one schema.
    const body = readRealBody('user.connected.json');
    const upstreamAccepts = acceptingEvents(upstream, body);
    expect(upstreamAccepts).toEqual(expect.arrayContaining([
      'user.created', 'user.deleted', 'user.connected', 'user.disconnected', 'user.opened', 'user.closed',
      'user.wut_start', 'user.wut_end',
    ]));
    expect(acceptingEvents(ours, body)).toEqual(['user.connected']);
  });

  it('rejects an SMS as our evidence describes it: string id and null channel', () => {
    const example = ourExamples.find((b) => b.source === 'messageSent/smsSent');
    expect(example).toBeDefined();
    const validate = upstreamFor('message.sent');
    expect(validate(example?.body)).toBe(false);
    expect(errorPaths(validate.errors)).toEqual(expect.arrayContaining(['/data/channel', '/data/id']));
  });
});
