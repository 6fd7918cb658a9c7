import type { SpecDiagnostic } from './diagnostics.js';

/**
 * Messages that restate an error found elsewhere: the whole-document schema check reports every
 * sibling of a broken node as "not expected" (no oneOf branch matched), and examples cannot be
 * checked against a schema that is itself invalid. One typo otherwise prints hundreds of lines.
 */
const FOLLOW_ON: readonly [code: string, message: RegExp][] = [
  [
    'asyncapi-document-resolved',
    // The schema's other branches: the node failed one alternative, so it "misses" the others' keywords.
    /is not expected to be here|must match "(then|else|if)" schema|must match exactly one schema in oneOf|must match a schema in anyOf|must have required property "(oneOf|anyOf|allOf|\$ref)"|property type must be array$/,
  ],
  ['asyncapi2-message-examples', /schema is invalid|must be JSONType/],
  ['asyncapi2-schemas', /must match a schema in anyOf|must be array$|must match exactly one schema in oneOf/],
];

const SUGGESTS = /Did you mean/;

function isFollowOn(d: SpecDiagnostic): boolean {
  return FOLLOW_ON.some(([code, message]) => d.code === code && message.test(d.message));
}

export interface RootCauses {
  /** The errors to show, a suggested fix first, then by position. */
  shown: SpecDiagnostic[];
  /** How many errors were left out as consequences of the shown ones. */
  followOn: number;
}

/**
 * Separates the errors worth reading from their echoes: follow-on messages are dropped, and where
 * several checks flag the same spot, the one that suggests a fix stands for all of them. When
 * nothing would remain, every error is shown.
 */
export function rootCauses(errors: readonly SpecDiagnostic[]): RootCauses {
  const primary = errors.filter((d) => !isFollowOn(d));
  const at = (d: SpecDiagnostic) => `${d.line}:${d.column}`;
  const suggested = new Set(primary.filter((d) => SUGGESTS.test(d.message)).map(at));
  const seen = new Set<string>();
  const shown = primary.filter((d) => {
    if (suggested.has(at(d)) && !SUGGESTS.test(d.message)) return false;
    const key = `${at(d)} ${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (shown.length === 0) return { shown: [...errors], followOn: 0 };
  const ordered = [...shown.filter((d) => SUGGESTS.test(d.message)), ...shown.filter((d) => !SUGGESTS.test(d.message))];
  return { shown: ordered, followOn: errors.length - shown.length };
}

/** `(1 error, 276 follow-on errors not shown)` */
export function errorCountText({ shown, followOn }: RootCauses): string {
  const main = `${shown.length} error${shown.length === 1 ? '' : 's'}`;
  return followOn === 0 ? main : `${main}; ${followOn} follow-on error${followOn === 1 ? '' : 's'} not shown`;
}

/** The line printed after the shown errors when some were collapsed. */
export function followOnLine({ followOn }: RootCauses): string | undefined {
  if (followOn === 0) return undefined;
  return `... and ${followOn} follow-on error${followOn === 1 ? '' : 's'} caused by the above (the resolved document and its examples no longer match the AsyncAPI schema); they go away once it is fixed.`;
}
