import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import * as l10n from '@vscode/l10n';
import { FlowProducer, Job, Queue, QueueEvents, QueueEventsProducer } from 'bullmq';
import { Redis } from 'ioredis';
import { BatchStalledError, errorMessage } from '../core/errors';
import type { BatchExecution, Executor } from '../core/executor';
import type { SharedCache } from '../core/result-cache';
import type { AnyTaskKind } from '../core/task-api';
import type { BatchRequest, WorkerMessage } from '../core/types';
import { DEFAULT_MAX_TEXT_BYTES, portablePath, prepareFiles } from './batch-files';
import { probeRedis, queueUnusable, quietErrors, redisOptions, whileRedisAway, type QueueConnection } from './connection';
import { listWorkers, markRunAlive, markRunOver, RUN_REFRESH_MS } from './presence';
import { BatchActivity, type HeldSpan } from './batch-activity';
import { RemoteBatch } from './remote-batch';
import { RunRecord } from './run-record';
import { QueueTimeoutError, WAITING_NOTICE_MS, waitForWorkers } from './wait-for-workers';
import { RedisSharedCache } from './shared-cache';
import { BATCH_QUEUE, CANCEL_EVENT, MAX_STALLS, REFUSED, RUN_QUEUE, STALLED_TOO_OFTEN, WIRE_FORMAT, type BatchJob, type WorkerIdentity, type WorkerPresence, inert } from './wire';

export interface QueueExecutorOptions {
  readonly connection: QueueConnection;
  readonly prefix: string;
  readonly root: string;
  readonly kind: AnyTaskKind;
  /** SHA-256 of our worker bundle: a worker running another build refuses the batches. */
  readonly engineBuild: string;
  /** The coordinator's cache key per file: a worker whose tools or config give another refuses the batch. */
  readonly keyFor?: (file: string) => Promise<string>;
  readonly fileTimeoutMs: number;
  readonly maxTextBytes?: number;
  /** With no worker serving the queue this long, the run ends (exit 2). */
  readonly queueTimeoutMs: number;
  /** Where "waiting for workers" goes (stderr in the CLI). */
  readonly log: (line: string) => void;
  /** The workers serving the queue, every few seconds while the run goes (the editor's status bar and panel). */
  readonly onStatus?: (status: QueueStatus) => void;
  /** Ends the wait for workers (the editor's Cancel). */
  readonly signal?: AbortSignal;
}

export interface QueueStatus {
  /** The queue's Redis, without credentials. */
  readonly queue: string;
  readonly workers: readonly WorkerPresence[];
  /** Batches waiting in the queue for a worker (every run's: workers serve them all). */
  readonly waiting?: number;
  /** Workers that held a batch of this run that BullMQ just found stalled (their lock lapsed) and put back. */
  readonly stalled?: readonly WorkerIdentity[];
  /** Sent between two listings (a stall, the run's end): `workers` is the last listing, not news of who is gone. */
  readonly partial?: true;
  /** Which worker held which batch of this run, and when: the spans that began or ended since the last status. */
  readonly spans?: readonly HeldSpan[];
}

/** How often the coordinator asks Redis about its batches: events can be missed (streams are trimmed, connections drop). */
const RECONCILE_MS = 2000;
/** Batches in flight per worker slot: one running, one waiting, so that a worker that finishes finds the next at once. */
const BATCHES_PER_SLOT = 2;
const MAX_IN_FLIGHT = 64;
/** How many times a batch Redis lost is queued again before its loss counts as a crash. */
const MAX_REQUEUES = 3;


/**
 * Runs batches on whatever workers serve a BullMQ queue on Redis: one parent
 * job per run (its record in Redis) and one child job per batch. Results come
 * from the job's return value, watched through QueueEvents and, since events
 * can be missed, by asking Redis for each batch's state every few seconds.
 */
export class QueueExecutor implements Executor {
  readonly kind = 'remote';
  readonly queued = true;
  readonly run = randomUUID();
  private readonly coordinator = `${os.hostname()}:${process.pid}`;
  private readonly batches = new Map<string, RemoteBatch>();
  private readonly record: RunRecord;
  private nextBatch = 1;
  private reconciling = false;
  /** When Redis last answered the coordinator: a long silence ends the run like a queue without workers. */
  private lastContact = Date.now();
  private timers: NodeJS.Timeout[] = [];
  private terminated: Promise<void> | undefined;
  /** Since when pending batches have had no worker to run them. */
  private unservedSince: number | undefined;
  private lastNotice = 0;
  /** Kept only for someone who shows it (the editor's panel). */
  private readonly activity: BatchActivity | undefined;

