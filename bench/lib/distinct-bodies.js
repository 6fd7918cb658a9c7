// Distinct webhook bodies for the durable-mode loads: a real call.created whose `data.id` is new on every
// request, so each one is stored (never a duplicate). Cheap enough for the load generator: the JSON is
// serialized once, split around the id, and each body is `prefix + id + suffix` (JSON.stringify of the whole
// object per request made autocannon the bottleneck: 12.5k req/s against bare node:http, 44k with a fixed body).

/** A number that cannot occur elsewhere in the example body, replaced by each id. */
const PLACEHOLDER = 987_654_321_012_345;

/** Ids start here, one process-wide sequence: no two bodies of one bench run are equal (fixed width: 9 digits). */
const FIRST_ID = 900_000_000;
let nextId = FIRST_ID;

/**
 * Bodies of `example` with `token` set and `data.id` replaced by a fresh integer each call of `next()`.
 * Checks once that a body made this way parses to the example with that id (and nothing else changed).
 * @param {{ data: Record<string, unknown> } & Record<string, unknown>} example
 * @param {string} token
 */
export function distinctBodies(example, token) {
  const template = { ...example, data: { ...example.data, id: PLACEHOLDER }, token };
  const parts = JSON.stringify(template).split(`"id":${PLACEHOLDER}`);
  if (parts.length !== 2) throw new Error('distinct bodies: the placeholder id must occur exactly once');
  const prefix = `${parts[0]}"id":`;
  const suffix = parts[1];
  const make = (/** @type {number} */ id) => prefix + id + suffix;

  const probe = FIRST_ID - 1;
  const expected = JSON.stringify({ ...template, data: { ...template.data, id: probe } });
  if (JSON.stringify(JSON.parse(make(probe))) !== expected) {
    throw new Error('distinct bodies: a body made from prefix + id + suffix is not the example with that id');
  }
  return {
    /** The next body, with an id never used before in this process. */
    next() {
      if (nextId > 999_999_999) throw new Error('distinct bodies: ids exhausted');
      return make(nextId++);
    },
    /** How many bodies every generator of this process has made so far. */
    get made() {
      return nextId - FIRST_ID;
    },
  };
}
