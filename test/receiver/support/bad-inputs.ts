// The table of bad requests: each must get its status and must never reach a handler.
import { TOKEN, withToken } from './harness.js';
import type { RawRequest } from './http.js';

export interface BadInput {
  name: string;
  request: RawRequest;
  status: number;
  /** Set when the delivery is authentic and must be kept in quarantine (or passed to the unknown-event hook). */
  quarantined?: 'invalid' | 'unknown-event';
  /** Expected Allow header, for 405s. */
  allow?: string;
}

const JSON_TYPE = { 'content-type': 'application/json' };

/** A POST of `body` to the webhook path with a JSON content type. */
function post(body: string | Uint8Array, headers: Record<string, string> = JSON_TYPE): RawRequest {
  return { method: 'POST', path: '/aircall/webhook', headers, body };
}

/** Builds the table from a valid call.created body (token placeholder included). */
export function badInputs(valid: Record<string, unknown>, bodyLimit: number): BadInput[] {
  const good = withToken(valid);
  const with_ = (patch: Record<string, unknown>) => JSON.stringify({ ...valid, token: TOKEN, ...patch });
  const without = (key: string) => {
    const copy: Record<string, unknown> = { ...valid, token: TOKEN };
    delete copy[key];
    return JSON.stringify(copy);
  };
  const data = valid['data'] as Record<string, unknown>;
  const depth = Math.floor((bodyLimit - good.length - 400) / 2); // nested arrays that still fit under the limit
  const deep = '['.repeat(depth) + ']'.repeat(depth);
  const invalidUtf8 = Buffer.concat([
    Buffer.from(`${good.slice(0, -1)},"x":"`),
    Buffer.from([0xff, 0xfe, 0xc3]),
    Buffer.from('"}'),
  ]);

  return [
    // routing: path, method, content type, length
    {
      name: 'GET on the webhook path',
      request: { method: 'GET', path: '/aircall/webhook' },
      status: 405,
      allow: 'POST',
    },
    { name: 'PUT with a valid body', request: { ...post(good), method: 'PUT' }, status: 405, allow: 'POST' },
    { name: 'DELETE', request: { method: 'DELETE', path: '/aircall/webhook' }, status: 405, allow: 'POST' },
    { name: 'PATCH with a valid body', request: { ...post(good), method: 'PATCH' }, status: 405, allow: 'POST' },
    {
      name: 'HEAD on the webhook path',
      request: { method: 'HEAD', path: '/aircall/webhook' },
      status: 405,
      allow: 'POST',
    },
    { name: 'POST /healthz', request: { ...post(good), path: '/healthz' }, status: 405, allow: 'GET, HEAD' },
    { name: 'POST to another path', request: { ...post(good), path: '/webhook' }, status: 404 },
    { name: 'POST with a trailing slash', request: { ...post(good), path: '/aircall/webhook/' }, status: 404 },
    { name: 'POST to a longer path', request: { ...post(good), path: '/aircall/webhook/extra' }, status: 404 },
    { name: 'content type text/plain', request: post(good, { 'content-type': 'text/plain' }), status: 415 },
    {
      name: 'content type form',
      request: post(good, { 'content-type': 'application/x-www-form-urlencoded' }),
      status: 415,
    },
    {
      name: 'JSON in latin1',
      request: post(good, { 'content-type': 'application/json; charset=latin1' }),
      status: 415,
    },
    { name: 'empty content type', request: post(good, { 'content-type': '' }), status: 415 },
    {
      name: 'content type text/plain, header name in capitals',
      request: post(good, { 'CONTENT-TYPE': 'text/plain' }),
      status: 415,
    },
    {
      name: 'Content-Length over the limit',
      request: { ...post(good.slice(0, 100)), declaredLength: bodyLimit + 1 },
      status: 413,
    },
    {
      name: 'body over the limit',
      request: post(`${good.slice(0, -1)},"pad":"${'x'.repeat(bodyLimit)}"}`),
      status: 413,
    },
    // body: bytes and JSON
    { name: 'empty body', request: post(''), status: 400 },
    { name: 'truncated JSON', request: post(good.slice(0, Math.floor(good.length / 2))), status: 400 },
    { name: 'JSON cut before the last brace', request: post(good.slice(0, -1)), status: 400 },
    { name: 'not JSON', request: post(`event=call.created&token=${TOKEN}`), status: 400 },
    { name: 'single-quoted JSON', request: post(good.replaceAll('"', "'")), status: 400 },
    { name: 'a UTF-8 BOM before the JSON', request: post(`\uFEFF${good}`), status: 400 },
    { name: 'invalid UTF-8', request: post(invalidUtf8), status: 400 },
    { name: 'a JSON array', request: post(`[${good}]`), status: 400 },
    { name: 'a JSON string', request: post(JSON.stringify(good)), status: 400 },
    { name: 'JSON null', request: post('null'), status: 400 },
    { name: 'a JSON number', request: post('42'), status: 400 },
    { name: 'deeply nested arrays, no token', request: post(deep), status: 400 },
    // token
    { name: 'missing token', request: post(without('token')), status: 401 },
    {
      name: 'wrong token, same length',
      request: post(
        withToken(
          valid,
          TOKEN.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
        ),
      ),
      status: 401,
    },
    { name: 'token too short (a prefix)', request: post(withToken(valid, TOKEN.slice(0, 16))), status: 401 },
    { name: 'token too long (right token + 1)', request: post(withToken(valid, `${TOKEN}a`)), status: 401 },
    { name: 'token with whitespace', request: post(withToken(valid, ` ${TOKEN}`)), status: 401 },
    { name: 'empty token', request: post(withToken(valid, '')), status: 401 },
    { name: 'very long token', request: post(withToken(valid, 'a'.repeat(10_000))), status: 401 },
    { name: 'token as a number', request: post(with_({ token: 12345 })), status: 401 },
    { name: 'token as an array', request: post(with_({ token: [TOKEN] })), status: 401 },
    { name: 'token as null', request: post(with_({ token: null })), status: 401 },
    {
      name: 'token only under __proto__',
      request: post(`{"__proto__":{"token":"${TOKEN}"},${without('token').slice(1)}`),
      status: 401,
    },
    {
      name: 'duplicate token key, wrong one last',
      request: post(`{"token":"${TOKEN}",${good.slice(1, -1)},"token":"nope"}`),
      status: 401,
    },
    {
      name: 'wrong token and wrong types',
      request: post(JSON.stringify({ ...valid, token: 'nope', timestamp: 'x', data: 1 })),
      status: 401,
    },
    {
      name: 'wrong token, deeply nested data',
      request: post(`{"event":"call.created","token":"nope","data":${deep}}`),
      status: 401,
    },
    // envelope, with the right token
    { name: 'missing event', request: post(without('event')), status: 400 },
    { name: 'event as a number', request: post(with_({ event: 42 })), status: 400 },
    { name: 'event as null', request: post(with_({ event: null })), status: 400 },
    {
      name: 'event only under __proto__',
      request: post(`{"__proto__":{"event":"call.created"},${without('event').slice(1)}`),
      status: 400,
    },
    {
      name: 'unknown event name',
      request: post(with_({ event: 'call.exploded' })),
      status: 202,
      quarantined: 'unknown-event',
    },
    {
      name: 'event "__proto__"',
      request: post(with_({ event: '__proto__' })),
      status: 202,
      quarantined: 'unknown-event',
    },
    {
      name: 'event "constructor"',
      request: post(with_({ event: 'constructor' })),
      status: 202,
      quarantined: 'unknown-event',
    },
    {
      name: 'event "toString"',
      request: post(with_({ event: 'toString' })),
      status: 202,
      quarantined: 'unknown-event',
    },
    {
      name: 'event name in another case',
      request: post(with_({ event: 'CALL.CREATED' })),
      status: 202,
      quarantined: 'unknown-event',
    },
    // schema, with the right token: authentic, so quarantined and acknowledged
    { name: 'missing data', request: post(without('data')), status: 202, quarantined: 'invalid' },
    { name: 'missing timestamp', request: post(without('timestamp')), status: 202, quarantined: 'invalid' },
    {
      name: 'timestamp as a string',
      request: post(with_({ timestamp: '1646389737' })),
      status: 202,
      quarantined: 'invalid',
    },
    {
      name: 'timestamp 1e400 (Infinity)',
      request: post(good.replace(/"timestamp":\d+/, '"timestamp":1e400')),
      status: 202,
      quarantined: 'invalid',
    },
    {
      name: 'data.id -1e999',
      request: post(with_({ data: { ...data, id: 123456789012 } }).replace('"id":123456789012', '"id":-1e999')),
      status: 202,
      quarantined: 'invalid',
    },
    { name: 'data as an array', request: post(with_({ data: [data] })), status: 202, quarantined: 'invalid' },
    { name: 'data as a string', request: post(with_({ data: 'call' })), status: 202, quarantined: 'invalid' },
    {
      name: 'data.id as a string',
      request: post(with_({ data: { ...data, id: String(data['id']) } })),
      status: 202,
      quarantined: 'invalid',
    },
    {
      name: 'deeply nested data',
      request: post(with_({ data: 0 }).replace('"data":0', `"data":${deep}`)),
      status: 202,
      quarantined: 'invalid',
    },
  ];
}
