// A real redis-server per test file (Debian's package), for the queue executor's system tests: a fake would not
// show what BullMQ relies on (noeviction, a restart losing the data, a refused AUTH). Each server has its own
// port and temp dir and no config file, so nothing on the machine (a system Redis, another test run) is shared.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { redisCall } from './resp';
import { makeTlsFiles, type TlsFiles } from './tls-certs';

export interface RedisServer {
  /** The address it listens on that clients should use (first bind address). */
  readonly host: string;
  readonly port: number;
  /** redis://host:port, or rediss:// for a TLS server (with :password@ when a password is set). */
  readonly url: string;
  readonly password?: string;
  /** A TLS server's CA certificate (PEM): what a client must trust (NODE_EXTRA_CA_CERTS). Undefined without TLS. */
  readonly caFile?: string;
  /** Stops the server (SIGTERM, waits for exit; SIGKILL after 5 s). Idempotent. */
  stop(): Promise<void>;
  /** Stops and starts it again on the same port and binds, with an empty dataset (a Redis restart between runs). */
  restart(): Promise<void>;
  /** The server's log so far (for assertion messages). */
  log(): string;
}

export interface RedisOptions {
  /** Addresses to bind; default ['127.0.0.1']. A namespace test binds 127.0.0.1 and the host side of the veth. */
  readonly bind?: readonly string[];
  readonly password?: string;
  /**
   * TLS only (`--port 0`, the port is the TLS port): a throw-away CA and a certificate for 127.0.0.1 and
   * localhost, made with openssl. Clients need not present a certificate (`--tls-auth-clients no`).
   */
  readonly tls?: boolean;
}

const STOP_GRACE_MS = 5000;
const READY_TIMEOUT_MS = 10_000;
/** Tries with a fresh port (startRedis) or the same one (restart) when another process took it in the meantime. */
const PORT_ATTEMPTS = 5;

/** The path of redis-server; throws, naming the package to install, when it is missing (the tests fail, not skip: CI installs it). */
export function redisServerPath(): string {
  for (const dir of ['/usr/bin', ...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean)]) {
    const candidate = path.join(dir, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder; try the next
    }
  }
  throw new Error('redis-server is not installed, and the queue tests need a real one: apt-get install redis-server');
}

/** A key prefix unique to one test (tests share a server, never keys): `pt-test-<label>-<random>`. */
export function uniquePrefix(label: string): string {
  // BullMQ joins prefix and names with ':', so a label with one would read as two key levels.
  return `pt-test-${label.replace(/[^A-Za-z0-9_-]+/g, '-')}-${randomBytes(6).toString('hex')}`;
}

/** Starts redis-server on a free port with `--save ''`, `--appendonly no`, `--maxmemory-policy noeviction`, its own temp dir as `dir`, no config file; resolves when it answers PING. */
export async function startRedis(options: RedisOptions = {}): Promise<RedisServer> {
  const bind = [...(options.bind ?? ['127.0.0.1'])];
  if (bind.length === 0) throw new Error('startRedis: bind needs at least one address');
  const command = redisServerPath();
  for (let attempt = 1; ; attempt++) {
    const server = new LocalRedis(command, await freePort(bind[0]), bind, options);
    if (await server.start()) return server;
    await server.stop(); // its certificates, for a TLS server: the next attempt makes its own
    // Another process took the port between our probe and Redis's bind: ask the OS for another.
    if (attempt === PORT_ATTEMPTS) throw new Error(`redis-server found no free port in ${PORT_ATTEMPTS} attempts:\n${server.log()}`);
  }
}

