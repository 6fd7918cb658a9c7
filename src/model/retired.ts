import { pascalCase } from './names.js';
import type { ShapeTable } from './shape.js';
import { shapeToTypeScript } from './shape-type.js';

/** What the previous manifest remembers of events (src/write/manifest.ts). */
export interface RememberedShapes {
  events: Record<string, string>;
  retired?: Record<string, string> | undefined;
  schemas?: ShapeTable | undefined;
}

/** An event that left the spec while its handler stayed, with the body type that handler keeps. */
export interface RetiredEventModel {
  name: string;
  /** `RetiredCallCreatedEvent` */
  typeName: string;
  /** The last known shape's hash; undefined when the previous manifest did not record shapes. */
  hash: string | undefined;
  /** TypeScript type of the last known body (unformatted); undefined when unknown. */
  bodyType: string | undefined;
}

/** The retired events, sorted, each with its last known payload type from the previous manifest. */
export function describeRetired(names: readonly string[], previous: RememberedShapes | undefined): RetiredEventModel[] {
  return [...names].sort().map((name) => {
    const hash = previous?.events[name] ?? previous?.retired?.[name];
    const known = hash !== undefined && previous?.schemas?.[hash] !== undefined;
    return {
      name,
      typeName: `Retired${pascalCase(name)}Event`,
      hash: known ? hash : undefined,
      bodyType: known ? shapeToTypeScript(hash, previous!.schemas!) : undefined,
    };
  });
}
