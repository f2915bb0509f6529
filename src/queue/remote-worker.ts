import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import { QueueEvents, UnrecoverableError, WaitingError, Worker, type Job, type QueueEventsListener } from 'bullmq';
import { Redis } from 'ioredis';
import { errorMessage } from '../core/errors';
import type { Executor } from '../core/executor';
import { sha256 } from '../core/hash';
import { workerHeapLimitForMachine } from '../core/memory';
import { PoolExecutor, type Isolation } from '../core/pool-executor';
import type { AnyTaskKind, ExternalRun } from '../core/task-api';
import * as workerpool from 'workerpool';
import type { CacheKeysRequest } from '../worker/cache-keys';
import { runBatch } from './batch-run';
import { BatchRefusal, checkKeys, keyedFiles, localRequest, readBatch, refuseLinksOut, type CheckedBatch } from './batch-check';
import { probeRedis, queueUnusable, quietErrors, redisOptions, type QueueConnection } from './connection';
import { isRunAlive, PRESENCE_REFRESH_MS, publishPresence, withdrawPresence } from './presence';
import { BATCH_QUEUE, CANCEL_EVENT, HAND_BACK, inert, MAX_STALLS, REFUSED, STALLED_TOO_OFTEN, type BatchJob, type BatchResult, type WorkerIdentity } from './wire';

export interface RemoteWorkerOptions {
  readonly connection: QueueConnection;
  readonly prefix: string;
  /** The checkout this worker serves: batches name files relative to it. */
  readonly root: string;
  /** Batches run at once, each on a worker of the local pool. */
  readonly concurrency: number;
  readonly name: string;
  /** The bundled worker script (dist/worker.js); its hash must equal the coordinator's. */
  readonly workerScript: string;
  /** How long a batch's lock lasts without renewal; BullMQ renews it at half of that. */
  readonly lockDurationMs?: number;
  /** How often this worker looks for batches whose worker died (their lock expired). */
  readonly stalledIntervalMs?: number;
  readonly log: (line: string) => void;
}

/** How long this checkout's cache keys for a batch may take (its tool's config loads once per run). */
const KEY_TIMEOUT_MS = 120_000;

type CancelListener = QueueEventsListener & { [CANCEL_EVENT]: (args: { run?: string; job?: string }, id: string) => void };

/** After a queue error is logged, the next ones are not, for this long. */
const ERROR_QUIET_MS = 5000;

/** How long a run seen alive is taken to be so without asking again; small beside its 30 s time to live. */
const ALIVE_TRUST_MS = 2000;

/**
 * Serves the queue from this machine: takes batches, runs each on the local
 * pool (threads or processes, as the kind says), and returns the results with
 * the coordinator's paths. The pool does the CPU work, so this thread stays
 * free to renew the batches' locks however heavy the files are.
 */
export class RemoteWorker {
  readonly identity: WorkerIdentity;
  private readonly engineBuild: string;
  private readonly pools = new Map<Isolation, PoolExecutor>();
  /** Custom tasks' executors, by run (see executorFor). */
  private readonly externals = new Map<string, Promise<ExternalRun>>();
  /** One thread for cache keys (see cacheKeys), started with the first batch that carries keys. */
  private keyPool: workerpool.Pool | undefined;
  /** Active batches: job id → run id, and the files each is on. */
  private readonly active = new Map<string, { run: string; busy: Set<string> }>();
  private readonly startedAt = Date.now();
  private busyMs = 0;
  private lastPresence = Date.now();
  private readonly presenceTimer: NodeJS.Timeout;
  private closing: Promise<void> | undefined;
  /** When each run was last seen alive (see runAlive). */
  private readonly aliveAt = new Map<string, number>();

  private constructor(
    private readonly options: RemoteWorkerOptions,
    private readonly worker: Worker,
    private readonly events: QueueEvents,
    private readonly redis: Redis,
  ) {
    this.identity = { host: os.hostname(), name: options.name, pid: process.pid };
    this.engineBuild = sha256(readFileSync(options.workerScript));
    // A custom event (QueueEventsProducer.publishEvent), which QueueEvents passes on under its own name.
    this.events.on<CancelListener>(CANCEL_EVENT, (args: { run?: string; job?: string }) => this.onCancel(args));
    this.presenceTimer = setInterval(() => void this.publish(), PRESENCE_REFRESH_MS);
  }

