// Validation behaviour of the payload schemas: every example and every real body is accepted by
// its own event and by no other; loose spots the evidence requires stay loose; wrong bodies fail
// in the right schema at the right place.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidateFunction } from 'ajv';
import {
  PARSE_TIMEOUT_MS, SPEC_PATH, acceptingEvents, clone, errorPaths, eventOf, isObject, parseSpec, readRealBodies,
  readRealBody, specExampleBodies, validatorsByEvent,
} from './spec-harness.js';
import type { Body, JsonObject } from './spec-harness.js';

let validators: Map<string, ValidateFunction>;
let examples: Body[];

beforeAll(async () => {
  const { document } = await parseSpec(SPEC_PATH);
  validators = validatorsByEvent(document);
  examples = specExampleBodies(document);
}, PARSE_TIMEOUT_MS);

function validatorFor(event: string): ValidateFunction {
  const validate = validators.get(event);
  if (validate === undefined) throw new Error(`no message named ${event}`);
  return validate;
}

function dataOf(body: JsonObject): JsonObject {
  const data = body['data'];
  if (!isObject(data)) throw new Error('body has no object `data`');
  return data;
}

/** A body from the spec's own examples, by message id and example name. */
function specExample(source: string): JsonObject {
  const found = examples.find((b) => b.source === source);
  if (found === undefined) throw new Error(`no spec example ${source}`);
  return clone(found.body);
}

describe('examples in the spec', () => {
  it('cover every message', () => {
    const covered = new Set(examples.map((b) => eventOf(b.body)));
    expect([...validators.keys()].filter((event) => !covered.has(event))).toEqual([]);
  });

  it('are each accepted by their own event and by no other', () => {
    const outcomes = examples.map(({ source, body }) => [source, acceptingEvents(validators, body)]);
    const expected = examples.map(({ source, body }) => [source, [eventOf(body)]]);
    expect(outcomes).toEqual(expected);
  });

  it('use a placeholder token, not a real-looking credential from elsewhere', () => {
    for (const { body } of examples) expect(body['token']).toBe('0123456789abcdef0123456789abcdef');
  });
});

describe('real bodies from test/fixtures/examples', () => {
  const real = readRealBodies();

  it('are all there (12 captures and the documented integration.deleted sample)', () => {
    expect(real).toHaveLength(13);
    for (const { source, body } of real) expect(source).toBe(`${eventOf(body)}.json`);
  });

  it.each(real.map((b) => [b.source, b] as const))('%s is accepted by its own event and by no other', (_, { body }) => {
    const own = validatorFor(eventOf(body));
    expect(own(body), JSON.stringify(own.errors)).toBe(true);
    expect(acceptingEvents(validators, body)).toEqual([eventOf(body)]);
  });
});

// Variants the evidence says happen, built from real bodies: each must still be accepted.
const ACCEPTED_VARIANTS: Array<[string, string, (body: JsonObject) => void]> = [
  ['call.created.json', 'inbound call not answered yet: no `user` key', (b) => { delete dataOf(b)['user']; dataOf(b)['direction'] = 'inbound'; }],
  ['call.ended.json', 'newer fields Aircall added later (call_uuid, participants)', (b) => {
    dataOf(b)['call_uuid'] = 'CA0011223344556677889900aabbccddee';
    dataOf(b)['participants'] = [{ type: 'user', id: 1, name: 'A' }, { type: 'external', phone_number: '+44 7700 900001' }];
  }],
  ['call.ended.json', 'null contact, assigned_to and transfer parties (documented sample)', (b) => {
    Object.assign(dataOf(b), { contact: null, assigned_to: null, transferred_by: null, transferred_to: null });
  }],
  ['call.ended.json', 'a key nobody has documented yet', (b) => { dataOf(b)['brand_new_field'] = { nested: [1, 2] }; b['api_version'] = 'v2'; }],
  ['call.tagged.json', 'automatic tag with an empty tagged_by', (b) => {
    dataOf(b)['tags'] = [{ id: 1, name: 'Auto', tagged_by: {}, tagged_at: 1646391384 }];
  }],
  ['call.tagged.json', 'comment posted through the API (posted_by null, posted_at as a string)', (b) => {
    dataOf(b)['comments'] = [{ id: 9, content: 'note', posted_at: '2022-03-04T11:00:00Z', posted_by: null }];
  }],
  ['contact.created.json', 'dates as ISO strings instead of integers', (b) => {
    Object.assign(dataOf(b), { created_at: '2022-03-04T11:26:24Z', updated_at: '2022-03-04T11:26:24Z' });
  }],
  ['contact.created.json', 'null names and description', (b) => {
    Object.assign(dataOf(b), { first_name: null, last_name: null, company_name: null, description: null });
  }],
  ['number.created.json', 'documented optional fields (e164_digits, created_at, priority null)', (b) => {
    Object.assign(dataOf(b), { e164_digits: '+31851070844', created_at: '2022-03-04T11:39:40.000Z', priority: null });
  }],
  ['user.created.json', 'documented optional fields (substatus, time_zone, created_at)', (b) => {
    Object.assign(dataOf(b), { substatus: 'always_open', time_zone: 'Etc/UTC', created_at: '2022-03-04T11:26:25.000Z' });
  }],
  ['integration.deleted.json', 'keys in another order', (b) => {
    const data = dataOf(b);
    b['data'] = { company_id: data['company_id'] ?? 0, integration_id: data['integration_id'] ?? 0 };
  }],
];

