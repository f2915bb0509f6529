import { isIP } from 'node:net';
import * as l10n from '@vscode/l10n';
import { errorMessage, UsageError } from '../core/errors';

/** What BullMQ and ioredis need to reach Redis, and how to name it to the user (never with the password). */
export interface QueueConnection {
  readonly host: string;
  readonly port: number;
  readonly username?: string;
  readonly password?: string;
  readonly db: number;
  readonly tls: boolean;
  /** `redis://host:port/db`, without credentials: safe to print and log. */
  readonly display: string;
}

export interface ConnectionOptions {
  /** Allows Redis without a password on an address other than loopback. */
  readonly insecure?: boolean;
  /** A password from elsewhere (VS Code's SecretStorage): used when the URL has none. */
  readonly password?: string;
}

const DEFAULT_PORT = 6379;

/** Loopback only: 127.0.0.0/8, ::1 and `localhost`. Anything else is reachable by other machines. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

/**
 * Parses `redis://[user:password@]host[:port][/db]` or `rediss://…` (TLS).
 * Redis without authentication on a non-loopback address lets anyone on the
 * network read the batches (file contents) and inject results: refused unless
 * the user says `--insecure`.
 */
export function parseQueueUrl(text: string, options: ConnectionOptions = {}): QueueConnection {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // Not echoed: what does not parse may still hold a password.
    throw new UsageError(l10n.t('--queue must be a URL: redis://[:PASSWORD@]HOST[:PORT][/DB], or rediss:// for TLS'));
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new UsageError(l10n.t('--queue must be a redis:// or rediss:// URL, got "{0}//…"', url.protocol));
  if (!url.hostname) throw new UsageError(l10n.t('--queue names no host'));
  if (url.search || url.hash) throw new UsageError(l10n.t('--queue takes no query or fragment (use rediss:// for TLS)'));
  const port = url.port ? Number(url.port) : DEFAULT_PORT;
  const dbText = url.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0 || db > 15 || !/^\d*$/.test(dbText)) throw new UsageError(l10n.t('--queue: the database must be a number from 0 to 15, got "{0}"', dbText));
  const username = url.username ? decoded(url.username) : undefined;
  const password = url.password ? decoded(url.password) : options.password;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const tls = url.protocol === 'rediss:';
  if (!password && !isLoopback(host) && !options.insecure) {
    throw new UsageError(
      l10n.t(
        'refusing Redis without a password at {0}: anyone who can reach it can read the files sent to workers and forge their results. Set a password (redis://:PASSWORD@{1}), or pass --insecure if the network is yours alone',
        host,
        url.host,
      ),
    );
  }
  return {
    host,
    port,
    db,
    tls,
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    display: `${url.protocol}//${url.host}${db ? `/${db}` : ''}`,
  };
}

/** A user name or password from the URL, percent-decoded; a bare `%` is a usage error, never a crash (nor echoed). */
function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new UsageError(l10n.t("--queue: the user name or password holds a '%' that is not percent-encoding; write it as %25 (and other reserved characters such as @ : / as %40 %3A %2F)"));
  }
}

/** ioredis options for BullMQ: `maxRetriesPerRequest: null` is what BullMQ requires of a worker's connection. */
export function redisOptions(connection: QueueConnection): Record<string, unknown> {
  return {
    host: connection.host,
    port: connection.port,
    db: connection.db,
    ...(connection.username ? { username: connection.username } : {}),
    ...(connection.password ? { password: connection.password } : {}),
    ...(connection.tls ? { tls: { servername: isIP(connection.host) ? undefined : connection.host } } : {}),
    maxRetriesPerRequest: null,
  };
}

/** How long the first contact with Redis may take before a run or a worker gives up on it. */
const PROBE_TIMEOUT_MS = 5000;

/**
 * Connects once, without retrying, and asks PING: a wrong address, a refused
 * password or a TLS mismatch is reported at once, in Redis's words, instead of
 * BullMQ retrying forever behind a silent run.
 */
