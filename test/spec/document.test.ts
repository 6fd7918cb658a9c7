// The bundled document parses cleanly and has the shape the generator relies on:
// one channel, one operation, exactly the 69 Aircall events, each with its own envelope schema.
import { beforeAll, describe, expect, it } from 'vitest';
import { PARSE_TIMEOUT_MS, SPEC_PATH, isObject, parseSpec } from './spec-harness.js';
import type { JsonObject, ParsedSpec } from './spec-harness.js';

const EVENTS = [
  'call.created', 'call.ringing_on_agent', 'call.agent_declined', 'call.answered', 'call.transferred',
  'call.external_transferred', 'call.unsuccessful_transfer', 'call.hungup', 'call.ended', 'call.voicemail_left',
  'call.commented', 'call.tagged', 'call.untagged', 'call.assigned', 'call.archived', 'call.hold', 'call.unhold',
  'call.ivr_option_selected', 'call.comm_assets_generated',
  'contact.created', 'contact.updated', 'contact.deleted',
  'number.created', 'number.deleted', 'number.opened', 'number.closed',
  'user.created', 'user.deleted', 'user.connected', 'user.disconnected', 'user.opened', 'user.closed',
  'user.wut_start', 'user.wut_end',
  'user.created.v2', 'user.deleted.v2', 'user.connected.v2', 'user.disconnected.v2', 'user.opened.v2',
  'user.closed.v2', 'user.wut_start.v2', 'user.wut_end.v2',
  'team.created', 'team.destroyed',
  'message.sent', 'message.received', 'message.status_updated',
  'group_message.sent', 'group_message.received', 'group_message.status_updated',
  'integration.deleted',
  'sentiment.created', 'summary.created', 'topics.created', 'transcription.created', 'action_item.created',
  'playbook_result.created', 'playbook_result.updated', 'realtime_transcription.utterances_received',
  'custom_summary.result_created', 'custom_summary.result_updated', 'call_evaluation.created',
  'call_evaluation.updated',
  'ai_voice_agent.started', 'ai_voice_agent.ended', 'ai_voice_agent.escalated', 'ai_voice_agent.summary',
  'analytics.report_created', 'analytics.report_failed',
];

// `resource` is pinned only where Aircall documents it or real deliveries show it.
const FIRM_RESOURCE: Record<string, string> = {
  call: 'call', contact: 'contact', number: 'number', user: 'user', integration: 'integration',
};

const DATA_SCHEMAS = [
  'Call', 'User', 'UserV2', 'Number', 'Contact', 'Team', 'Tag', 'Comment', 'Participant', 'IvrOption', 'Message',
  'GroupMessage', 'Integration', 'ConversationIntelligence', 'RealtimeTranscription', 'AiVoiceAgent', 'AnalyticsExport',
];

const ENVELOPE_KEYS = ['resource', 'event', 'timestamp', 'token', 'data'];

/** `user.created.v2` -> `userCreatedV2`. */
function camel(event: string): string {
  return event
    .split(/[._]/)
    .map((word, i) => (i === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1)))
    .join('');
}

let spec: ParsedSpec;
let raw: JsonObject;

beforeAll(async () => {
  spec = await parseSpec(SPEC_PATH);
  const json: unknown = spec.document.json();
  if (!isObject(json)) throw new Error('document json is not an object');
  raw = json;
}, PARSE_TIMEOUT_MS);

function get(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) current = isObject(current) ? current[key] : undefined;
  return current;
}