/** A port the OS considers free on `host` now (listen on 0, close). Redis binds it a moment later, so callers retry on EADDRINUSE. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Servers still running, killed when the test process exits: a test that forgets stop() leaks no redis-server. */
const running = new Set<ChildProcess>();
/** TLS servers' certificate folders not yet removed by stop(). */
const certDirs = new Set<string>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
  for (const dir of certDirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * setpriv (util-linux) makes the kernel SIGKILL redis-server when the test process dies, even by SIGKILL,
 * where no exit handler runs. It execs redis-server, so the pid stays the server's. Without it we spawn directly.
 */
const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((candidate) => {
  try {
    accessSync(candidate, constants.X_OK);
    return true;
  } catch {
    return false;
  }
});

/** One redis-server process: its temp dir and whether it exited. */
interface Run {
  readonly child: ChildProcess;
  readonly dir: string;
  readonly exited: Promise<void>;
  stopped?: Promise<void>;
}

class LocalRedis implements RedisServer {
  readonly host: string;
  readonly url: string;
  readonly password: string | undefined;
  readonly caFile: string | undefined;
  private output = '';
  private current: Run | undefined;
  /**
   * The TLS server's CA and certificate, in a folder of their own that lives until stop(): not in a run's temp
   * dir, because restart() must keep the same CA, which clients were already given.
   */
  private readonly tlsFiles: (TlsFiles & { readonly dir: string }) | undefined;

  constructor(
    private readonly command: string,
    readonly port: number,
    private readonly bind: readonly string[],
    options: RedisOptions,
  ) {
    this.host = bind[0];
    this.password = options.password;
    if (options.tls) {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-redis-tls-'));
      certDirs.add(dir);
      this.tlsFiles = { dir, ...makeTlsFiles(dir) };
      this.caFile = this.tlsFiles.caFile;
    }
    const auth = this.password === undefined ? '' : `:${encodeURIComponent(this.password)}@`;
    // An IPv6 address needs brackets in a URL.
    this.url = `${options.tls ? 'rediss' : 'redis'}://${auth}${this.host.includes(':') ? `[${this.host}]` : this.host}:${port}`;
  }

  log(): string {
    return this.output;
  }

  async stop(): Promise<void> {
    await this.halt();
    if (this.tlsFiles) {
      rmSync(this.tlsFiles.dir, { recursive: true, force: true });
      certDirs.delete(this.tlsFiles.dir);
    }
  }

  /** Stops the current process, keeping the certificates (restart). */
  private halt(): Promise<void> {
    if (!this.current) return Promise.resolve();
    const run = this.current;
    run.stopped ??= terminate(run);
    return run.stopped;
  }

  async restart(): Promise<void> {
    await this.halt();
    for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
      if (await this.start()) return;
      // Someone bound our port while the server was down (an outgoing connection's ephemeral port, say): wait for it to go.
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
    throw new Error(`redis-server could not bind port ${this.port} again after a restart:\n${this.output}`);
  }

  /** Starts the process; true once it answers, false when its port was taken (it exited); throws on other failures. */
  async start(): Promise<boolean> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-redis-'));
    const args = [
      ...this.portArgs(),
      ...['--bind', ...this.bind, '--dir', dir, '--daemonize', 'no'],
      // The queue's data only: nothing written to disk, nothing evicted (BullMQ requires noeviction).
      ...['--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'],
      // Redis 7 refuses (DENIED) clients from a non-loopback address when no password is set, even with an
      // explicit bind; the binds already limit who can connect (loopback and our own veth addresses).
      ...['--protected-mode', 'no'],
      ...(this.password === undefined ? [] : ['--requirepass', this.password]),
    ];
    const child = setpriv
      ? spawn(setpriv, ['--pdeathsig', 'KILL', '--', this.command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(this.command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    const before = this.output.length;
    const append = (chunk: Buffer): void => {
      this.output += chunk.toString();
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    const exited = new Promise<void>((resolve) => {
      child.once('error', (error) => {
        this.output += `could not start ${this.command}: ${error.message}\n`;
        running.delete(child);
        resolve();
      });
      child.once('exit', () => {
        running.delete(child);
        resolve();
      });
    });
    const run: Run = { child, dir, exited };
    this.current = run;
    const answer = await this.ready(run);
    if (answer === true) return true;
    await this.halt();
    if (/Address already in use/.test(this.output.slice(before))) return false;
    throw new Error(`redis-server did not start on ${this.host}:${this.port} (last answer: ${answer}):\n${this.output.slice(before)}`);
  }

  /** `--port P`, or for TLS no plain port at all and the TLS port with our certificate and CA. */
  private portArgs(): string[] {
    if (!this.tlsFiles) return ['--port', String(this.port)];
    const { certFile, keyFile, caFile } = this.tlsFiles;
    return ['--port', '0', '--tls-port', String(this.port), '--tls-cert-file', certFile, '--tls-key-file', keyFile, '--tls-ca-cert-file', caFile, '--tls-auth-clients', 'no'];
  }

  /**
   * Polls PING until this very process answers: INFO's process_id must be its pid, or a server someone else
   * runs on the same port (we lost a race for it) would pass for ours.
   */
  private async ready(run: Run): Promise<true | string> {
    let exited = false;
    void run.exited.then(() => (exited = true));
    const deadline = Date.now() + READY_TIMEOUT_MS;
    // What the last try got, for the error when it never answers (a DENIED or NOAUTH reply is not in its log).
    let last = 'none';
    while (!exited && Date.now() < deadline) {
      try {
        const [pong, info] = await redisCall(this, [['PING'], ['INFO', 'server']], 1000);
        if (pong === 'PONG' && typeof info === 'string' && new RegExp(`^process_id:${run.child.pid}\\r?$`, 'm').test(info)) return true;
        last = pong === 'PONG' ? 'PONG from another process on this port' : JSON.stringify(pong).slice(0, 300);
      } catch (error) {
        last = String(error); // mostly: not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return exited ? `${last}; it exited` : last;
  }
}

/** SIGTERM, then SIGKILL if it has not exited within STOP_GRACE_MS; removes its temp dir. */
async function terminate(run: Run): Promise<void> {
  if (run.child.exitCode === null && run.child.signalCode === null && run.child.pid !== undefined) {
    run.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), STOP_GRACE_MS)));
    if ((await Promise.race([run.exited, late])) === 'late') {
      run.child.kill('SIGKILL');
      await run.exited;
    }
    clearTimeout(timer);
  }
  rmSync(run.dir, { recursive: true, force: true });
}
