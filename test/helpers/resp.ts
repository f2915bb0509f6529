// A minimal Redis client over `net` (RESP2), for the harness's readiness check and its own tests: the tests
// must see what a real client sees (CONFIG GET, NOAUTH) without an npm dependency that only the tests would use.
import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import * as tls from 'node:tls';

/** A reply: simple or bulk string, integer, nil, an error reply, or an array of replies. */
export type RespReply = string | number | null | { readonly error: string } | readonly RespReply[];

export interface RedisEndpoint {
  readonly host: string;
  readonly port: number;
  /** When set, AUTH is sent first and a refused AUTH rejects the call. */
  readonly password?: string;
  /** When set, the call goes over TLS and trusts this CA (PEM file) only: a TLS-only server (rediss://). */
  readonly caFile?: string;
}

function encode(args: readonly string[]): string {
  return `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`;
}

/** The reply starting at `at`, or undefined while it is incomplete. */
function parseAt(buf: Buffer, at: number): { value: RespReply; next: number } | undefined {
  const eol = buf.indexOf('\r\n', at);
  if (eol < 0) return undefined;
  const line = buf.toString('utf8', at + 1, eol);
  const next = eol + 2;
  switch (String.fromCharCode(buf[at])) {
    case '+':
      return { value: line, next };
    case '-':
      return { value: { error: line }, next };
    case ':':
      return { value: Number(line), next };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: null, next };
      if (buf.length < next + length + 2) return undefined;
      return { value: buf.toString('utf8', next, next + length), next: next + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, next };
      const items: RespReply[] = [];
      let cursor = next;
      for (let i = 0; i < count; i++) {
        const item = parseAt(buf, cursor);
        if (!item) return undefined;
        items.push(item.value);
        cursor = item.next;
      }
      return { value: items, next: cursor };
    }
    default:
      throw new Error(`not a RESP reply: ${JSON.stringify(buf.toString('utf8', at, Math.min(buf.length, at + 40)))}`);
  }
}

/** A plain TCP connection, or a TLS one that checks the server's certificate against the endpoint's CA (no servername for an IP: Node refuses one). */
function connect(endpoint: RedisEndpoint): net.Socket {
  if (endpoint.caFile === undefined) return net.connect({ host: endpoint.host, port: endpoint.port });
  return tls.connect({ host: endpoint.host, port: endpoint.port, ca: readFileSync(endpoint.caFile), ...(net.isIP(endpoint.host) ? {} : { servername: endpoint.host }) });
}

/**
 * Sends `commands` on one fresh connection and resolves with their replies in order (error replies included,
 * as `{ error }`). Rejects when the connection fails (the error keeps its `code`, e.g. ECONNREFUSED), when it
 * closes early, or after `timeoutMs` without all replies.
 */
export function redisCall(endpoint: RedisEndpoint, commands: readonly (readonly string[])[], timeoutMs = 5000): Promise<RespReply[]> {
  const sent = endpoint.password === undefined ? commands : [['AUTH', endpoint.password], ...commands];
  return new Promise((resolve, reject) => {
    const socket = connect(endpoint);
    let buf = Buffer.alloc(0);
    const replies: RespReply[] = [];
    let done = false;
    // The first outcome wins: destroying the socket after the replies also emits 'close'.
    const finish = (error: Error | undefined): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else if (endpoint.password === undefined) resolve(replies);
      else if (replies[0] !== 'OK') reject(new Error(`AUTH refused by ${endpoint.host}:${endpoint.port}: ${JSON.stringify(replies[0])}`));
      else resolve(replies.slice(1));
    };
    const timer = setTimeout(() => finish(new Error(`no reply from ${endpoint.host}:${endpoint.port} within ${timeoutMs} ms`)), timeoutMs);
    // Over TLS, 'connect' is the TCP connection only: the commands wait for the handshake.
    socket.on(endpoint.caFile === undefined ? 'connect' : 'secureConnect', () => socket.write(sent.map(encode).join('')));
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      try {
        let parsed = parseAt(buf, 0);
        while (parsed) {
          replies.push(parsed.value);
          buf = buf.subarray(parsed.next);
          parsed = buf.length > 0 ? parseAt(buf, 0) : undefined;
        }
      } catch (error) {
        finish(error instanceof Error ? error : new Error(String(error)));
      }
      if (replies.length >= sent.length) finish(undefined);
    });
    socket.on('error', finish);
    socket.on('close', () => {
      // The replies so far say why (Redis answers DENIED, say, then closes).
      const got = JSON.stringify(replies).slice(0, 400);
      finish(new Error(`${endpoint.host}:${endpoint.port} closed the connection after ${replies.length} of ${sent.length} replies: ${got}`));
    });
  });
}