describe('what the evidence says happens is accepted', () => {
  it.each(ACCEPTED_VARIANTS)('%s: %s', (file, _why, mutate) => {
    const body = clone(readRealBody(file));
    mutate(body);
    const own = validatorFor(eventOf(body));
    expect(own(body), JSON.stringify(own.errors)).toBe(true);
    expect(acceptingEvents(validators, body)).toEqual([eventOf(body)]);
  });

  it('accepts an SMS whose channel is null and a message id that is a string', () => {
    const body = specExample('messageSent/smsSent');
    expect(dataOf(body)['channel']).toBeNull();
    expect(typeof dataOf(body)['id']).toBe('string');
    expect(validatorFor('message.sent')(body)).toBe(true);
  });

  it('accepts a group message whose resource is group_message as well as message', () => {
    for (const resource of ['message', 'group_message']) {
      const body = specExample('groupMessageReceived/received');
      body['resource'] = resource;
      expect(validatorFor('group_message.received')(body), resource).toBe(true);
    }
  });

  it('accepts an empty object as the data of an event whose shape is unknown', () => {
    for (const event of ['team.created', 'custom_summary.result_created', 'call_evaluation.updated', 'analytics.report_failed']) {
      const body = { resource: 'whatever', event, timestamp: 1717000000, token: 't', data: {} };
      expect(validatorFor(event)(body), event).toBe(true);
    }
  });
});

