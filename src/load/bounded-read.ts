import { open } from 'node:fs/promises';

/** The text of `path`, or `tooLarge(size)`'s answer when it is larger than `maxBytes`. Other errors throw. */
export async function readBoundedFile(
  path: string,
  maxBytes: number,
  tooLarge: (size: number) => string,
): Promise<string> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    return size > maxBytes ? tooLarge(size) : await file.readFile('utf8');
  } finally {
    await file.close();
  }
}

export type FetchResult = { ok: true; text: string } | { ok: false; reason: string; hint: string };

async function readBody(response: Response, maxBytes: number): Promise<string | undefined> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * GETs `url` within `timeoutMs` (connecting, waiting and reading the body together) and at most
 * `maxBytes`. Redirects are not followed: they could lead to a host the user did not allow.
 */
export async function fetchBounded(url: string, timeoutMs: number, maxBytes: number): Promise<FetchResult> {
  const retry = 'Check that the URL answers, or download the file next to the spec and refer to it by path.';
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      const to = response.headers.get('location') ?? 'an unnamed location';
      return { ok: false, reason: `it redirects to ${to}, which is not followed`, hint: 'Refer to the final URL.' };
    }
    if (!response.ok) {
      await response.body?.cancel();
      return { ok: false, reason: `the server answered ${response.status} ${response.statusText}`, hint: retry };
    }
    const text = await readBody(response, maxBytes);
    if (text === undefined) {
      return {
        ok: false,
        reason: `the response is larger than the limit of ${maxBytes} bytes`,
        hint: 'Raise `maxSpecBytes` in aircall-gen.config.json.',
      };
    }
    return { ok: true, text };
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    return {
      ok: false,
      reason: timedOut ? `no complete answer within ${timeoutMs} ms` : `it could not be fetched (${String(error)})`,
      hint: timedOut ? `${retry} The limit is \`refTimeoutMs\` in aircall-gen.config.json.` : retry,
    };
  }
}
