import type { AsyncAPIDocumentInterface, MessageInterface } from '@asyncapi/parser';
import { UserError } from '../errors.js';
import { locatePointer } from '../load/locate.js';
import type { ParsedSpec } from '../load/parse-spec.js';
import { nameSchemas } from './name-schemas.js';
import { isSafeEventName, kebabCase, pascalCase, windowsSafeFileName } from './names.js';
import { sortBy } from '../shared/order.js';
import { sampleFromSchema } from './sample.js';
import { ShapeBuilder } from './shape.js';
import type { EventModel, SpecModel } from './types.js';

type Schema = Record<string, unknown>;

/** The placeholder put in every fixture's `token` field; tools swap in the real token when sending. */
export const FIXTURE_TOKEN = 'EXAMPLE_TOKEN';

function where(spec: ParsedSpec, pointer: string | undefined): string {
  if (!pointer) return spec.path;
  const position = locatePointer(spec.text, pointer);
  return position ? `${spec.path}:${position.line}:${position.column}` : `${spec.path} (at ${pointer})`;
}

function findChannel(spec: ParsedSpec) {
  const channels = spec.document
    .channels()
    .all()
    .filter((c) => c.messages().length > 0);
  if (channels.length === 0) {
    throw new UserError('The spec has no channel with messages, so there is nothing to receive.', {
      location: spec.path,
      hint: "Add a channel (e.g. '/aircall/webhook') whose publish operation lists the webhook messages under message.oneOf.",
    });
  }
  if (channels.length > 1) {
    throw new UserError(
      `The spec has ${channels.length} channels with messages (${channels.map((c) => c.address() ?? c.id()).join(', ')}); aircall-gen generates a receiver for exactly one webhook channel.`,
      { location: spec.path, hint: 'Keep one channel, or split the document.' },
    );
  }
  return channels[0]!;
}

function messageText(message: MessageInterface) {
  return {
    title: message.title() ?? message.name() ?? '',
    summary: message.summary() ?? '',
    description: message.description() ?? '',
  };
}

function firstExample(message: MessageInterface): Schema | undefined {
  const example = message.examples().all()[0]?.payload();
  return typeof example === 'object' && example !== null && !Array.isArray(example) ? (example as Schema) : undefined;
}

/** Checks names, then derives every identifier and file name an event needs, failing on collisions. */
function describeEvents(
  spec: ParsedSpec,
  messages: MessageInterface[],
): Omit<EventModel, 'payloadModel' | 'eventIsLiteral' | 'schemaHash'>[] {
  const byKey = new Map<string, string>();
  const claim = (kind: string, key: string, name: string, locate: () => string) => {
    const other = byKey.get(`${kind}:${key.toLowerCase()}`);
    if (other !== undefined && other !== name) {
      throw new UserError(`Events '${other}' and '${name}' would both become the ${kind} '${key}'.`, {
        location: locate(),
        hint: 'Rename one of the messages so their names differ by more than punctuation or case.',
      });
    }
    byKey.set(`${kind}:${key.toLowerCase()}`, name);
  };

  return messages.map((message) => {
    // Locating a pointer re-reads the YAML, so it happens only on the way to an error.
    const locate = () => where(spec, message.meta().pointer);
    const name = message.name();
    if (name === undefined || name === '') {
      throw new UserError(
        'A message has no `name`; aircall-gen uses it as the `event` value that selects the handler.',
        {
          location: locate(),
          hint: 'Give the message a name equal to its event, e.g. `name: call.created`.',
        },
      );
    }
    if (!isSafeEventName(name)) {
      throw new UserError(`The message name ${JSON.stringify(name)} cannot become a file or type name.`, {
        location: locate(),
        hint: 'Use letters, digits, `.`, `_` and `-` only, starting with a letter or digit (at most 128 characters).',
      });
    }
    if (byKey.has(`event:${name}`)) {
      throw new UserError(`Two messages are named '${name}'.`, {
        location: locate(),
        hint: 'Each message needs its own event name.',
      });
    }
    byKey.set(`event:${name}`, name);
    const pascal = pascalCase(name);
    const kebab = kebabCase(name);
    claim('type', pascal, name, locate);
    claim('file', kebab, name, locate);

    const payload = message.payload()?.json() as Schema | undefined;
    if (payload === undefined || typeof payload !== 'object') {
      throw new UserError(`The message '${name}' has no payload schema.`, {
        location: locate(),
        hint: 'Add `payload:` with the JSON body schema (usually a $ref to components/schemas).',
      });
    }
    const sample = firstExample(message) ?? (sampleFromSchema(payload) as Schema);
    const fixture: Schema = { ...sample, event: name, token: FIXTURE_TOKEN };
    return {
      name,
      messageId: message.hasMessageId() ? message.id() : undefined,
      ...messageText(message),
      pascalName: pascal,
      typeName: `${pascal}Event`,
      handlerName: `handle${pascal}`,
      handlerFile: `handlers/${windowsSafeFileName(`${kebab}.ts`)}`,
      fixtureFile: `fixtures/${windowsSafeFileName(`${name}.json`)}`,
      schema: payload,
      fixture,
    };
  });
}

function eventIsPinned(schema: Schema, name: string): boolean {
  const properties = schema['properties'] as Record<string, Schema> | undefined;
  const event = properties?.['event'];
  if (!event) return false;
  if (event['const'] === name) return true;
  const values = event['enum'];
  return Array.isArray(values) && values.length === 1 && values[0] === name;
}

/** From a parsed document to the sorted event list every later stage works from. */
export function buildEvents(spec: ParsedSpec): SpecModel {
  const document: AsyncAPIDocumentInterface = spec.document;
  const channel = findChannel(spec);
  const operation = channel.operations().all()[0];
  const described = sortBy(describeEvents(spec, channel.messages().all()), (e) => e.name);
  // Naming edits schemas, so it works on a copy: the parsed document stays as the parser left it.
  // One structuredClone for all payloads keeps the objects they share (and any cycles) shared.
  const schemas = structuredClone(described.map((e) => e.schema));
  const events = described.map((e, i) => ({ ...e, schema: schemas[i]! }));

  // Hashed before naming: the hash must not see names, which depend on the other events.
  const shapes = new ShapeBuilder();
  const hashes = new Map(events.map((e) => [e.name, shapes.hash(e.schema)]));
  nameSchemas(events.map((e) => ({ schema: e.schema, fallbackName: `${e.pascalName}Payload` })));

  return {
    title: document.info().title(),
    version: document.info().version(),
    channelPath: channel.address() ?? channel.id(),
    operationId: operation?.id() ?? 'receiveWebhook',
    payloads: [...new Set(schemas)],
    events: events.map((e) => ({
      ...e,
      payloadModel: String(e.schema['x-parser-schema-id']),
      eventIsLiteral: eventIsPinned(e.schema, e.name),
      schemaHash: hashes.get(e.name)!,
    })),
    shapes: shapes.table,
  };
}
