import type { Executor } from './executor';
import type { RunPhase, RunState } from './run-state';
import { ScheduledRun } from './scheduler-run';
import type { Batch, DiscoveredFile } from './types';

export { DEFAULT_CRASH_LIMIT } from './scheduler-run';

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

/**
 * Dispatches batches to an executor: at most `concurrency` at once, largest
 * first, the next batch going to whichever slot frees up. Failed batches are
 * split and retried file by file; files that keep killing workers are reported.
 * All state changes go through `RunState`. Each call of `run` gets its own
 * `ScheduledRun`, so runs on one scheduler share no state.
 */
export class Scheduler<R> {
  constructor(
    private readonly executor: Executor,
    private readonly state: RunState<R>,
    private readonly options: SchedulerOptions,
  ) {}

  run(request: ScheduleRequest): Promise<ScheduleOutcome> {
    return new Promise<ScheduleOutcome>((resolve) => new ScheduledRun<R>(this.executor, this.state, this.options, request, resolve).begin());
  }
}
