import type { BatchExecution, Executor } from '../core/executor';
import type { Isolation } from '../core/pool-executor';
import type { TunedPool } from '../core/tuned-pool';
import type { BatchRequest, WorkerMessage } from '../core/types';
import type { DaemonConnection } from './connection';
import type { ConfigStamps } from './fingerprint';
import type { DaemonMessage, PoolSpec } from './wire';

interface Flight {
  readonly id: number;
  readonly request: BatchRequest;
  readonly onMessage: (message: WorkerMessage<unknown>) => void;
  /** Files not reported done yet: what a local pool runs if the daemon goes away. */
  readonly pending: Set<string>;
  cancelled: boolean;
  /** Handed to the daemon (else it is still waiting for the connection). */
  sent: boolean;
  local?: BatchExecution;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * How long the daemon gets to confirm a cancelled batch (it terminates the worker: well under a second). A daemon
 * that does not is hung (stopped, swapping): the connection is dropped and what it held runs here.
 */
const CANCEL_REPLY_MS = 5000;

export interface DaemonExecutorOptions {
  /** Connects (starting the daemon if that is the plan); undefined: run locally. Called with the first batch. */
  readonly open: () => Promise<DaemonConnection | undefined>;
  readonly pool: Omit<PoolSpec, 'fingerprint'>;
  readonly fingerprint: () => Promise<string>;
  readonly stamps: ConfigStamps;
  /** The pool this run would have used without a daemon: for batches the daemon cannot take. */
  readonly localPool: () => TunedPool;
  readonly log: (line: string) => void;
}

/**
 * Runs batches on the workspace daemon's warm pool. Everything else about the
 * run (discovery, cache, progress, signals, exit codes) stays in the client.
 * If the daemon cannot be reached, or goes away mid-run, the batches run on a
 * local pool instead (only the files it had not reported done): a run never
 * ends green with files missing, and never fails only because the daemon did.
 */
export class DaemonExecutor implements Executor {
  readonly kind: Isolation;
  readonly concurrency: number;
  private readonly flights = new Map<number, Flight>();
  private nextId = 1;
  private target: Promise<DaemonConnection | undefined> | undefined;
  private fingerprint: Promise<string> | undefined;
  private local: TunedPool | undefined;
  private terminated = false;
  private gaveUp = false;

  constructor(private readonly options: DaemonExecutorOptions) {
    this.kind = options.pool.isolation;
    this.concurrency = Math.max(1, options.pool.workers);
  }

  execute<R>(request: BatchRequest, onMessage: (message: WorkerMessage<R>) => void): BatchExecution {
    const id = this.nextId++;
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const flight: Flight = { id, request, onMessage: onMessage as (message: WorkerMessage<unknown>) => void, pending: new Set(request.files), cancelled: false, sent: false, resolve, reject };
    this.flights.set(id, flight);
    void done.then(
      () => this.flights.delete(id),
      () => this.flights.delete(id),
    );
    void this.route(flight);
    return { done, cancel: () => this.cancel(flight) };
  }

  private async route(flight: Flight): Promise<void> {
    const [connection, fingerprint, configs] = await Promise.all([this.connect(), (this.fingerprint ??= this.options.fingerprint()), this.options.stamps.forFiles(flight.request.files)]).catch(
      (error: unknown) => {
        this.giveUp(error);
        return [undefined, '', {}] as const;
      },
    );
    if (flight.cancelled) return flight.reject(new Error('cancelled'));
    if (!connection || connection.closed) return this.runLocally(flight);
    connection.send({ type: 'batch', id: flight.id, pool: { ...this.options.pool, fingerprint }, configs, request: flight.request });
    flight.sent = true;
  }

  private connect(): Promise<DaemonConnection | undefined> {
    this.target ??= this.options.open().then(
      (connection) => {
        if (!connection) return undefined;
        if (this.terminated) {
          connection.close();
          return undefined;
        }
        connection.onMessage((message) => this.onDaemonMessage(message));
        connection.onClose(() => this.onLost(connection));
        return connection;
      },
      (error: unknown) => {
        this.giveUp(error);
        return undefined;
      },
    );
    return this.target;
  }

