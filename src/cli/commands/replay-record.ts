/**
 * Reading a quarantine line for `aircall-gen replay`: what to send, or why the line cannot be sent.
 * Version 2 lines (the receiver's current format) hold the body's raw text with each top-level token
 * written as `"[redacted]"` at the offsets in `tokenAt`; the token is put back there, so a body of any
 * depth is sent exactly as it was received. Version 1 lines hold the parsed body, serialized again.
 */

/** The literal a receiver writes in place of each top-level token (its REDACTED, as JSON). */
const REDACTED_LITERAL = '"[redacted]"';

/** A line ready to send, or the reason it is skipped. */
export type ReplayRecord = { readonly event: string; readonly text: string } | { readonly skip: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The v2 body text with `token` written at each of `tokenAt` (checked to hold the redaction mark). */
function putTokenBack(bodyText: string, tokenAt: unknown, token: string): string | { skip: string } {
  if (!Array.isArray(tokenAt) || tokenAt.length === 0 || !tokenAt.every((at) => Number.isSafeInteger(at)))
    return { skip: 'the line says nowhere where its token goes (tokenAt)' };
  const offsets = [...(tokenAt as number[])].sort((a, b) => a - b);
  const literal = JSON.stringify(token);
  const pieces: string[] = [];
  let copied = 0;
  for (const at of offsets) {
    if (at < copied || bodyText.slice(at, at + REDACTED_LITERAL.length) !== REDACTED_LITERAL)
      return { skip: `no redacted token at offset ${at} of its body (was the line edited?)` };
    pieces.push(bodyText.slice(copied, at), literal);
    copied = at + REDACTED_LITERAL.length;
  }
  pieces.push(bodyText.slice(copied));
  return pieces.join('');
}

/** A v1 line's body, serialized with the token; a body too deep to serialize (or one not stored) is skipped. */
function serializeV1(record: Record<string, unknown>, token: string): string | { skip: string } {
  const body = record['body'];
  if (!isObject(body)) {
    const note = typeof record['note'] === 'string' ? `: ${record['note']}` : '';
    return { skip: `the line holds no body to send${note}` };
  }
  try {
    return JSON.stringify({ ...body, token });
  } catch (error) {
    return { skip: `its body cannot be serialized (${(error as Error).message})` };
  }
}

/** What to send for one line of a quarantine file (`raw`, not empty), with `token` in it. */
export function replayRecord(raw: string, token: string): ReplayRecord {
  let record: unknown;
  try {
    record = JSON.parse(raw);
  } catch {
    return { skip: 'not a quarantine record (invalid JSON)' };
  }
  if (!isObject(record)) return { skip: 'not a quarantine record (not a JSON object)' };
  const event = typeof record['event'] === 'string' ? record['event'] : undefined;
  let text: string | { skip: string };
  if (typeof record['bodyText'] === 'string') text = putTokenBack(record['bodyText'], record['tokenAt'], token);
  else text = serializeV1(record, token);
  if (typeof text !== 'string') return text;
  const fallback = isObject(record['body']) ? record['body']['event'] : undefined;
  return { event: event ?? (typeof fallback === 'string' ? fallback : '?'), text };
}
