// A raw HTTP/1.1 client over node:net: sends exactly the bytes a test describes (any method, any body,
// a Content-Length that lies, a body left unfinished) and parses the response.
import { connect, type Socket } from 'node:net';

export interface RawRequest {
  method?: string;
  path?: string;
  /** Sent as given (lower-case names). Content-Length is added for `body` unless given or `chunked`. */
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Announce this Content-Length, send only `body`, and keep the request open (never finish it). */
  declaredLength?: number;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const CRLF = '\r\n';

export function requestHead(request: RawRequest, host: string): { head: string; body: Buffer } {
  const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(request.body);
  const headers: Record<string, string> = { host, connection: 'close', ...request.headers };
  if (request.declaredLength !== undefined) headers['content-length'] = String(request.declaredLength);
  else if (
    request.body !== undefined &&
    headers['content-length'] === undefined &&
    headers['transfer-encoding'] === undefined
  ) {
    headers['content-length'] = String(body.length);
  }
  let head = `${request.method ?? 'POST'} ${request.path ?? '/aircall/webhook'} HTTP/1.1${CRLF}`;
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}${CRLF}`;
  return { head: head + CRLF, body };
}

/** Parses one response from `data`; null while incomplete (unless `ended`). */
export function parseResponse(data: Buffer, ended: boolean): RawResponse | null {
  const split = data.indexOf('\r\n\r\n');
  if (split === -1) {
    if (ended)
      throw new Error(
        `connection closed before a complete response: ${JSON.stringify(data.toString('latin1').slice(0, 200))}`,
      );
    return null;
  }
  const lines = data.subarray(0, split).toString('latin1').split(CRLF);
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1]);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  const rest = data.subarray(split + 4);
  if (headers['transfer-encoding']?.includes('chunked')) {
    const parts: Buffer[] = [];
    let offset = 0;
    for (;;) {
      const lineEnd = rest.indexOf(CRLF, offset);
      if (lineEnd === -1) return ended ? { status, headers, body: Buffer.concat(parts).toString('utf8') } : null;
      const size = parseInt(rest.subarray(offset, lineEnd).toString('latin1'), 16);
      if (size === 0) return { status, headers, body: Buffer.concat(parts).toString('utf8') };
      if (rest.length < lineEnd + 2 + size + 2)
        return ended ? { status, headers, body: Buffer.concat(parts).toString('utf8') } : null;
      parts.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
      offset = lineEnd + 2 + size + 2;
    }
  }
  const length = headers['content-length'];
  if (length !== undefined) {
    if (rest.length < Number(length)) return ended ? { status, headers, body: rest.toString('utf8') } : null;
    return { status, headers, body: rest.subarray(0, Number(length)).toString('utf8') };
  }
  return ended ? { status, headers, body: rest.toString('utf8') } : null;
}

/** Sends `request` on a fresh connection to 127.0.0.1:`port` and resolves with the response. */
export function rawRequest(port: number, request: RawRequest, timeoutMs = 5_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (error: Error | null, response?: RawResponse): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(response!);
    };
    const timer = setTimeout(() => finish(new Error(`no response within ${timeoutMs} ms`)), timeoutMs);
    const tryParse = (ended: boolean): void => {
      try {
        const response = parseResponse(Buffer.concat(chunks), ended);
        if (response) finish(null, response);
      } catch (error) {
        finish(error as Error);
      }
    };
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      tryParse(false);
    });
    socket.on('end', () => tryParse(true));
    socket.on('close', () => tryParse(true));
    socket.on('error', (error) => {
      // A server may reset after answering (e.g. 413 before the body was read): keep what arrived.
      if (chunks.length > 0) tryParse(true);
      else finish(error);
    });
    socket.on('connect', () => {
      const { head, body } = requestHead(request, `127.0.0.1:${port}`);
      socket.write(head);
      if (body.length > 0) socket.write(body);
    });
  });
}
