// Broken (and a few valid) AsyncAPI documents for the fast-path equivalence test: small hand-written
// documents, each aimed at one rule, plus mutations of the bundled spec.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SPEC_PATH = fileURLToPath(new URL('../../spec/aircall-webhooks.asyncapi.yaml', import.meta.url));
export { UPSTREAM_SPEC as UPSTREAM_PATH } from '../support/examples.js';

export interface Case {
  name: string;
  /** The rule (or parser stage) the case is aimed at. */
  target: string;
  text: string;
  /** Whether the full default parser rejects it (checked, so that each case tests what it says). */
  rejected: boolean;
  /** Fast rules expected to hand some target to the parser's own function (checked); none by default. */
  fallsBack?: string[];
  /**
   * How the fast path should end (checked): 'fast' (the default), 'bail' (a fast rule gave up and the
   * full parser ran), or 'full' (not an AsyncAPI 2.6.0 document: the full parser ran directly).
   */
  path?: 'fast' | 'bail' | 'full';
}

/** A small valid document that exercises most rules: servers, security, parameters, traits, examples, defaults. */
export const BASE = `asyncapi: '2.6.0'
id: 'urn:example:fast-path'
info:
  title: Fast path
  version: '1.0.0'
  description: A small document for the equivalence tests.
  contact: { name: Team, url: 'https://example.com', email: team@example.com }
  license: { name: MIT, url: 'https://opensource.org/licenses/MIT' }
defaultContentType: application/json
tags:
  - name: calls
servers:
  production:
    url: 'https://{host}:{port}/hooks'
    protocol: https
    variables:
      host: { default: example.com }
      port: { enum: ['443', '8443'], default: '443' }
    security:
      - token: []
channels:
  'users/{userId}':
    parameters:
      userId:
        $ref: '#/components/parameters/userId'
    publish:
      operationId: receiveUserEvent
      tags:
        - name: users
      message:
        oneOf:
          - $ref: '#/components/messages/userCreated'
          - $ref: '#/components/messages/userDeleted'
components:
  securitySchemes:
    token:
      type: httpApiKey
      name: X-Token
      in: header
  parameters:
    userId:
      description: The user.
      schema:
        type: string
        default: u1
        examples: [u1, u2]
  messageTraits:
    common:
      headers:
        type: object
        properties:
          x-request-id: { type: string }
  messages:
    userCreated:
      messageId: userCreated
      name: user.created
      title: User created
      summary: A user was created.
      traits:
        - $ref: '#/components/messageTraits/common'
      headers:
        type: object
        properties:
          x-request-id: { type: string }
      payload:
        $ref: '#/components/schemas/UserCreated'
      examples:
        - name: minimal
          headers: { x-request-id: abc }
          payload: { event: user.created, user: { id: 1, name: Ada, role: admin }, at: '2024-01-02T03:04:05Z' }
    userDeleted:
      messageId: userDeleted
      name: user.deleted
      title: User deleted
      summary: A user was deleted.
      payload:
        type: object
        required: [event, id]
        properties:
          event: { const: user.deleted }
          id: { type: integer, minimum: 1 }
          reason:
            oneOf:
              - $ref: '#/components/schemas/Reason'
              - type: 'null'
      examples:
        - payload: { event: user.deleted, id: 7, reason: null }
        - payload: { event: user.deleted, id: 8, reason: { code: left } }
  schemas:
    UserCreated:
      type: object
      required: [event, user]
      properties:
        event: { const: user.created }
        user: { $ref: '#/components/schemas/User' }
        at: { type: string, format: date-time }
    User:
      type: object
      required: [id]
      properties:
        id: { type: integer }
        name: { type: [string, 'null'] }
        role: { type: string, enum: [admin, agent, viewer] }
        tags:
          type: array
          items: { type: string, maxLength: 10 }
      examples:
        - { id: 3, role: agent }
    Reason:
      type: object
      properties:
        code: { type: string, default: other }
      default: { code: other }
`;

/** Replaces `from` (which must occur) in the base document. */
function edit(from: string, to: string, text = BASE): string {
  if (!text.includes(from)) throw new Error(`corpus edit: ${JSON.stringify(from)} is not in the document`);
  return text.replace(from, () => to);
}

const bundled = () => readFileSync(SPEC_PATH, 'utf8');

