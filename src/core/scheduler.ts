import { errorMessage, errorName } from './errors';
import type { BatchExecution, Executor } from './executor';
import type { FailureReason, RunPhase, RunState } from './run-state';
import type { Batch, DiscoveredFile, WorkerMessage } from './types';

export interface SchedulerOptions {
  /** A file that runs longer than this is treated as hung: its worker is terminated. */
  readonly fileTimeoutMs: number;
  /** On cancel, running batches get this long to finish before their workers are terminated. */
  readonly cancelGraceMs: number;
  /** A worker gets this long to start up and begin its first file, on top of the file timeout. */
  readonly startupAllowanceMs?: number;
  /**
   * After this many workers lost (crashed, ran out of memory, or terminated
   * for hanging) within `window`, the run stops instead of restarting more.
   */
  readonly crashLimit?: { readonly crashes: number; readonly windowMs: number };
}

/** Where the scheduler takes its next batch from; `AdaptiveBatcher` sizes each one as it is taken. */
export interface BatchSource {
  next(): Batch | undefined;
  /** Everything not yet handed out, on cancel. */
  drain(): readonly DiscoveredFile[];
  observeFile(file: DiscoveredFile, durationMs: number): void;
  observeBatch(wallMs: number, workMs: number): void;
}

export interface ScheduleRequest {
  readonly kind: string;
  readonly root: string;
  readonly options: unknown;
  readonly batches: BatchSource;
  readonly signal?: AbortSignal;
  /** Unsaved editor contents by path: sent with the batch that holds the file. */
  readonly sources?: ReadonlyMap<string, string>;
}

export interface ScheduleOutcome {
  readonly phase: Exclude<RunPhase, 'running'>;
  readonly error?: string;
}

/** How many times a file may take a worker down before it is reported as an error. */
const MAX_FAILURES_PER_FILE = 2;
const DEFAULT_STARTUP_ALLOWANCE_MS = 10_000;
/** Enough for a few bad files in a large run; a tool that fails on every file trips it within seconds. */
export const DEFAULT_CRASH_LIMIT = { crashes: 10, windowMs: 60_000 };

interface InFlight {
  readonly slot: number;
  readonly batch: Batch;
  readonly execution: BatchExecution;
  readonly pending: Map<string, DiscoveredFile>;
  readonly startedAt: number;
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
 * Dispatches batches to an executor: at most `concurrency` at once, largest
 * first, the next batch going to whichever slot frees up. Failed batches are
 * split and retried file by file; files that keep killing workers are reported.
 * All state changes go through `RunState`.
 */
export class Scheduler<R> {
  constructor(
    private readonly executor: Executor,
    private readonly state: RunState<R>,
    private readonly options: SchedulerOptions,
  ) {}