// Bodies that must be refused, with the schema path the error must point at.
const REJECTED: Array<[string, string, () => JsonObject, string]> = [
  ['call.created', 'data.id as a string', () => withData('call.created.json', (d) => { d['id'] = '780836699'; }), '/data/id'],
  ['call.hungup', 'duration as a string', () => withData('call.hungup.json', (d) => { d['duration'] = '20'; }), '/data/duration'],
  ['call.answered', 'unknown call status', () => withData('call.answered.json', (d) => { d['status'] = 'ringing'; }), '/data/status'],
  ['call.voicemail_left', 'missed_call_reason outside the documented list', () => withData('call.voicemail_left.json', (d) => { d['missed_call_reason'] = 'busy'; }), '/data/missed_call_reason'],
  ['call.ended', 'direction outside inbound/outbound', () => withData('call.ended.json', (d) => { d['direction'] = 'internal'; }), '/data/direction'],
  ['call.tagged', 'tag without an id', () => withData('call.tagged.json', (d) => { d['tags'] = [{ name: 'x' }]; }), '/data/tags/0'],
  ['call.created', 'user that is a string', () => withData('call.created.json', (d) => { d['user'] = 'Koen'; }), '/data/user'],
  ['call.created', 'timestamp as an ISO string', () => withEnvelope('call.created.json', (b) => { b['timestamp'] = '2022-03-04T10:28:57Z'; }), '/timestamp'],
  ['call.created', 'token as a number', () => withEnvelope('call.created.json', (b) => { b['token'] = 12345; }), '/token'],
  ['call.created', 'data missing', () => withEnvelope('call.created.json', (b) => { delete b['data']; }), ''],
  ['call.created', 'resource of another family', () => withEnvelope('call.created.json', (b) => { b['resource'] = 'user'; }), '/resource'],
  ['contact.created', 'created_at as a boolean', () => withData('contact.created.json', (d) => { d['created_at'] = true; }), '/data/created_at'],
  ['contact.created', 'e-mail entry id as a string', () => withData('contact.created.json', (d) => { d['emails'] = [{ id: 'x', label: 'Work', value: 'a@b.c' }]; }), '/data/emails/0/id'],
  ['number.created', 'number availability that only users have', () => withData('number.created.json', (d) => { d['availability_status'] = 'available'; }), '/data/availability_status'],
  ['user.connected', 'user availability that only numbers have', () => withData('user.connected.json', (d) => { d['availability_status'] = 'open'; }), '/data/availability_status'],
  ['user.created', 'wrap_up_time as a string', () => withData('user.created.json', (d) => { d['wrap_up_time'] = '90'; }), '/data/wrap_up_time'],
  ['integration.deleted', 'the upstream document\'s integration shape', () => withEnvelope('integration.deleted.json', (b) => {
    b['data'] = { id: 42, name: 'CRM', company_id: 1, deleted_at: '2020-03-30T00:00:00Z' };
  }), '/data'],
  ['message.sent', 'integer message id (the upstream document\'s typing)', () => {
    const body = specExample('messageSent/smsSent');
    dataOf(body)['id'] = 1717405500123;
    return body;
  }, '/data/id'],
  ['message.received', 'WhatsApp category outside the documented list', () => {
    const body = specExample('messageReceived/whatsappWithPhoto');
    dataOf(body)['whatsapp_message_category'] = 'promotional';
    return body;
  }, '/data/whatsapp_message_category'],
];

function withEnvelope(file: string, mutate: (body: JsonObject) => void): JsonObject {
  const body = clone(readRealBody(file));
  mutate(body);
  return body;
}

function withData(file: string, mutate: (data: JsonObject) => void): JsonObject {
  return withEnvelope(file, (body) => mutate(dataOf(body)));
}

describe('wrong bodies are rejected', () => {
  it.each(REJECTED)('%s: %s', (event, _why, build, path) => {
    const body = build();
    expect(eventOf(body)).toBe(event);
    const own = validatorFor(event);
    expect(own(body)).toBe(false);
    expect(errorPaths(own.errors)).toContain(path);
    expect(acceptingEvents(validators, body)).toEqual([]);
  });

  // The event literal lives in each schema: a body is refused by every schema but its own event's.
  const RELABELLED: Array<[string, string]> = [
    ['call.created.json', 'call.answered'],
    ['call.hungup.json', 'call.ended'],
    ['user.connected.json', 'user.connected.v2'],
    ['user.wut_start.json', 'user.wut_end'],
    ['number.opened.json', 'number.closed'],
    ['contact.created.json', 'contact.deleted'],
  ];

  it.each(RELABELLED)('%s is rejected by the %s schema', (file, otherEvent) => {
    const body = clone(readRealBody(file));
    const other = validatorFor(otherEvent);
    expect(other(body)).toBe(false);
    expect(other.errors?.map((e) => `${e.instancePath} ${e.keyword}`)).toContain('/event const');
  });

  it('a body carrying another message\'s event is checked against that event only', () => {
    // A V1 user body relabelled as V2 is still a valid V2 body (V2 only drops `numbers`, extra keys are allowed)...
    const body = clone(readRealBody('user.connected.json'));
    body['event'] = 'user.connected.v2';
    expect(acceptingEvents(validators, body)).toEqual(['user.connected.v2']);
    // ...while a call body relabelled as a contact event is refused everywhere.
    const call = clone(readRealBody('call.created.json'));
    call['event'] = 'contact.created';
    expect(acceptingEvents(validators, call)).toEqual([]);
  });

  it('an event that is not one of the 69 matches no schema', () => {
    const body = clone(readRealBody('call.created.json'));
    body['event'] = 'call.teleported';
    expect(acceptingEvents(validators, body)).toEqual([]);
  });
});