export const SMALL_CASES: Case[] = [
  { name: 'the base document', target: '(valid)', rejected: false, text: BASE },
  {
    name: 'YAML syntax error',
    target: 'parser',
    rejected: true,
    text: edit('  title: Fast path\n', '  title: [Fast path\n'),
  },
  {
    name: 'unsupported asyncapi version',
    target: 'asyncapi-is-asyncapi',
    rejected: true,
    path: 'full',
    text: edit("asyncapi: '2.6.0'", "asyncapi: '1.2.0'"),
  },
  {
    name: 'asyncapi 2.6.1 (not 2.6.0: the full parser)',
    target: 'asyncapi-document-resolved',
    rejected: true,
    path: 'full',
    text: edit("asyncapi: '2.6.0'", "asyncapi: '2.6.1'"),
  },
  {
    name: 'missing info',
    target: 'asyncapi-document-resolved',
    rejected: true,
    text: edit("info:\n  title: Fast path\n  version: '1.0.0'\n", "x-info:\n  title: Fast path\n  version: '1.0.0'\n"),
  },
  {
    name: 'info.title of the wrong type',
    target: 'asyncapi-document-resolved',
    rejected: true,
    text: edit('  title: Fast path\n', '  title: { text: Fast path }\n'),
  },
  {
    name: 'unknown top-level key',
    target: 'asyncapi-document-resolved',
    rejected: true,
    text: edit('defaultContentType: application/json\n', 'defaultContentType: application/json\nwebhooks: {}\n'),
  },
  {
    name: 'id that is not a URI',
    target: 'asyncapi-document-resolved',
    rejected: true,
    text: edit("id: 'urn:example:fast-path'", "id: 'not a uri'"),
  },
  {
    name: 'channel address with a query string',
    target: 'asyncapi2-channel-no-query-nor-fragment',
    rejected: true,
    text: edit("  'users/{userId}':\n", "  'users/{userId}?debug=1':\n"),
  },
  {
    name: 'duplicate operationId',
    target: 'asyncapi2-operation-operationId-uniqueness',
    rejected: true,
    text: edit(
      'components:\n',
      "  'teams':\n    subscribe:\n      operationId: receiveUserEvent\n      message: { payload: { type: string } }\ncomponents:\n",
    ),
  },
  {
    name: 'unresolvable $ref',
    target: 'invalid-ref',
    rejected: true,
    fallsBack: ['asyncapi2-message-examples'],
    text: edit("$ref: '#/components/schemas/User' }", "$ref: '#/components/schemas/Nobody' }"),
  },
  {
    name: '$ref where the schema allows none',
    target: 'asyncapi-document-unresolved',
    rejected: true,
    text: edit('  contact: { name: Team', "  x-contact: { $ref: '#/components/schemas/User' }\n  contact: { name: Team")
      .replace(
        'info:\n  title: Fast path\n',
        "info:\n  title: Fast path\n  license: { $ref: '#/components/schemas/Reason' }\n",
      )
      .replace("  license: { name: MIT, url: 'https://opensource.org/licenses/MIT' }\n", ''),
  },
  {
    name: 'message example: payload value of the wrong type',
    target: 'asyncapi2-message-examples',
    rejected: true,
    text: edit('user: { id: 1, name: Ada', "user: { id: 'one', name: Ada"),
  },
  {
    name: 'message example: payload misses a required key',
    target: 'asyncapi2-message-examples',
    rejected: true,
    text: edit(
      'payload: { event: user.deleted, id: 7, reason: null }',
      'payload: { event: user.deleted, reason: null }',
    ),
  },
  {
    name: 'message example: enum value with a near miss',
    target: 'asyncapi2-message-examples',
    rejected: true,
    text: edit('role: admin }', 'role: admn }'),
  },
  {
    name: 'message example: invalid date-time format',
    target: 'asyncapi2-message-examples',
    rejected: true,
    text: edit("at: '2024-01-02T03:04:05Z'", "at: '2024-13-02 03:04'"),
  },
  {
    name: 'message example: headers of the wrong type',
    target: 'asyncapi2-message-examples',
    rejected: true,
    text: edit('headers: { x-request-id: abc }', 'headers: { x-request-id: 5 }'),
  },
  {
    name: 'message example: nullable $ref branch violated',
    target: 'asyncapi2-message-examples',
    rejected: true,
    text: edit('reason: { code: left }', 'reason: { code: 12 }'),
  },
  {
    name: 'message example: string too long in an array item',
    target: 'asyncapi2-message-examples',
    rejected: true,
    text: edit('role: admin }', 'role: admin, tags: [ok, much-too-long-tag] }'),
  },
  {
    name: 'message example that is null',
    target: 'asyncapi2-message-examples',
    rejected: true,
    path: 'bail',
    text: edit('        - payload: { event: user.deleted, id: 7, reason: null }\n', '        - null\n'),
  },
  {
    name: 'inline channel message: example breaks additionalProperties: false',
    target: 'asyncapi2-message-examples',
    rejected: true,
    text: edit(
      'components:\n',
      "  'teams':\n    subscribe:\n      operationId: sendTeamEvent\n      message:\n        payload: { type: object, additionalProperties: false, properties: { id: { type: integer } } }\n        examples:\n          - payload: { id: 1, extra: true }\ncomponents:\n",
    ),
  },
  {
    name: "ajv's nullable keyword: null accepted, a number refused",
    target: 'asyncapi2-message-examples',
    rejected: true,
    text: edit(
      "        name: { type: [string, 'null'] }\n",
      '        name: { type: string, nullable: true }\n',
    ).replace('user: { id: 1, name: Ada', 'user: { id: 1, name: 42'),
  },
  {
    name: '$ref siblings are dropped by the resolver (no error)',
    target: 'asyncapi2-message-examples',
    rejected: false,
    text: edit(
      "user: { $ref: '#/components/schemas/User' }",
      "user: { $ref: '#/components/schemas/User', type: string }",
    ),
  },
  {
    name: 'YAML anchors and aliases share a schema; example invalid',
    target: 'asyncapi2-message-examples',
    rejected: true,
    text: edit(
      '          id: { type: integer, minimum: 1 }\n',
      '          id: &positive { type: integer, minimum: 1 }\n          count: *positive\n',
    ).replace('id: 8, reason', 'id: 8, count: 0, reason'),
  },
  {
    name: 'oneOf matched by both branches',
    target: 'asyncapi2-message-examples',
    rejected: true,
    text: edit("              - type: 'null'\n", '              - type: object\n').replace(
      'reason: { code: left }',
      'reason: { code: left, more: 1 }',
    ),
  },
  {
    name: 'array with duplicates and too few items',
    target: 'asyncapi2-message-examples',
    rejected: true,
    text: edit(
      '          items: { type: string, maxLength: 10 }\n',
      '          items: { type: string, maxLength: 10 }\n          uniqueItems: true\n          minItems: 3\n',
    ).replace('role: admin }', 'role: admin, tags: [a, a] }'),
  },
  {
    name: 'pattern mismatch',
    target: 'asyncapi2-message-examples',
    rejected: true,
    text: edit(
      'role: admin }',
      'role: Admin }',
      edit(
        '        role: { type: string, enum: [admin, agent, viewer] }\n',
        "        role: { type: string, pattern: '^[a-z]+$' }\n",
      ),
    ),
  },
  {
    name: 'the same example error reached from two channels (one location)',
    target: 'asyncapi2-message-examples',
    rejected: true,
    text: edit(
      'components:\n',
      "  'archive':\n    subscribe:\n      message:\n        $ref: '#/components/messages/userDeleted'\ncomponents:\n",
    ).replace('id: 7, reason', 'id: 0, reason'),
  },
  {
    name: 'schema default invalid',
    target: 'asyncapi2-schema-default',
    rejected: true,
    text: edit('default: { code: other }', 'default: { code: 5 }'),
  },
  {
    name: 'parameter schema default invalid',
    target: 'asyncapi2-schema-default',
    rejected: true,
    text: edit('default: u1', 'default: 1'),
  },
  {
    name: 'schema examples invalid',
    target: 'asyncapi2-schema-examples',
    rejected: true,
    text: edit('- { id: 3, role: agent }', "- { id: '3', role: agent }"),
  },
  {
    name: 'schema examples: an invalid string example is not reported',
    target: 'asyncapi2-schema-examples',
    rejected: false,
    text: edit('examples: [u1, u2]', 'examples: [u1, u2]\n        maxLength: 1'),
  },
  {
    name: 'schema examples that are not a list',
    target: 'asyncapi2-schema-examples',
    rejected: true,
    fallsBack: ['asyncapi2-schema-default', 'asyncapi2-schema-examples'],
    text: edit('examples: [u1, u2]', 'examples: u1'),
  },
  {
    name: 'payload schema with type: 5',
    target: 'asyncapi2-schemas',
    rejected: true,
    path: 'bail',
    text: edit('id: { type: integer, minimum: 1 }', 'id: { type: 5, minimum: 1 }'),
  },
  {
    name: "component schema with required: 'x'",
    target: 'asyncapi-document-resolved',
    rejected: true,
    path: 'bail',
    text: edit('required: [id]', "required: 'id'"),
  },
  {
    name: 'payload with a draft-04 id keyword (ajv refuses to compile it)',
    target: 'asyncapi2-message-examples',
    rejected: true,
    path: 'bail',
    text: edit('        required: [event, id]\n', '        id: user-deleted\n        required: [event, id]\n'),
  },
  {
    name: 'payload declaring $schema draft-04',
    target: 'asyncapi2-message-examples',
    rejected: true,
    path: 'bail',
    text: edit(
      '        required: [event, id]\n',
      "        $schema: 'http://json-schema.org/draft-04/schema#'\n        required: [event, id]\n",
    ).replace(
      'payload: { event: user.deleted, id: 7, reason: null }',
      "payload: { event: user.deleted, id: '7', reason: null }",
    ),
  },
  {
    name: 'server variable used but not defined',
    target: 'asyncapi2-server-variables',
    rejected: true,
    text: edit("url: 'https://{host}:{port}/hooks'", "url: 'https://{host}:{port}/{path}'"),
  },
  {
    name: 'server variable defined but not used',
    target: 'asyncapi2-server-variables',
    rejected: true,
    text: edit("url: 'https://{host}:{port}/hooks'", "url: 'https://{host}/hooks'"),
  },
  {
    name: 'server variable default outside its enum',
    target: 'asyncapi-document-resolved',
    rejected: true,
    text: edit("enum: ['443', '8443'], default: '443'", "enum: ['443', '8443'], default: 443"),
  },
  {
    name: 'channel parameter not defined',
    target: 'asyncapi2-channel-parameters',
    rejected: true,
    text: edit("  'users/{userId}':\n", "  'users/{userId}/{teamId}':\n"),
  },
  {
    name: 'duplicate tags',
    target: 'asyncapi2-tags-uniqueness',
    rejected: true,
    text: edit('        - name: users\n', '        - name: users\n        - name: users\n'),
  },
  {
    name: 'server security scheme missing',
    target: 'asyncapi2-server-security',
    rejected: true,
    text: edit('      - token: []\n', '      - oauth: []\n'),
  },
  {
    name: 'operation security scheme missing',
    target: 'asyncapi2-operation-security',
    rejected: true,
    text: edit(
      '      operationId: receiveUserEvent\n',
      '      operationId: receiveUserEvent\n      security:\n        - apiKey: []\n',
    ),
  },
  {
    name: 'duplicate messageId',
    target: 'asyncapi2-message-messageId-uniqueness',
    rejected: true,
    text: edit('messageId: userDeleted', 'messageId: userCreated'),
  },
  {
    name: 'channel servers naming an unknown server',
    target: 'asyncapi2-channel-servers',
    rejected: true,
    text: edit("  'users/{userId}':\n    parameters:", "  'users/{userId}':\n    servers: [staging]\n    parameters:"),
  },
  {
    name: 'circular payload schema with a bad example (the parser skips it)',
    target: 'asyncapi2-message-examples',
    rejected: false,
    fallsBack: ['asyncapi2-message-examples', 'asyncapi2-schema-examples'],
    text: edit(
      '        tags:\n          type: array\n',
      "        manager: { $ref: '#/components/schemas/User' }\n        tags:\n          type: array\n",
    ).replace('user: { id: 1, name: Ada, role: admin }', 'user: { id: 1, name: Ada, role: admin, manager: { id: x } }'),
  },
  {
    name: 'Avro schemaFormat on a JSON Schema payload',
    target: 'asyncapi-document-resolved',
    rejected: true,
    fallsBack: ['asyncapi2-schemas'],
    text: edit(
      '      messageId: userDeleted\n',
      "      messageId: userDeleted\n      schemaFormat: 'application/vnd.apache.avro;version=1.9.0'\n",
    ),
  },
  {
    name: 'schemaFormat without a parser (a warning only)',
    target: 'asyncapi2-schemas',
    rejected: false,
    fallsBack: ['asyncapi2-schemas'],
    text: edit(
      '      messageId: userDeleted\n',
      "      messageId: userDeleted\n      schemaFormat: 'application/x-custom;version=1'\n",
    ),
  },
  {
    name: 'schemaFormat without a parser, example invalid against the payload',
    target: 'asyncapi2-message-examples-custom-format',
    rejected: true,
    fallsBack: ['asyncapi2-schemas'],
    text: edit(
      '      messageId: userDeleted\n',
      "      messageId: userDeleted\n      schemaFormat: 'application/x-custom;version=1'\n",
    ).replace('id: 8, reason', 'id: -8, reason'),
  },
  {
    name: 'JSON Schema schemaFormat with a bad example',
    target: 'asyncapi2-message-examples-custom-format',
    rejected: true,
    text: edit(
      '      messageId: userDeleted\n',
      "      messageId: userDeleted\n      schemaFormat: 'application/schema+json;version=draft-07'\n",
    ).replace('id: 8, reason', "id: 'eight', reason"),
  },
  {
    name: 'AsyncAPI 2.5.0 document with a bad example (the full parser)',
    target: 'asyncapi2-message-examples',
    rejected: true,
    path: 'full',
    text: edit("asyncapi: '2.6.0'", "asyncapi: '2.5.0'").replace('id: 8, reason', 'id: 0, reason'),
  },
  {
    name: 'AsyncAPI 3.0.0 document (the full parser)',
    target: 'asyncapi3',
    rejected: true,
    path: 'full',
    text: `asyncapi: 3.0.0
info: { title: Three, version: '1.0.0' }
channels:
  users:
    address: 'users/{userId}?x=1'
    messages:
      userCreated:
        payload: { type: object, properties: { id: { type: integer } } }
        examples:
          - payload: { id: nope }
operations:
  receive:
    action: listen
    channel: { $ref: '#/channels/users' }
`,
  },
];