describe('spec/aircall-webhooks.asyncapi.yaml', () => {
  it('parses with no error-severity diagnostic', () => {
    const errors = spec.diagnostics.filter((d) => d.severity === 0);
    expect(errors.map((d) => `${d.code} ${d.message} ${d.path.join('.')}`)).toEqual([]);
    expect(spec.document.version()).toBe('2.6.0');
  });

  it('has exactly the 69 events, in the documented order, named by their event literal', () => {
    expect(EVENTS).toHaveLength(69);
    expect(new Set(EVENTS).size).toBe(69);
    const names = spec.document.allMessages().all().map((m) => m.name());
    expect(names).toEqual(EVENTS);
  });

  it('has one channel /aircall/webhook with one POST operation receiveAircallWebhook listing every message', () => {
    expect(spec.document.channels().all().map((c) => c.address())).toEqual(['/aircall/webhook']);
    const operations = spec.document.operations().all();
    expect(operations.map((o) => o.id())).toEqual(['receiveAircallWebhook']);
    const publish = get(raw, 'channels', '/aircall/webhook', 'publish');
    expect(get(publish, 'bindings', 'http')).toMatchObject({ type: 'request', method: 'POST' });
    const oneOf = get(publish, 'message', 'oneOf');
    expect(Array.isArray(oneOf) ? oneOf.map((m) => get(m, 'name')) : oneOf).toEqual(EVENTS);
  });

  it('claims no query API-key security scheme: the token is a body field', () => {
    expect(get(raw, 'components', 'securitySchemes')).toBeUndefined();
    for (const server of spec.document.servers().all()) expect(server.security()).toEqual([]);
    expect(spec.document.info().description()).toMatch(/`token` key of the body/);
  });

  it.each(EVENTS)('%s: stable messageId, documentation and an example', (event) => {
    const id = camel(event);
    const message = get(raw, 'components', 'messages', id);
    expect(isObject(message), `components.messages.${id}`).toBe(true);
    expect(get(message, 'messageId')).toBe(id);
    expect(get(message, 'name')).toBe(event);
    for (const key of ['title', 'summary', 'description']) {
      const text = get(message, key);
      expect(typeof text === 'string' && text.trim().length > 0, `${id}.${key}`).toBe(true);
    }
    expect(get(message, 'summary')).not.toMatch(/\n/);
    const examples = get(message, 'examples');
    expect(Array.isArray(examples) && examples.length > 0, `${id}.examples`).toBe(true);
  });

  it.each(EVENTS)('%s: payload is its own named envelope with the event literal in the schema', (event) => {
    const schemaName = `${camel(event).charAt(0).toUpperCase()}${camel(event).slice(1)}Webhook`;
    const payload = get(raw, 'components', 'messages', camel(event), 'payload');
    expect(get(payload, 'x-parser-schema-id')).toBe(schemaName);
    expect(get(payload, 'title')).toBe(schemaName);
    expect(get(payload, 'type')).toBe('object');
    expect(get(payload, 'additionalProperties')).toBe(true);
    expect(get(payload, 'required')).toEqual(ENVELOPE_KEYS);
    const properties = get(payload, 'properties');
    expect(Object.keys(isObject(properties) ? properties : {})).toEqual(ENVELOPE_KEYS);
    expect(get(properties, 'event')).toMatchObject({ type: 'string', const: event });
    expect(get(properties, 'timestamp', 'type')).toBe('integer');
    expect(get(properties, 'token', 'type')).toBe('string');
    expect(get(properties, 'token', 'description')).toMatch(/body/);

    const family = event.split('.')[0] ?? '';
    const resource = get(properties, 'resource');
    expect(get(resource, 'type')).toBe('string');
    const firm = event.endsWith('.v2') ? undefined : FIRM_RESOURCE[family];
    if (firm === undefined) {
      // not pinned: the description must say why
      expect(get(resource, 'const')).toBeUndefined();
      expect(get(resource, 'description')).toMatch(/not pinned|any string/);
    } else {
      expect(get(resource, 'const')).toBe(firm);
    }

    const dataId = get(properties, 'data', 'x-parser-schema-id');
    expect(typeof dataId === 'string' && /^[A-Z][A-Za-z0-9]*$/.test(dataId), `data of ${event} is ${String(dataId)}`).toBe(true);
  });

  it('defines the named data schemas the generator expects', () => {
    const schemas = get(raw, 'components', 'schemas');
    for (const name of DATA_SCHEMAS) expect(get(schemas, name, 'title'), name).toBe(name);
  });

  it('routes each event family to the right data schema', () => {
    const dataOf = (event: string): unknown =>
      get(raw, 'components', 'messages', camel(event), 'payload', 'properties', 'data', 'x-parser-schema-id');
    const expected: Array<[RegExp, string]> = [
      [/^call\./, 'Call'], [/^contact\./, 'Contact'], [/^number\./, 'Number'], [/^user\.[a-z_]+$/, 'User'],
      [/^user\..*\.v2$/, 'UserV2'], [/^team\./, 'Team'], [/^message\./, 'Message'], [/^group_message\./, 'GroupMessage'],
      [/^integration\./, 'Integration'],
      [/^(sentiment|summary|topics|transcription|action_item|playbook_result)\./, 'ConversationIntelligence'],
      [/^realtime_transcription\./, 'RealtimeTranscription'], [/^custom_summary\./, 'CustomSummaryResult'],
      [/^call_evaluation\./, 'CallEvaluation'], [/^ai_voice_agent\./, 'AiVoiceAgent'], [/^analytics\./, 'AnalyticsExport'],
    ];
    for (const event of EVENTS) {
      const match = expected.find(([pattern]) => pattern.test(event));
      expect(match, event).toBeDefined();
      expect(dataOf(event), event).toBe(match?.[1]);
    }
  });
});