  run(request: ScheduleRequest): Promise<ScheduleOutcome> {
    return new Promise<ScheduleOutcome>((resolve) => {
      const source = request.batches;
      /** Files to run again on their own, ahead of the source's batches. */
      const retries: DiscoveredFile[] = [];
      const idle: number[] = [];
      for (let slot = this.executor.concurrency - 1; slot >= 0; slot--) idle.push(slot);
      const inFlight = new Map<number, InFlight>();
      const failures = new Map<string, number>();
      /** Slots whose worker has finished a batch, so the next round trip is not a cold start. */
      const warm = new Set<number>();
      let nextBatchId = 1;
      let sourceEmpty = false;
      /** When workers were lost, for the crash limit. */
      const losses: number[] = [];
      const crashLimit = this.options.crashLimit ?? DEFAULT_CRASH_LIMIT;
      let stopping: 'cancelled' | 'failed' | undefined;
      let fatalError: string | undefined;
      let graceTimer: NodeJS.Timeout | undefined;
      let finished = false;

      const finish = (): void => {
        if (finished) return;
        finished = true;
        if (graceTimer) clearTimeout(graceTimer);
        request.signal?.removeEventListener('abort', onAbort);
        const phase = stopping ?? 'completed';
        this.state.apply({ type: 'run-end', phase, error: fatalError });
        resolve({ phase, error: fatalError });
      };

      const cancelQueued = (): void => {
        const files = [...retries.splice(0), ...source.drain()].map((f) => f.path);
        sourceEmpty = true;
        if (files.length > 0) this.state.apply({ type: 'file-cancelled', files });
      };

      const nextBatch = (): Batch | undefined => {
        const retry = retries.shift();
        if (retry) return { id: nextBatchId++, files: [retry], bytes: retry.size };
        if (sourceEmpty) return undefined;
        const batch = source.next();
        if (!batch) {
          sourceEmpty = true;
          return undefined;
        }
        return { ...batch, id: nextBatchId++ };
      };

      const stopAll = (reason: 'cancelled' | 'failed', graceMs: number): void => {
        if (stopping) return;
        stopping = reason;
        cancelQueued();
        const terminateRunning = (): void => {
          for (const flight of inFlight.values()) {
            flight.stoppedBecause = 'cancelled';
            flight.execution.cancel();
          }
        };
        if (graceMs > 0 && inFlight.size > 0) graceTimer = setTimeout(terminateRunning, graceMs);
        else terminateRunning();
        if (inFlight.size === 0) finish();
      };

      const onAbort = (): void => stopAll('cancelled', this.options.cancelGraceMs);

      const armWatchdog = (flight: InFlight, ms: number): void => {
        if (flight.watchdog) clearTimeout(flight.watchdog);
        flight.watchdog = setTimeout(() => {
          flight.stoppedBecause = 'timed out';
          flight.execution.cancel();
        }, ms);
      };

      const requeueSingly = (files: readonly DiscoveredFile[]): void => {
        // Retried files go to the front: they were due already, and running
        // them alone pins down which one breaks a worker.
        retries.unshift(...files);
        for (const file of files) this.state.apply({ type: 'file-retry', file: file.path, attempt: (failures.get(file.path) ?? 0) + 1 });
      };

      const onBatchFailed = (flight: InFlight, error: unknown): void => {
        const reason: FailureReason = flight.stoppedBecause ?? 'crashed';
        const detail = reason === 'crashed' ? errorMessage(error) : reason;
        this.state.apply({ type: 'worker-failed', slot: flight.slot, reason, file: flight.current, detail });
        if (reason !== 'cancelled' && !stopping) {
          const now = performance.now();
          losses.push(now);
          while (losses.length > 0 && (losses[0] as number) < now - crashLimit.windowMs) losses.shift();
          if (losses.length >= crashLimit.crashes) {
            // Restarting forever would spin the CPU and flood the log: give up on this run and say why.
            fatalError = `Workers were lost ${losses.length} times within ${Math.round(crashLimit.windowMs / 1000)} s (last: ${detail}${flight.current ? ` on ${flight.current}` : ''}); stopped restarting them for this run`;
            stopAll('failed', 0);
          }
        }
        warm.delete(flight.slot);
        const left = [...flight.pending.values()];
        if (left.length === 0) return;
        if (stopping) {
          this.state.apply({ type: 'file-cancelled', files: left.map((f) => f.path) });
          return;
        }
        // Blame the file the worker was on; if it never began one, blame them all,
        // so a worker that cannot even start still ends the run.
        const blamed = flight.current ? left.filter((f) => f.path === flight.current) : left;
        const retry: DiscoveredFile[] = [];
        for (const file of left) {
          if (!blamed.includes(file)) {
            retry.push(file);
            continue;
          }
          const count = (failures.get(file.path) ?? 0) + 1;
          failures.set(file.path, count);
          if (count >= MAX_FAILURES_PER_FILE) {
            // A worker that ran out of heap did not crash: the file is too big for the cap, and the executor's message says which cap.
            const outOfMemory = reason === 'crashed' && errorName(error) === 'WorkerOutOfMemoryError';
            const message =
              reason === 'timed out'
                ? `Timed out after ${Math.round(this.options.fileTimeoutMs / 1000)} s, ${count} times; the worker was terminated`
                : outOfMemory
                  ? detail
                  : `The worker ${reason} while processing this file, ${count} times (${detail})`;
            this.state.apply({ type: 'file-done', slot: flight.slot, file: file.path, outcome: { status: 'error', message }, durationMs: 0 });
          } else {
            retry.push(file);
          }
        }
        requeueSingly(retry);
      };

      const dispatch = (): void => {
        while (!stopping && idle.length > 0) {
          const batch = nextBatch();
          if (!batch) break;
          start(idle.pop() as number, batch);
        }
        if (inFlight.size === 0 && (stopping || (retries.length === 0 && sourceEmpty))) finish();
      };

      const start = (slot: number, batch: Batch): void => {
        const files = batch.files.map((f) => f.path);
        this.state.apply({ type: 'batch-start', slot, batchId: batch.id, files });
        const pending = new Map(batch.files.map((f) => [f.path, f]));
        // Messages can only arrive after `execute` returns, so `flight` is set by then.
        const holder: { flight?: InFlight } = {};
        const onMessage = (message: WorkerMessage<R>): void => {
          const flight = holder.flight;
          if (!flight || flight.settled) return;
          switch (message.type) {
            case 'file-start':
              flight.current = message.file;
              armWatchdog(flight, this.options.fileTimeoutMs);
              this.state.apply({ type: 'file-start', slot, file: message.file, threadId: message.threadId });
              return;
            case 'file-done': {
              flight.current = undefined;
              const file = flight.pending.get(message.file);
              if (!file) return;
              flight.pending.delete(message.file);
              flight.workMs += message.durationMs;
              source.observeFile(file, message.durationMs);
              this.state.apply({ type: 'file-done', slot, file: message.file, outcome: message.outcome, durationMs: message.durationMs });
              if (message.outcome.status === 'error' && message.outcome.fatal) {
                fatalError = message.outcome.message;
                stopAll('failed', 0);
              }
              return;
            }
            case 'output':
              this.state.apply({ type: 'output', stream: message.stream, text: message.text });
              return;
          }
        };
        const sources = request.sources && batchSources(files, request.sources);
        const explicit = batch.files.filter((f) => f.explicit).map((f) => f.path);
        const execution = this.executor.execute<R>(
          { kind: request.kind, root: request.root, options: request.options, files, ...(sources ? { sources } : {}), ...(explicit.length > 0 ? { explicit } : {}) },
          onMessage,
        );
        const current: InFlight = { slot, batch, execution, pending, startedAt: performance.now(), workMs: 0 };
        holder.flight = current;
        inFlight.set(slot, current);
        armWatchdog(current, this.options.fileTimeoutMs + (this.options.startupAllowanceMs ?? DEFAULT_STARTUP_ALLOWANCE_MS));
        execution.done.then(
          () => {
            current.settled = true;
            // A batch that returned without reporting some files lost them
            // somewhere; treat that like a crash so they are retried.
            if (current.pending.size > 0) {
              onBatchFailed(current, new Error(current.stoppedBecause ?? 'worker returned without results'));
              return;
            }
            // A batch on a fresh worker includes its start-up, which is not a per-batch cost.
            if (warm.has(slot)) source.observeBatch(performance.now() - current.startedAt, current.workMs);
            warm.add(slot);
            this.state.apply({ type: 'batch-end', slot, batchId: batch.id });
          },
          (error: unknown) => {
            current.settled = true;
            onBatchFailed(current, error);
          },
        ).finally(() => {
          if (current.watchdog) clearTimeout(current.watchdog);
          inFlight.delete(slot);
          idle.push(slot);
          dispatch();
        });
      };

      if (request.signal?.aborted) {
        stopAll('cancelled', 0);
        return;
      }
      request.signal?.addEventListener('abort', onAbort);
      dispatch();
    });
  }
}

function batchSources(files: readonly string[], sources: ReadonlyMap<string, string>): Record<string, string> | undefined {
  let picked: Record<string, string> | undefined;
  for (const file of files) {
    const text = sources.get(file);
    if (text !== undefined) (picked ??= {})[file] = text;
  }
  return picked;
}