/** Mutations of the bundled spec: each costs the full parser seconds, so there are few. */
export const BUNDLED_CASES: Case[] = [
  { name: 'bundled spec', target: '(valid)', rejected: false, text: bundled() },
  {
    name: 'bundled spec: an example with the wrong event literal and a missing required key',
    target: 'asyncapi2-message-examples',
    rejected: true,
    text: (() => {
      const text = bundled();
      const match = /\n( +)event: call\.created\n/.exec(text);
      if (!match) throw new Error('corpus: no call.created example in the bundled spec');
      // The literal no longer matches the payload's `const`, and the first two examples lose their `token`.
      return text
        .replace(match[0], `\n${match[1]}event: call.creatd\n`)
        .replace(/\n +token: '0123456789abcdef0123456789abcdef'\n/, '\n')
        .replace(/\n +token: '0123456789abcdef0123456789abcdef'\n/, '\n');
    })(),
  },
];

/**
 * A document with a node at every `given` path of the rules whose paths the fast path evaluates itself
 * (components.channels, message traits, messageTraits, parameters, null and primitive entries, ...).
 */
export const GIVEN_COVERAGE = `asyncapi: '2.6.0'
info: { title: Coverage, version: '1.0.0' }
channels:
  'a/{id}':
    parameters:
      id: { schema: { type: string, default: x, examples: [x] } }
    publish:
      message:
        payload: { type: object, default: {}, examples: [{}] }
        traits:
          - { headers: { type: object }, examples: [{ headers: {} }] }
          - null
    subscribe:
      message:
        oneOf:
          - { payload: { type: string } }
          - { schemaFormat: 'application/schema+json;version=draft-07', payload: { type: string }, examples: [{ payload: x }] }
          - null
          - { traits: [{ examples: [] }, { schemaFormat: x }] }
  b:
    publish:
      message:
        schemaFormat: 'application/vnd.aai.asyncapi;version=2.6.0'
        payload: { type: number, default: 1 }
    subscribe:
      message: 5
  c: 7
  d: [1, { publish: { message: { payload: {} } } }, { z: { subscribe: { message: { payload: {} } } } }]
  f:
    x-extra:
      deeper:
        publish: { message: { payload: { type: string }, examples: [{ payload: 1 }] } }
    publish:
      message:
        payload:
          type: object
          properties:
            subscribe:
              type: object
              properties:
                message: { type: object }
components:
  channels:
    e:
      parameters:
        p: { schema: { default: 1 } }
      x-deep: { subscribe: { message: { payload: {} } } }
      subscribe:
        message:
          payload: { examples: [1] }
          oneOf: [{ payload: { default: 2 } }, { schemaFormat: y }]
          traits: [{}]
  schemas:
    S: { type: string, default: s, examples: [s] }
    T: true
    U: { examples: nope }
  parameters:
    q: { schema: { examples: [1], default: 1 } }
  messages:
    m1: { payload: { default: 1 }, traits: [{ headers: {} }, null] }
    m2: null
    m3: { schemaFormat: z, payload: { default: 1, examples: [1] } }
  messageTraits:
    t1: { payload: { default: 1 } }
    t2: { schemaFormat: w, payload: { examples: [] } }
    t3: null
`;

export const COVERAGE_CASE: Case = {
  name: 'odd shapes at every given path',
  target: '(all enumerated rules)',
  rejected: true,
  // `message: 5`, `examples: nope` and the unknown schema formats go to the parser's functions.
  fallsBack: ['asyncapi2-message-examples', 'asyncapi2-schema-examples', 'asyncapi2-schemas'],
  text: GIVEN_COVERAGE,
};
