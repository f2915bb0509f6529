import * as l10n from '@vscode/l10n';
import { errorMessage, errorName } from './errors';
import type { BatchExecution, Executor } from './executor';
import type { FailureReason, RunState } from './run-state';
import type { ScheduleOutcome, ScheduleRequest, SchedulerOptions } from './scheduler';
import type { Batch, DiscoveredFile, WorkerMessage } from './types';

/** How many times a file may take a worker down before it is reported as an error. */
const MAX_FAILURES_PER_FILE = 2;
const DEFAULT_STARTUP_ALLOWANCE_MS = 10_000;
/** Enough for a few bad files in a large run; a tool that fails on every file trips it within seconds. */
/**
 * How much longer than the file time limit a queued batch may go without news: a dead worker's lock lapses (30 s by
 * default) and the next stall check (every 30 s) puts its batch back, which ends the wait for that worker.
 */
const QUEUED_STALL_MARGIN_MS = 70_000;

export const DEFAULT_CRASH_LIMIT = { crashes: 10, windowMs: 60_000 };

type StopReason = 'cancelled' | 'failed';

/** A stopped worker's reason in words (the reason itself is a key). */
function stoppedWords(reason: Exclude<FailureReason, 'crashed'>): string {
  return reason === 'timed out'
    ? l10n.t({ message: 'timed out', comment: ['what ended a worker: its file ran past the time limit'] })
    : l10n.t({ message: 'cancelled', comment: ['what ended a worker: the run was stopped'] });
}

interface InFlight {
  readonly slot: number;
  readonly batch: Batch;
  readonly execution: BatchExecution;
  readonly pending: Map<string, DiscoveredFile>;
  readonly startedAt: number;
  /** When a worker began its first file: a queued batch's round trip counts from there, not from its wait in the queue. */
  firstStartAt?: number;
  /** Time the worker reported spending on this batch's files. */
  workMs: number;
  /** Once the batch has settled, late messages (from an abandoned in-process batch) are ignored. */
  settled?: boolean;
  current?: string;
  /** Set when we stopped the batch ourselves, so the rejection is not taken for a crash. */
  stoppedBecause?: FailureReason;
  watchdog?: NodeJS.Timeout;
}

/**
 * One call of `Scheduler.run`: the queue, the slots and the failure counts of
 * a single run, which ends by calling `resolve` exactly once. Every change of
 * what the user sees goes through `RunState`; this class only decides what
 * runs where and what happens when a batch ends.
 */
export class ScheduledRun<R> {
  /** Files to run again on their own, ahead of the source's batches. */
  private readonly retries: DiscoveredFile[] = [];
  /** Free slots; popped from the end, so slot 0 is taken first. */
  private readonly idle: number[] = [];
  private readonly inFlight = new Map<number, InFlight>();
  /** How many times each file has taken a worker down. */
  private readonly failures = new Map<string, number>();
  /** Slots whose worker has finished a batch, so the next round trip is not a cold start. */
  private readonly warm = new Set<number>();
  /** When workers were lost, for the crash limit. */
  private readonly losses: number[] = [];
  private readonly crashLimit: { readonly crashes: number; readonly windowMs: number };
  private nextBatchId = 1;
  private sourceEmpty = false;
  private stopping: StopReason | undefined;
  private fatalError: string | undefined;
  private graceTimer: NodeJS.Timeout | undefined;
  private finished = false;
  private readonly onAbort = (): void => this.stopAll('cancelled', this.options.cancelGraceMs);

  constructor(
    private readonly executor: Executor,
    private readonly state: RunState<R>,
    private readonly options: SchedulerOptions,
    private readonly request: ScheduleRequest,
    private readonly resolve: (outcome: ScheduleOutcome) => void,
  ) {
    for (let slot = executor.concurrency - 1; slot >= 0; slot--) this.idle.push(slot);
    this.crashLimit = options.crashLimit ?? DEFAULT_CRASH_LIMIT;
  }

  begin(): void {
    if (this.request.signal?.aborted) {
      this.stopAll('cancelled', 0);
      return;
    }
    this.request.signal?.addEventListener('abort', this.onAbort);
    this.dispatch();
  }

  /** Fills every idle slot, and ends the run once nothing is running and nothing is left to start. */
  private dispatch(): void {
    while (!this.stopping && this.idle.length > 0) {
      const batch = this.nextBatch();
      if (!batch) break;
      this.launch(this.idle.pop() as number, batch);
    }
    if (this.inFlight.size === 0 && (this.stopping || (this.retries.length === 0 && this.sourceEmpty))) this.finish();
  }

  private nextBatch(): Batch | undefined {
    const retry = this.retries.shift();
    if (retry) return { id: this.nextBatchId++, files: [retry], bytes: retry.size };
    if (this.sourceEmpty) return undefined;
    const batch = this.request.batches.next();
    if (!batch) {
      this.sourceEmpty = true;
      return undefined;
    }
    return { ...batch, id: this.nextBatchId++ };
  }