  private constructor(
    private readonly options: QueueExecutorOptions,
    readonly concurrency: number,
    private readonly queue: Queue,
    private readonly flow: FlowProducer,
    private readonly runs: Queue,
    private readonly events: QueueEvents,
    private readonly producer: QueueEventsProducer,
    private readonly redis: Redis,
    /** The workers as last listed, for a status between two rounds (a stall, the run's end). */
    private lastWorkers: readonly WorkerPresence[],
  ) {
    this.activity = options.onStatus ? new BatchActivity() : undefined;
    this.record = new RunRecord(this.run, options.prefix, flow, queue, runs, () => markRunAlive(this.redis, options.prefix, this.run));
    this.events.on('completed', ({ jobId, returnvalue }) => this.onCompleted(jobId, returnvalue));
    this.events.on('failed', ({ jobId, failedReason }) => this.onFailed(jobId, failedReason));
    this.events.on('progress', ({ jobId, data }) => {
      const batch = this.batches.get(jobId);
      batch?.progress(data);
      if (batch?.worker) this.activity?.held(jobId, batch.worker);
    });
    // BullMQ put a batch back after its worker's lock lapsed: the panel marks that worker's lane at once (the run
    // may end before the next round).
    this.events.on('stalled', ({ jobId }) => this.backInQueue(jobId, true));
    // A worker that stopped handed the batch back (moveToWait): it waits for another.
    this.events.on('waiting', ({ jobId, prev }) => {
      if (prev === 'active') this.backInQueue(jobId, false);
    });
    this.timers.push(setInterval(() => void this.reconcile(), RECONCILE_MS));
    this.timers.push(setInterval(() => void markRunAlive(this.redis, this.options.prefix, this.run).catch(() => undefined), RUN_REFRESH_MS));
  }

  /** Connects, and waits until at least one worker serves the queue (saying so every few seconds), or gives up. */
  static async open(options: QueueExecutorOptions): Promise<QueueExecutor> {
    await probeRedis(options.connection);
    // The coordinator's commands fail after a retry instead of waiting for Redis for ever: a run must end (see
    // reconcile). Only the blocking reader of events keeps retrying, as BullMQ requires of it.
    const connection = { ...redisOptions(options.connection), maxRetriesPerRequest: 1 };
    const common = { connection, prefix: options.prefix };
    const redis = new Redis({ ...connection, lazyConnect: true });
    const queue = new Queue(BATCH_QUEUE, common);
    const runs = new Queue(RUN_QUEUE, common);
    const flow = new FlowProducer(common);
    const events = new QueueEvents(BATCH_QUEUE, { ...common, connection: redisOptions(options.connection) });
    const producer = new QueueEventsProducer(BATCH_QUEUE, common);
    const close = (): Promise<unknown> => Promise.allSettled([queue.close(), runs.close(), flow.close(), events.close(), producer.close(), redis.quit()]);
    try {
      // Each client's failures reach us through its commands (reconcile, enqueue); unlistened, ioredis and BullMQ
      // would print every reconnection attempt while Redis restarts.
      quietErrors(redis, queue, runs, flow, events, producer);
      await redis.connect();
      await Promise.all([queue.waitUntilReady(), events.waitUntilReady(), producer.waitUntilReady()]);
      const swept = await RunRecord.sweep(runs, redis, options.prefix);
      if (swept > 0) options.log(`parallel-tasks: removed what ${swept} run${swept === 1 ? '' : 's'} whose coordinator stopped left in ${options.connection.display}`);
      const slots = await waitForWorkers(redis, options);
      const workers = await listWorkers(redis, options.prefix);
      options.onStatus?.({ queue: options.connection.display, workers });
      const executor = new QueueExecutor(options, Math.min(MAX_IN_FLIGHT, Math.max(2, slots * BATCHES_PER_SLOT)), queue, flow, runs, events, producer, redis, workers);
      try {
        await markRunAlive(redis, options.prefix, executor.run);
      } catch (error) {
        await executor.terminate();
        throw error;
      }
      return executor;
    } catch (error) {
      await close();
      if (error instanceof QueueTimeoutError) throw error;
      throw queueUnusable(options.connection, error);
    }
  }

  execute<R>(request: BatchRequest, onMessage: (message: WorkerMessage<R>) => void): BatchExecution {
    const batch = new RemoteBatch(this.options.root, this.options.kind, onMessage as (message: WorkerMessage<unknown>) => void);
    batch.firstFile = request.files[0];
    let cancelled = false;
    void this.submit(request, batch, () => cancelled).catch((error: unknown) => batch.fail(l10n.t('could not queue the batch: {0}', errorMessage(error))));
    return {
      done: batch.done,
      cancel: () => {
        cancelled = true;
        void this.stop(batch);
      },
    };
  }

  /**
   * Results shared with every machine of this queue (see RedisSharedCache); none for a kind whose results are
   * edits: anyone who can write to Redis could otherwise have their text written into a file.
   */
  sharedCache(): SharedCache | undefined {
    if (this.options.kind.results.view === 'edits') return undefined;
    return new RedisSharedCache(this.redis, this.options.prefix, this.options.kind, this.options.root, this.options.connection.display);
  }