  /** The daemon cannot be used for this run (not started, unsafe, its fingerprint unreadable): said once, then all runs here. */
  private giveUp(error: unknown): void {
    this.target = Promise.resolve(undefined);
    if (this.gaveUp) return;
    this.gaveUp = true;
    this.options.log(`parallel-tasks: not using the daemon: ${error instanceof Error ? error.message : String(error)}; running on workers here`);
  }

  private onDaemonMessage(message: DaemonMessage): void {
    if (message.type !== 'message' && message.type !== 'done' && message.type !== 'failed') return;
    const flight = this.flights.get(message.id);
    if (!flight || flight.local) return;
    if (message.type === 'message') {
      if (message.message.type === 'file-done') flight.pending.delete(message.message.file);
      flight.onMessage(message.message);
    } else if (message.type === 'done') {
      flight.resolve();
    } else {
      // Errors cross as name and message, which is all the scheduler reads (a worker crash, out of memory).
      flight.reject(Object.assign(new Error(message.error.message), { name: message.error.name ?? 'Error' }));
    }
  }

  /** The daemon is gone (killed, stopped by a user, crashed): what it had of ours runs here. */
  private onLost(connection: DaemonConnection): void {
    this.target = Promise.resolve(undefined);
    if (this.terminated) return;
    const lost = [...this.flights.values()].filter((flight) => flight.sent && !flight.local);
    if (lost.length > 0) this.options.log(`parallel-tasks: the daemon (pid ${connection.pid}) went away mid-run; its ${lost.length} batch(es) run here instead`);
    for (const flight of lost) {
      if (flight.cancelled) flight.reject(new Error('cancelled'));
      else this.runLocally(flight);
    }
  }

  private runLocally(flight: Flight): void {
    const files = flight.request.files.filter((file) => flight.pending.has(file));
    if (files.length === 0) return flight.resolve();
    this.local ??= this.options.localPool();
    const explicit = flight.request.explicit?.filter((file) => flight.pending.has(file));
    const request: BatchRequest = { ...flight.request, files, ...(explicit ? { explicit } : {}) };
    flight.local = this.local.execute(request, (message) => {
      if (message.type === 'file-done') flight.pending.delete(message.file);
      flight.onMessage(message);
    });
    flight.local.done.then(flight.resolve, flight.reject);
    if (flight.cancelled) flight.local.cancel();
  }

  private cancel(flight: Flight): void {
    if (flight.cancelled) return;
    flight.cancelled = true;
    if (flight.local) flight.local.cancel();
    else if (flight.sent) void this.target?.then((connection) => connection && this.cancelOn(connection, flight));
  }

  private cancelOn(connection: DaemonConnection, flight: Flight): void {
    connection.send({ type: 'cancel', id: flight.id });
    const timer = setTimeout(() => {
      if (!this.flights.has(flight.id) || flight.local || connection.closed) return;
      this.options.log(`parallel-tasks: the daemon (pid ${connection.pid}) did not answer for ${CANCEL_REPLY_MS / 1000} s; no longer using it for this run`);
      connection.close();
    }, CANCEL_REPLY_MS);
    timer.unref();
  }

  stats(): { busy: number; pending: number; workers: number } {
    const local = this.local?.stats();
    return { busy: this.flights.size, pending: local?.pending ?? 0, workers: this.concurrency };
  }

  /** Closing the connection makes the daemon cancel what this run still had there; its pool stays warm. */
  async terminate(): Promise<void> {
    this.terminated = true;
    const connection = await this.target?.catch(() => undefined);
    connection?.close();
    for (const flight of this.flights.values()) if (!flight.local) flight.reject(new Error('terminated'));
    await this.local?.terminate();
  }
}