  private launch(slot: number, batch: Batch): void {
    const { request } = this;
    const files = batch.files.map((f) => f.path);
    this.state.apply({ type: 'batch-start', slot, batchId: batch.id, files });
    const pending = new Map(batch.files.map((f) => [f.path, f]));
    // Messages can only arrive after `execute` returns, so `flight` is set by then.
    const holder: { flight?: InFlight } = {};
    const sources = request.sources && batchSources(files, request.sources);
    const explicit = batch.files.filter((f) => f.explicit).map((f) => f.path);
    const execution = this.executor.execute<R>(
      { kind: request.kind, root: request.root, options: request.options, files, ...(sources ? { sources } : {}), ...(explicit.length > 0 ? { explicit } : {}) },
      (message) => {
        if (holder.flight && !holder.flight.settled) this.onMessage(holder.flight, message);
      },
    );
    const flight: InFlight = { slot, batch, execution, pending, startedAt: performance.now(), workMs: 0 };
    holder.flight = flight;
    this.inFlight.set(slot, flight);
    // A queued batch waits for a worker elsewhere for as long as it takes; its time limit starts with its first file.
    if (!this.executor.queued) this.armWatchdog(flight, this.options.fileTimeoutMs + (this.options.startupAllowanceMs ?? DEFAULT_STARTUP_ALLOWANCE_MS));
    execution.done
      .then(
        () => {
          flight.settled = true;
          this.onBatchDone(flight);
        },
        (error: unknown) => {
          flight.settled = true;
          this.onBatchFailed(flight, error);
        },
      )
      .finally(() => this.release(flight));
  }

  private onMessage(flight: InFlight, message: WorkerMessage<R>): void {
    const { slot } = flight;
    switch (message.type) {
      case 'file-start':
        flight.firstStartAt ??= performance.now();
        flight.current = message.file;
        // On a queue the worker enforces the limit itself; ours is the backstop for a worker that is gone and whose
        // batch no one put back, so it waits for BullMQ's stall check first.
        this.armWatchdog(flight, this.options.fileTimeoutMs + (this.executor.queued ? QUEUED_STALL_MARGIN_MS : 0));
        this.state.apply({ type: 'file-start', slot, file: message.file, threadId: message.threadId });
        return;
      case 'file-done': {
        flight.current = undefined;
        const file = flight.pending.get(message.file);
        if (!file) return;
        flight.pending.delete(message.file);
        flight.workMs += message.durationMs;
        this.request.batches.observeFile(file, message.durationMs);
        this.state.apply({ type: 'file-done', slot, file: message.file, outcome: message.outcome, durationMs: message.durationMs });
        if (message.outcome.status === 'error' && message.outcome.fatal) {
          this.fatalError = message.outcome.message;
          this.stopAll('failed', 0);
        }
        return;
      }
      case 'requeued':
        // It waits for another worker for as long as the queue makes it; its time limit starts again with its next file.
        if (flight.watchdog) clearTimeout(flight.watchdog);
        flight.current = undefined;
        return;
      case 'output':
        this.state.apply({ type: 'output', stream: message.stream, text: message.text });
        return;
    }
  }

  private onBatchDone(flight: InFlight): void {
    // A batch that returned without reporting some files lost them
    // somewhere; treat that like a crash so they are retried.
    if (flight.pending.size > 0) {
      this.onBatchFailed(flight, new Error(flight.stoppedBecause ?? l10n.t('worker returned without results')));
      return;
    }
    // A batch on a fresh worker includes its start-up, which is not a per-batch cost.
    const from = this.executor.queued ? (flight.firstStartAt ?? flight.startedAt) : flight.startedAt;
    if (this.warm.has(flight.slot)) this.request.batches.observeBatch(performance.now() - from, flight.workMs);
    this.warm.add(flight.slot);
    this.state.apply({ type: 'batch-end', slot: flight.slot, batchId: flight.batch.id });
  }

  /** The slot is free again, whatever became of its batch. */
  private release(flight: InFlight): void {
    if (flight.watchdog) clearTimeout(flight.watchdog);
    this.inFlight.delete(flight.slot);
    this.idle.push(flight.slot);
    this.dispatch();
  }