  stats(): { busy: number; pending: number; workers: number } {
    return { busy: this.batches.size, pending: 0, workers: this.concurrency };
  }

  terminate(): Promise<void> {
    this.terminated ??= this.shutDown();
    return this.terminated;
  }

  private async submit(request: BatchRequest, batch: RemoteBatch, cancelled: () => boolean): Promise<void> {
    const { root } = this.options;
    const prepared = await prepareFiles(root, request.files, {
      maxTextBytes: this.options.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES,
      explicit: new Set(request.explicit ?? []),
      ...(this.options.keyFor ? { keyFor: this.options.keyFor } : {}),
      ...(request.sources ? { sources: request.sources } : {}),
    });
    for (const { file, outcome } of prepared.unreadable) batch.progressLocal(file, outcome);
    if (prepared.files.length === 0 || cancelled()) {
      batch.finishLocal(cancelled());
      return;
    }
    const data: BatchJob = {
      format: WIRE_FORMAT,
      run: this.run,
      coordinator: this.coordinator,
      kind: request.kind,
      options: this.options.kind.mapOptionPaths(request.options, (file: string) => portablePath(root, file)),
      engineBuild: this.options.engineBuild,
      fileTimeoutMs: this.options.fileTimeoutMs,
      files: prepared.files,
    };
    batch.job = data;
    await this.enqueue(batch, data);
    if (cancelled()) await this.stop(batch);
  }

  /**
   * Adds the batch to the run's record under a new job id. While Redis does not answer at all (restarting), it
   * tries again for as long as a queue may go without workers, instead of failing the batch as a crash.
   */
  private async enqueue(batch: RemoteBatch, data: BatchJob): Promise<void> {
    const jobId = `${this.run}-${this.nextBatch++}`;
    batch.jobId = jobId;
    batch.added = false;
    // In the map before it is added, so that no event about it is missed; reconciled only once it is in Redis.
    this.batches.set(jobId, batch);
    const stop = (): boolean => batch.isSettled || this.terminated !== undefined;
    const added = await whileRedisAway(
      async (retry) => {
        // After a failure Redis may have restarted empty: the run is marked alive again first, or workers would skip the batch.
        if (retry > 0) await markRunAlive(this.redis, this.options.prefix, this.run);
        await this.record.add(jobId, data, { coordinator: this.coordinator, kind: data.kind, startedAt: Date.now() });
      },
      { ping: () => this.redis.ping(), timeoutMs: this.options.queueTimeoutMs, stop },
    );
    if (added) batch.added = true;
  }

  private onCompleted(jobId: string, value: unknown): void {
    const batch = this.batches.get(jobId);
    if (!batch) return;
    batch.completed(value);
    this.forget(jobId);
  }

  private onFailed(jobId: string, failedReason: string): void {
    const batch = this.batches.get(jobId);
    if (!batch) return;
    // Written by a worker: shown to the user, so nothing in it may drive the terminal.
    const reason = inert(failedReason);
    if (reason.startsWith(REFUSED)) batch.fatal(batch.firstFile ?? this.options.root, reason);
    // BullMQ's words would tell the user nothing: its workers died or hung on it, put back each time, until the last.
    else if (reason === STALLED_TOO_OFTEN) batch.fail(new BatchStalledError(l10n.t('the workers running it stopped answering {0} times (killed, hung, or their machine gone)', MAX_STALLS + 1)));
    else batch.fail(reason);
    this.forget(jobId);
  }

  /** Stops one batch: removed while it waits, or cancelled on the worker that runs it. */
  private async stop(batch: RemoteBatch): Promise<void> {
    batch.fail('cancelled');
    const jobId = batch.jobId;
    if (!jobId) return;
    this.batches.delete(jobId);
    this.activity?.ended(jobId);
    try {
      // A job a worker holds is locked and cannot be removed: that worker is told to stop it instead.
      const removed = await this.queue.remove(jobId);
      if (removed === 0) await this.producer.publishEvent({ eventName: CANCEL_EVENT, run: this.run, job: jobId });
    } catch {
      await this.producer.publishEvent({ eventName: CANCEL_EVENT, run: this.run, job: jobId }).catch(() => undefined);
    }
  }

  private forget(jobId: string): void {
    this.batches.delete(jobId);
    this.activity?.ended(jobId);
    void this.queue.remove(jobId).catch(() => undefined);
  }

  /** A batch went back to the queue; after a stall the panel marks the lane of the worker that held it at once (the run may end before the next round). */
  private backInQueue(jobId: string, stalled: boolean): void {
    const batch = this.batches.get(jobId);
    batch?.backInQueue();
    this.activity?.ended(jobId);
    if (stalled && batch?.worker) this.partialStatus([batch.worker]);
  }

