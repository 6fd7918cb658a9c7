import type { ShapeTable } from './shape.js';

/** The intermediate model: plain, sorted data that every template renders from. */

export interface EventModel {
  /** The wire name, e.g. `call.created`: the literal of the body's `event` field. */
  name: string;
  messageId: string | undefined;
  title: string;
  summary: string;
  description: string;
  /** `CallCreated`: base of every identifier for this event. */
  pascalName: string;
  /** `CallCreatedEvent`: the event's own type in events.ts. */
  typeName: string;
  /** `handleCallCreated`: the handler's export name. */
  handlerName: string;
  /** `handlers/call-created.ts`, relative to the output folder. */
  handlerFile: string;
  /** `fixtures/call.created.json` */
  fixtureFile: string;
  /** Name of the payload model produced by Modelina (may be shared by several events). */
  payloadModel: string;
  /** True when the payload schema pins `event` to this name, so the model already has the literal. */
  eventIsLiteral: boolean;
  /** The resolved payload schema (parser output, refs inlined, names annotated). */
  schema: Record<string, unknown>;
  /** A body valid for this event: the spec's first example, else one built from the schema. */
  fixture: Record<string, unknown>;
  /** Hash of the payload's canonical shape (src/model/shape.ts), to report which events changed between runs. */
  schemaHash: string;
}

export interface SpecModel {
  title: string;
  version: string;
  channelPath: string;
  operationId: string;
  /** Sorted by name. */
  events: EventModel[];
  /** Each distinct payload schema once (events may share one), named: what models.ts is rendered from. */
  payloads: Record<string, unknown>[];
  /** Every payload's canonical shape nodes, by hash (`schemaHash` is a key). */
  shapes: ShapeTable;
}