  static async start(options: RemoteWorkerOptions): Promise<RemoteWorker> {
    await probeRedis(options.connection);
    const connection = redisOptions(options.connection);
    const common = { connection, prefix: options.prefix };
    const redis = new Redis({ ...connection, lazyConnect: true });
    await redis.connect();
    const events = new QueueEvents(BATCH_QUEUE, common);
    // The processor needs the instance, which needs the worker: the holder is filled in right after.
    const holder: { self?: RemoteWorker } = {};
    const worker = new Worker(BATCH_QUEUE, (job: Job, token?: string, signal?: AbortSignal) => (holder.self as RemoteWorker).process(job, token, signal), {
      ...common,
      name: options.name,
      concurrency: options.concurrency,
      autorun: false,
      maxStalledCount: MAX_STALLS,
      ...(options.lockDurationMs ? { lockDuration: options.lockDurationMs } : {}),
      ...(options.stalledIntervalMs ? { stalledInterval: options.stalledIntervalMs } : {}),
    });
    const self = new RemoteWorker(options, worker, events, redis);
    holder.self = self;
    // While Redis restarts every reconnection fails: said once every few seconds, not hundreds of times.
    let quietUntil = 0;
    worker.on('error', (error) => {
      if (Date.now() < quietUntil) return;
      quietUntil = Date.now() + ERROR_QUIET_MS;
      options.log(`queue error: ${errorMessage(error)}`);
    });
    quietErrors(redis, events);
    // Any worker's stalled check may find another's batch: said here, the operator sees which machines keep dying.
    worker.on('stalled', (jobId) => options.log(`batch ${jobId} stalled (its worker stopped answering): put back in the queue`));
    worker.on('failed', (job, error) => {
      if (error.message === STALLED_TOO_OFTEN) options.log(`gave up on batch ${job?.id ?? ''}: its workers stopped answering ${MAX_STALLS + 1} times`);
    });
    try {
      await Promise.all([events.waitUntilReady(), worker.waitUntilReady()]);
      await self.publish();
    } catch (error) {
      await self.close(true);
      throw queueUnusable(options.connection, error);
    }
    worker.run().catch((error: unknown) => options.log(`stopped taking batches: ${errorMessage(error)}`));
    options.log(`${self.describe()}: serving ${options.connection.display} with ${options.concurrency} slot${options.concurrency === 1 ? '' : 's'} in ${options.root}`);
    return self;
  }

  describe(): string {
    return `worker ${this.identity.name} on ${this.identity.host}`;
  }

  /**
   * Takes no new batch; with `force`, stops the running ones too and puts them back in the queue, where another
   * worker takes them (see handBack), else lets them finish.
   */
  close(force = false): Promise<void> {
    if (force) this.worker.cancelAllJobs(HAND_BACK);
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    await this.worker.close();
    clearInterval(this.presenceTimer);
    await withdrawPresence(this.redis, this.options.prefix, this.presence()).catch(() => undefined);
    const externals = [...this.externals.values()].map((external) => external.then((done) => done.executor.terminate()));
    await Promise.allSettled([this.events.close(), this.keyPool?.terminate(), ...externals, ...[...this.pools.values()].map((pool) => pool.terminate())]);
    await this.redis.quit().catch(() => undefined);
  }

  private async process(job: Job, token: string | undefined, signal: AbortSignal | undefined): Promise<BatchResult> {
    const started = performance.now();
    const who = this.describe();
    const jobId = job.id ?? '';
    try {
      const { job: batch, kind, options, optionFiles } = readBatch(job.data, this.options.root, this.engineBuild, who);
      await refuseLinksOut(this.options.root, batch, optionFiles, who);
      if (!(await this.runAlive(batch.run))) {
        this.options.log(`skipped a batch of run ${batch.run}: its coordinator is gone`);
        return { worker: this.identity, files: [], output: [] };
      }
      // Active from here: a cancel of the run that comes while the keys are checked is not missed.
      const entry = { run: batch.run, busy: new Set<string>() };
      this.active.set(jobId, entry);
      // Who holds it, before any work: should this machine die now, the coordinator knows whose batch stalled. Not
      // awaited (a round trip per batch on a network hop); the command is on the wire before the work begins.
      void job.updateProgress({ worker: this.identity, attempt: job.attemptsStarted }).catch(() => undefined);
      const keyed = keyedFiles(batch, this.options.root);
      if (keyed.length > 0) checkKeys(keyed, await this.cacheKeys(batch, kind, options, keyed.map((f) => f.local)), who);
      const checked = await localRequest(batch, kind, options, this.options.root, who);
      const files = checked.job.files;
      this.options.log(`running batch ${jobId} of ${inert(checked.job.coordinator)}: ${files.length} file${files.length === 1 ? '' : 's'}${files.length <= 3 ? ` (${files.map((f) => f.path).join(', ')})` : ''}`);
      const result = await runBatch(await this.executorFor(checked), job, checked, entry.busy, signal, {
        identity: this.identity,
        root: this.options.root,
        describe: who,
        runAlive: () => isRunAlive(this.redis, this.options.prefix, batch.run),
      });
      this.options.log(`finished batch ${jobId} in ${((performance.now() - started) / 1000).toFixed(2)} s`);
      return result;
    } catch (error) {
      if (error instanceof BatchRefusal) {
        this.options.log(error.message);
        throw new UnrecoverableError(error.message);
      }
      if (signal?.aborted && signal.reason === HAND_BACK) {
        if (token !== undefined && (await this.handBack(job, token))) throw new WaitingError();
        // Not back in the queue: it fails, and the coordinator runs its files again itself.
        throw new UnrecoverableError(`${who} stopped and could not hand batch ${jobId} back to the queue`);
      }
      this.options.log(`${signal?.aborted ? 'stopped' : 'failed'} batch ${jobId}: ${errorMessage(error)}`);
      throw error;
    } finally {
      this.active.delete(jobId);
      this.busyMs += performance.now() - started;
    }
  }