  /** A status between two listings (a stall, the run's end): the last listing, the spans since, and who stalled. */
  private partialStatus(stalled: WorkerIdentity[]): void {
    this.options.onStatus?.({ queue: this.options.connection.display, workers: this.lastWorkers, partial: true, stalled, spans: this.activity?.take() ?? [] });
  }

  /** Asks Redis what became of each batch whose outcome no event has brought, and whether any worker is left. */
  private async reconcile(): Promise<void> {
    // A slow round (a large batch's result) must not overlap the next.
    if (this.reconciling) return;
    this.reconciling = true;
    let lost = 0;
    try {
      for (const [jobId, batch] of [...this.batches]) {
        if (batch.isSettled) this.forget(jobId);
        if (batch.isSettled || !batch.added) continue;
        // The state first (cheap); the job itself, with its files' text, only once it has finished.
        const state = await this.queue.getJobState(jobId);
        if (state !== 'completed' && state !== 'failed' && state !== 'unknown') continue;
        const job = await Job.fromId(this.queue, jobId);
        if (batch.isSettled) continue;
        if (!job && this.requeue(jobId, batch)) {
          lost++;
          continue;
        }
        if (!job) batch.fail(l10n.t('the batch disappeared from the queue (removed, or Redis lost it)'));
        else if (job.failedReason) this.onFailed(jobId, job.failedReason);
        else batch.completed(job.returnvalue);
        this.forget(jobId);
      }
      await this.watchForWorkers();
      this.lastContact = Date.now();
    } catch {
      this.failIfRedisGone();
    } finally {
      this.reconciling = false;
      if (lost > 0) this.options.log(`parallel-tasks: the queue at ${this.options.connection.display} lost ${lost} batch${lost === 1 ? '' : 'es'} (Redis restarted?); queued again`);
    }
  }

  /** A batch Redis lost (restarted without persistence) is queued again, not counted as a crash of its files; false once it was too often. */
  private requeue(jobId: string, batch: RemoteBatch): boolean {
    if (!batch.job || batch.requeued >= MAX_REQUEUES) return false;
    batch.requeued++;
    this.batches.delete(jobId);
    this.activity?.ended(jobId);
    void this.enqueue(batch, batch.job).catch((error: unknown) => batch.fail(l10n.t('could not queue the batch again: {0}', errorMessage(error))));
    return true;
  }

  /** Redis silent for as long as the queue may go without workers: the run ends instead of waiting for ever. */
  private failIfRedisGone(): void {
    if (Date.now() - this.lastContact < this.options.queueTimeoutMs) return;
    for (const batch of this.batches.values()) batch.fatal(batch.firstFile ?? this.options.root, l10n.t('lost the queue at {0}: Redis did not answer for {1} s', this.options.connection.display, Math.round(this.options.queueTimeoutMs / 1000)));
  }

  private async watchForWorkers(): Promise<void> {
    const pending = [...this.batches.values()].filter((b) => !b.isSettled);
    const workers = await listWorkers(this.redis, this.options.prefix);
    this.lastWorkers = workers;
    if (this.options.onStatus) this.options.onStatus({ queue: this.options.connection.display, workers, waiting: await this.queue.getWaitingCount(), spans: this.activity?.take() ?? [] });
    if (pending.length === 0 || workers.length > 0) {
      this.unservedSince = undefined;
      return;
    }
    const now = Date.now();
    this.unservedSince ??= now;
    if (now - this.unservedSince >= this.options.queueTimeoutMs) {
      const message = l10n.t('no worker served the queue at {0} for {1} s', this.options.connection.display, Math.round(this.options.queueTimeoutMs / 1000));
      for (const batch of pending) batch.fatal(batch.firstFile ?? this.options.root, message);
    } else if (now - this.lastNotice >= WAITING_NOTICE_MS) {
      this.lastNotice = now;
      this.options.log(`parallel-tasks: waiting for workers on ${this.options.connection.display} (${pending.length} batch${pending.length === 1 ? '' : 'es'} queued)`);
    }
  }

  private async shutDown(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await Promise.allSettled([...this.batches.values()].map((batch) => this.stop(batch)));
    // The last batches' ends, which the next round would have brought: the panel's lanes end with the run.
    if (this.activity) this.partialStatus([]);
    // The run's record and what is left of its batches; a batch still held by a worker goes when that worker stops it.
    await this.record.remove().catch(() => undefined);
    await markRunOver(this.redis, this.options.prefix, this.run).catch(() => undefined);
    await Promise.allSettled([this.queue.close(), this.runs.close(), this.flow.close(), this.events.close(), this.producer.close()]);
    await this.redis.quit().catch(() => undefined);
  }
}
