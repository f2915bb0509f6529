import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { BatchExecution } from '../core/executor';
import { errorMessage, errorName } from '../core/errors';
import { DaemonUnavailableError, type DaemonPlace } from './paths';
import { DaemonPools } from './pools';
import { MAX_HELLO_BYTES, readLines, send, type ClientMessage, type DaemonIdentity, type DaemonStatus } from './wire';

export interface ServeOptions {
  readonly root: string;
  readonly place: DaemonPlace;
  readonly workerScript: string;
  readonly identity: DaemonIdentity;
  readonly idleTimeoutMs: number;
  readonly log: (line: string) => void;
}

/** How long a new connection has to present the token. */
const HELLO_TIMEOUT_MS = 5000;
/** How often the daemon checks that its socket is still its own (another daemon may have replaced it). */
const SOCKET_CHECK_MS = 30_000;

/** Whether something answers on `socket`: a live daemon, as opposed to a file left by a killed one. */
export function socketAnswers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection(socket);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

function listen(server: Server, socket: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Listens on the workspace's socket. A socket file nothing answers on was
 * left by a daemon that was killed: it is removed. One that answers belongs
 * to a live daemon, which keeps it: this one then has nothing to do.
 */
async function claimSocket(server: Server, socket: string): Promise<boolean> {
  try {
    await listen(server, socket);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw new DaemonUnavailableError(`cannot listen on ${socket}: ${errorMessage(error)}`);
    if (await socketAnswers(socket)) return false;
    unlinkSync(socket);
    await listen(server, socket);
    return true;
  }
}

/** The daemon: serves batches on warm pools until stopped, or idle for `idleTimeoutMs`. Resolves once it has ended. */
export async function serveDaemon(options: ServeOptions): Promise<boolean> {
  const { place, log } = options;
  const daemon = new Daemon(options);
  if (!(await claimSocket(daemon.server, place.socket))) {
    log('another daemon already serves this workspace');
    return false;
  }
  try {
    chmodSync(place.socket, 0o600);
    // Written only once the socket is ours: a client presents it first, and another user cannot read it.
    const temp = `${place.token}.${process.pid}`;
    writeFileSync(temp, daemon.token, { mode: 0o600 });
    renameSync(temp, place.token);
  } catch (error) {
    // A listening server would keep a daemon that cannot serve alive.
    daemon.server.close();
    throw error;
  }
  log(`serving ${options.root} on ${place.socket} (pid ${process.pid}, Node ${process.version}, idle timeout ${Math.round(options.idleTimeoutMs / 1000)} s)`);
  return daemon.run();
}

class Daemon {
  readonly server: Server;
  readonly token = randomBytes(32).toString('hex');
  private readonly pools: DaemonPools;
  private readonly sockets = new Set<Socket>();
  private readonly startedAt = Date.now();
  private runs = 0;
  private batches = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private ended: ((value: boolean) => void) | undefined;
  private stopping = false;

  constructor(private readonly options: ServeOptions) {
    this.pools = new DaemonPools(options.workerScript, options.log);
    this.server = createServer((socket) => this.accept(socket));
  }

  run(): Promise<boolean> {
    const inode = statSync(this.options.place.socket).ino;
    // A daemon whose socket was replaced (or removed) can no longer be reached: it ends rather than idle on.
    const check = setInterval(() => {
      const now = (() => {
        try {
          return statSync(this.options.place.socket).ino;
        } catch {
          return undefined;
        }
      })();
      if (now !== inode) void this.stop('its socket was removed or replaced');
    }, SOCKET_CHECK_MS);
    check.unref();
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(signal, () => void this.stop(`${signal} received`));
    this.armIdle();
    return new Promise((resolve) => {
      this.ended = (value) => {
        clearInterval(check);
        resolve(value);
      };
    });
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    this.armIdle();
    let authenticated = false;
    let counted = false;
    // A peer that never presents the token would keep the daemon from ever going idle.
    const helloTimer = setTimeout(() => socket.destroy(), HELLO_TIMEOUT_MS);
    const running = new Map<number, BatchExecution>();
    readLines(
      socket,
      (raw) => {
        const message = raw as ClientMessage;
        if (!authenticated) {
          clearTimeout(helloTimer);
          authenticated = this.hello(socket, message);
          return;
        }
        if (message.type === 'batch' && !counted) {
          counted = true;
          this.runs++;
        }
        try {
          this.handle(socket, message, running);
        } catch (error) {
          // A batch the daemon cannot even start (a pool that cannot be created) fails alone, not the daemon.
          this.options.log(`could not serve a ${message.type}: ${errorMessage(error)}`);
          if (message.type === 'batch') send(socket, { type: 'failed', id: message.id, error: { message: `the daemon could not run the batch: ${errorMessage(error)}` } });
        }
      },
      () => (authenticated ? Number.MAX_SAFE_INTEGER : MAX_HELLO_BYTES),
    );
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(helloTimer);
      // The client is gone (done, Ctrl+C twice, killed): what it left running is of no use to anyone.
      for (const execution of running.values()) execution.cancel();
      this.sockets.delete(socket);
      this.armIdle();
    });
  }

  private hello(socket: Socket, message: ClientMessage): boolean {
    const given = Buffer.from(message.type === 'hello' && typeof message.token === 'string' ? message.token : '');
    const expected = Buffer.from(this.token);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      send(socket, { type: 'refused', reason: 'wrong token' });
      socket.end();
      return false;
    }
    send(socket, { type: 'welcome', pid: process.pid, identity: this.options.identity });
    return true;
  }

  private handle(socket: Socket, message: ClientMessage, running: Map<number, BatchExecution>): void {
    switch (message.type) {
      case 'batch': {
        // Its pools were fingerprinted for its own folder: a batch rooted elsewhere belongs to another daemon.
        if (message.request.root !== this.options.root) throw new Error(`it serves ${this.options.root}, not ${message.request.root}`);
        this.batches++;
        const pool = this.pools.acquire(message.pool, message.configs);
        const { id } = message;
        const execution = this.pools.execute(pool, message.request, (workerMessage) => send(socket, { type: 'message', id, message: workerMessage }));
        running.set(id, execution);
        execution.done
          .then(
            () => send(socket, { type: 'done', id }),
            (error: unknown) => send(socket, { type: 'failed', id, error: { name: errorName(error), message: errorMessage(error) } }),
          )
          .finally(() => {
            running.delete(id);
            this.pools.release(pool);
            this.armIdle();
          });
        return;
      }
      case 'cancel':
        running.get(message.id)?.cancel();
        return;
      case 'status':
        send(socket, { type: 'status', status: this.status() });
        return;
      case 'stop':
        send(socket, { type: 'stopping' });
        void this.stop('asked to stop');
        return;
      default:
        socket.destroy();
    }
  }

  private status(): DaemonStatus {
    const { root, identity, idleTimeoutMs, place } = this.options;
    return { pid: process.pid, root, identity, startedAt: this.startedAt, idleTimeoutMs, runs: this.runs, batches: this.batches, connections: this.sockets.size - 1, pools: this.pools.describe(), log: place.log };
  }

  /** Idle: no client connected and nothing running. Then the timer runs; anything else stops it. */
  private armIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (this.stopping || this.sockets.size > 0 || this.pools.busy) return;
    this.idleTimer = setTimeout(() => void this.stop(`idle for ${Math.round(this.options.idleTimeoutMs / 1000)} s`), this.options.idleTimeoutMs);
  }

  private async stop(reason: string): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.options.log(`stopping: ${reason}`);
    this.server.close();
    this.removeOwnFiles();
    for (const socket of this.sockets) socket.end();
    await this.pools.terminateAll();
    for (const socket of this.sockets) socket.destroy();
    this.ended?.(true);
  }

  /** The socket and token go, unless they are already another daemon's. */
  private removeOwnFiles(): void {
    const { token } = this.options.place;
    try {
      if (readFileSync(token, 'utf8') === this.token) unlinkSync(token);
    } catch {
      // Gone already.
    }
    // server.close() unlinks the socket it listens on; a socket of another daemon at that path is left alone.
  }
}