  /**
   * Puts a batch this worker stopped because it is stopping back in the wait list, first in line, with BullMQ's
   * own mechanism: nothing was wrong with its files, so the coordinator must see no failure (a failure would
   * count as a crash, against the run's crash limit and the files), only another worker's answer. The caller
   * then throws WaitingError, which tells BullMQ that the job has moved, so that it does not fail it. Should the
   * move fail (the lock lost, Redis gone), the batch fails as before and the coordinator runs its files again.
   */
  private async handBack(job: Job, token: string): Promise<boolean> {
    try {
      await job.moveToWait(token);
    } catch (error) {
      this.options.log(`could not hand batch ${job.id ?? ''} back to the queue: ${errorMessage(error)}`);
      return false;
    }
    this.options.log(`handed batch ${job.id ?? ''} back to the queue: another worker runs it`);
    return true;
  }

  /**
   * Where a batch runs here: the local pool, or for a kind that brings its own executor (a custom task) that
   * executor, made from this checkout's own definition of the task, once per run.
   */
  private async executorFor(checked: CheckedBatch): Promise<Executor> {
    const { kind, job, request } = checked;
    if (!kind.external) return this.pool(kind, request.options);
    let external = this.externals.get(job.run);
    if (!external) {
      external = kind.external(request.options, this.options.root).then((prepared) => {
        if ('skip' in prepared) throw new UnrecoverableError(`${REFUSED} ${this.describe()}: this checkout has ${prepared.skip}`);
        return prepared;
      });
      this.externals.set(job.run, external);
      // Kept for the runs that still have batches here; the others' executors are ended.
      const running = new Set([...this.active.values()].map((entry) => entry.run));
      for (const [run, other] of this.externals) {
        if (run !== job.run && !running.has(run)) {
          this.externals.delete(run);
          void other.then((done) => done.executor.terminate(), () => undefined);
        }
      }
    }
    return (await external).executor;
  }

  /**
   * A pool per isolation, started on first use: the kind decides (codemods in processes, the rest in threads).
   * A queue worker sees batches, not runs, so `auto` (by the size of a run) is threads, as before it existed.
   */
  private pool(kind: AnyTaskKind, options: unknown): Executor {
    const fallback = kind.isolation(options).fallback;
    const isolation = fallback === 'auto' ? 'thread' : fallback;
    let pool = this.pools.get(isolation);
    if (!pool) {
      pool = new PoolExecutor({
        script: this.options.workerScript,
        workers: this.options.concurrency,
        isolation,
        maxOldGenerationSizeMb: workerHeapLimitForMachine(this.options.concurrency),
      });
      this.pools.set(isolation, pool);
    }
    return pool;
  }

  /**
   * This checkout's cache keys for files, computed on a thread of their own: loading the tool's config is
   * CPU work that on this thread would hold up the renewal of the batches' locks.
   */
  private cacheKeys(batch: BatchJob, kind: AnyTaskKind, options: unknown, files: readonly string[]): Promise<string[]> {
    this.keyPool ??= workerpool.pool(this.options.workerScript, { workerType: 'thread', maxWorkers: 1 });
    const request: CacheKeysRequest = { run: batch.run, kind: kind.name, options, root: this.options.root, engineBuild: this.engineBuild, files };
    // A config that hangs while it loads must not hold the batch for ever.
    return this.keyPool.exec('cacheKeys', [request]).timeout(KEY_TIMEOUT_MS) as Promise<string[]>;
  }

  /**
   * Whether the run's coordinator still says it is alive. A yes is trusted for a moment: asked before every
   * batch, the question would cost a round trip per batch, which on a network hop is most of a small batch's cost.
   */
  private async runAlive(run: string): Promise<boolean> {
    const now = Date.now();
    const seen = this.aliveAt.get(run);
    if (seen !== undefined && now - seen < ALIVE_TRUST_MS) return true;
    for (const [other, at] of this.aliveAt) if (now - at >= ALIVE_TRUST_MS) this.aliveAt.delete(other);
    const alive = await isRunAlive(this.redis, this.options.prefix, run);
    if (alive) this.aliveAt.set(run, now);
    return alive;
  }

  private onCancel({ run, job }: { run?: string; job?: string }): void {
    for (const [jobId, entry] of this.active) {
      if (entry.run === run && (job === undefined || job === jobId)) this.worker.cancelJob(jobId, 'cancelled by the coordinator');
    }
  }

  private presence() {
    const now = Date.now();
    const utilisation = Math.min(1, this.busyMs / Math.max(1, (now - this.lastPresence) * this.options.concurrency));
    return {
      worker: this.identity,
      concurrency: this.options.concurrency,
      startedAt: this.startedAt,
      busy: [...this.active.values()].flatMap((entry) => [...entry.busy]),
      utilisation,
    };
  }

  private async publish(): Promise<void> {
    const presence = this.presence();
    this.lastPresence = Date.now();
    this.busyMs = 0;
    await publishPresence(this.redis, this.options.prefix, presence).catch(() => undefined);
  }
}
