import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface EventSpec {
  name: string;
  /** Properties of `data`, as JSON Schemas. */
  data: Record<string, unknown>;
  required?: string[];
}

/** A small AsyncAPI 2.6.0 document (JSON) with one envelope per event, in the bundled spec's style. */
export function buildSpec(events: EventSpec[], title = 'Test hooks'): object {
  const pascal = (name: string) =>
    name
      .split(/[._-]/)
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join('');
  const messages: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const event of events) {
    const key = pascal(event.name);
    messages[key] = {
      name: event.name,
      messageId: key,
      title: `${key} title`,
      summary: `${event.name} happened.`,
      payload: { $ref: `#/components/schemas/${key}Webhook` },
    };
    schemas[`${key}Webhook`] = {
      title: `${key}Webhook`,
      type: 'object',
      required: ['event', 'token', 'timestamp', 'data'],
      properties: {
        event: { type: 'string', const: event.name },
        token: { type: 'string' },
        timestamp: { type: 'integer' },
        data: { title: `${key}Data`, type: 'object', required: event.required ?? [], properties: event.data },
      },
    };
  }
  return {
    asyncapi: '2.6.0',
    info: { title, version: '1.0.0' },
    channels: {
      '/hooks': {
        publish: {
          operationId: 'receiveHook',
          message: { oneOf: Object.keys(messages).map((k) => ({ $ref: `#/components/messages/${k}` })) },
        },
      },
    },
    components: { messages, schemas },
  };
}

export async function writeSpec(dir: string, name: string, events: EventSpec[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(buildSpec(events), null, 2));
  return path;
}