export async function probeRedis(connection: QueueConnection): Promise<void> {
  try {
    await ping(connection);
  } catch (error) {
    throw queueUnusable(connection, explainFirstContact(connection, error));
  }
}

/** What a run or a worker says when Redis cannot be used, in Redis's own words and without the password. */
export function queueUnusable(connection: QueueConnection, error: unknown): UsageError {
  return new UsageError(l10n.t('cannot use the queue at {0}: {1}', connection.display, errorMessage(error)));
}

/**
 * Node's codes for a certificate chain that does not lead to a CA it trusts: a private CA (or a self-signed
 * certificate) that the process was not given. Node reads extra CAs only from NODE_EXTRA_CA_CERTS, at start-up.
 */
const UNTRUSTED_CERTIFICATE = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
]);

/**
 * Why the first connection failed, in the words of ioredis, Node or Redis, with what to do when those words
 * alone would not tell a user (only at first contact: later, a closed connection means Redis went away).
 */
function explainFirstContact(connection: QueueConnection, error: unknown): string {
  const said = errorMessage(error);
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
  if (connection.tls && code !== undefined && UNTRUSTED_CERTIFICATE.has(code)) {
    return l10n.t("the server's TLS certificate is not trusted ({0}, {1}). If a private CA signed it, start the coordinator and every worker with NODE_EXTRA_CA_CERTS=/path/to/that-ca.pem", said, code);
  }
  // A plain port reads the TLS handshake as a command that never ends, and answers nothing: the connect timer runs out.
  if (connection.tls && code === 'ETIMEDOUT') {
    return l10n.t('no TLS handshake within {0} s ({1}): the address is unreachable, or it takes plain connections only (then use redis://)', PROBE_TIMEOUT_MS / 1000, said);
  }
  // A TLS-only port hears a plain client's first command as a broken handshake and hangs up without a word of RESP.
  if (!connection.tls && (/Connection is closed/i.test(said) || code === 'ECONNRESET')) {
    return l10n.t('the server closed the connection without answering as Redis ({0}). If it takes TLS only, use rediss://', said);
  }
  return said;
}

async function ping(connection: QueueConnection): Promise<void> {
  const { Redis } = await import('ioredis');
  const client = new Redis({ ...redisOptions(connection), lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: PROBE_TIMEOUT_MS, enableOfflineQueue: false });
  // ioredis reports a failed connection as "Connection is closed"; the socket's own error says why.
  let cause: Error | undefined;
  client.on('error', (error: Error) => (cause ??= error));
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw cause ?? error;
  } finally {
    client.disconnect();
  }
}

/** The errors of a connection to Redis that went away (ioredis and Node's words), as opposed to a refusal of the command. */
const CONNECTION_LOST = /Connection is closed|max retries per request|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|LOADING|Stream isn't writeable/i;
/** How often a command is tried again while Redis does not answer. */
const RETRY_MS = 500;

/**
 * Runs `command` (its retry count given), and again while Redis is away (restarting) rather than refusing it: a
 * lost connection, or no answer to `ping` now; for up to `timeoutMs`. Any other error ends it; so does `stop`,
 * with false (true once the command went through).
 */
export async function whileRedisAway(command: (retry: number) => Promise<void>, options: { ping: () => Promise<unknown>; timeoutMs: number; stop: () => boolean }): Promise<boolean> {
  const since = Date.now();
  for (let retry = 0; ; retry++) {
    if (options.stop()) return false;
    try {
      await command(retry);
      return true;
    } catch (error) {
      const away = CONNECTION_LOST.test(errorMessage(error)) || !(await options.ping().then(() => true, () => false));
      if (!away || options.stop() || Date.now() - since >= options.timeoutMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}

/** Something that emits 'error' (an ioredis client, a BullMQ queue). */
interface ErrorEmitter {
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * Listens to clients' 'error' events and drops them: their failures reach the caller through the commands that
 * fail, and unlistened, ioredis and BullMQ print every reconnection attempt while Redis restarts.
 */
export function quietErrors(...clients: ErrorEmitter[]): void {
  for (const client of clients) client.on('error', () => undefined);
}