  /** A worker crashed, was terminated for hanging or on cancel, or lost files: count the loss, then retry or report its files. */
  private onBatchFailed(flight: InFlight, error: unknown): void {
    const reason: FailureReason = flight.stoppedBecause ?? 'crashed';
    const detail = reason === 'crashed' ? errorMessage(error) : stoppedWords(reason);
    this.state.apply({ type: 'worker-failed', slot: flight.slot, reason, file: flight.current, detail });
    if (reason !== 'cancelled' && !this.stopping) this.countLoss(flight, detail);
    this.warm.delete(flight.slot);
    const left = [...flight.pending.values()];
    if (left.length === 0) return;
    if (this.stopping) {
      this.state.apply({ type: 'file-cancelled', files: left.map((f) => f.path) });
      return;
    }
    // A worker that ran out of heap did not crash: the file is too big for the cap, and the executor's message says which cap.
    const outOfMemory = reason === 'crashed' && errorName(error) === 'WorkerOutOfMemoryError';
    // A queued batch the queue gave up on after its workers stopped answering again and again: its message says so.
    // With one file, that file alone took them down each time, which settles it as two local crashes do.
    const stalled = reason === 'crashed' && errorName(error) === 'BatchStalledError';
    const weight = stalled && flight.batch.files.length === 1 ? MAX_FAILURES_PER_FILE : 1;
    this.retryOrReport(
      flight,
      left,
      (count) =>
        reason === 'timed out'
          ? l10n.t('Timed out after {0} s, {1} times; the worker was terminated', Math.round(this.options.fileTimeoutMs / 1000), count)
          : outOfMemory
            ? detail
            : stalled
              ? `${detail.charAt(0).toUpperCase()}${detail.slice(1)}`
              : reason === 'crashed'
                ? l10n.t('The worker crashed while processing this file, {0} times ({1})', count, detail)
                : l10n.t('The worker cancelled while processing this file, {0} times ({1})', count, detail),
      weight,
    );
  }

  /** Stops the run once workers are lost too often: restarting forever would spin the CPU and flood the log. */
  private countLoss(flight: InFlight, detail: string): void {
    const { losses, crashLimit } = this;
    const now = performance.now();
    losses.push(now);
    while (losses.length > 0 && (losses[0] as number) < now - crashLimit.windowMs) losses.shift();
    if (losses.length >= crashLimit.crashes) {
      const seconds = Math.round(crashLimit.windowMs / 1000);
      this.fatalError = flight.current
        ? l10n.t('Workers were lost {0} times within {1} s (last: {2} on {3}); stopped restarting them for this run', losses.length, seconds, detail, flight.current)
        : l10n.t('Workers were lost {0} times within {1} s (last: {2}); stopped restarting them for this run', losses.length, seconds, detail);
      this.stopAll('failed', 0);
    }
  }

  /**
   * Blames the file the worker was on; if it never began one, blames them all,
   * so a worker that cannot even start still ends the run. A blamed file that
   * has failed too often is reported with `message(count)`; the rest run again. `weight`: how many failures
   * this one counts as.
   */
  private retryOrReport(flight: InFlight, left: readonly DiscoveredFile[], message: (count: number) => string, weight: number): void {
    const blamed = flight.current ? left.filter((f) => f.path === flight.current) : left;
    const retry: DiscoveredFile[] = [];
    for (const file of left) {
      if (!blamed.includes(file)) {
        retry.push(file);
        continue;
      }
      const count = (this.failures.get(file.path) ?? 0) + weight;
      this.failures.set(file.path, count);
      if (count >= MAX_FAILURES_PER_FILE) {
        this.state.apply({ type: 'file-done', slot: flight.slot, file: file.path, outcome: { status: 'error', message: message(count) }, durationMs: 0 });
      } else {
        retry.push(file);
      }
    }
    this.requeueSingly(retry);
  }

  private requeueSingly(files: readonly DiscoveredFile[]): void {
    // Retried files go to the front: they were due already, and running
    // them alone pins down which one breaks a worker.
    this.retries.unshift(...files);
    for (const file of files) this.state.apply({ type: 'file-retry', file: file.path, attempt: (this.failures.get(file.path) ?? 0) + 1 });
  }

  private armWatchdog(flight: InFlight, ms: number): void {
    if (flight.watchdog) clearTimeout(flight.watchdog);
    flight.watchdog = setTimeout(() => {
      flight.stoppedBecause = 'timed out';
      flight.execution.cancel();
    }, ms);
  }

  /** Cancels what has not started; running batches get `graceMs` to finish before their workers are stopped. */
  private stopAll(reason: StopReason, graceMs: number): void {
    if (this.stopping) return;
    this.stopping = reason;
    this.cancelQueued();
    const terminateRunning = (): void => {
      for (const flight of this.inFlight.values()) {
        flight.stoppedBecause = 'cancelled';
        flight.execution.cancel();
      }
    };
    if (graceMs > 0 && this.inFlight.size > 0) this.graceTimer = setTimeout(terminateRunning, graceMs);
    else terminateRunning();
    if (this.inFlight.size === 0) this.finish();
  }

  private cancelQueued(): void {
    const files = [...this.retries.splice(0), ...this.request.batches.drain()].map((f) => f.path);
    this.sourceEmpty = true;
    if (files.length > 0) this.state.apply({ type: 'file-cancelled', files });
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.request.signal?.removeEventListener('abort', this.onAbort);
    const phase = this.stopping ?? 'completed';
    this.state.apply({ type: 'run-end', phase, error: this.fatalError });
    this.resolve({ phase, error: this.fatalError });
  }
}

/** The unsaved editor contents of the batch's files, if any. */
function batchSources(files: readonly string[], sources: ReadonlyMap<string, string>): Record<string, string> | undefined {
  let picked: Record<string, string> | undefined;
  for (const file of files) {
    const text = sources.get(file);
    if (text !== undefined) (picked ??= {})[file] = text;
  }
  return picked;
}
