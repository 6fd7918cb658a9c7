import type { EventChanges } from './types.js';
import { compareText } from '../shared/order.js';
import type { ShapeTable } from '../model/shape.js';
import { describeShapeChanges } from '../model/shape-diff.js';

/** Event name -> payload hash, with the shape nodes the hashes point at (absent in older manifests). */
export interface EventShapes {
  events: Record<string, string>;
  schemas?: ShapeTable | undefined;
}

/**
 * Events added, removed, or with a new payload shape since the previous run (none previous: all added),
 * and for each changed event the fields that changed. A manifest from before shapes were recorded used
 * another hash, so its hashes are not compared with shape hashes: no event is reported changed against it.
 */
export function compareEvents(previous: EventShapes | undefined, next: EventShapes): EventChanges {
  const before = new Map(Object.entries(previous?.events ?? {}));
  const after = new Map(Object.entries(next.events));
  const sorted = (names: Iterable<string>): string[] => [...names].sort(compareText);
  // Hashes of the same kind: both with shapes, or (callers that do not record shapes) both without.
  const comparable = (previous?.schemas !== undefined) === (next.schemas !== undefined);
  const changed = sorted(
    [...after]
      .filter(([name, hash]) => comparable && before.has(name) && before.get(name) !== hash)
      .map(([name]) => name),
  );
  const described = previous?.schemas !== undefined && next.schemas !== undefined;
  const details = Object.fromEntries(
    changed.map((name) => [
      name,
      !described
        ? []
        : describeShapeChanges(
            { ref: before.get(name)!, table: previous?.schemas ?? {} },
            { ref: after.get(name)!, table: next.schemas ?? {} },
          ),
    ]),
  );
  return {
    added: sorted([...after.keys()].filter((name) => !before.has(name))),
    removed: sorted([...before.keys()].filter((name) => !after.has(name))),
    changed,
    details,
  };
}
