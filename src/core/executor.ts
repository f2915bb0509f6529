import type { BatchRequest, WorkerMessage } from './types';

/** One batch in flight. `cancel` stops it as hard as the executor can (a thread executor terminates the worker). */
export interface BatchExecution {
  readonly done: Promise<void>;
  cancel(): void;
}

/** Lifecycle notices for logs and the UI: a worker started, or exited (on purpose or not). */
export interface WorkerLifecycleEvent {
  readonly type: 'worker-started' | 'worker-exited';
  readonly detail: string;
}

/**
 * Where batches run. The scheduler does not care: worker threads, the calling
 * thread, child processes (and later remote queues) all fit this shape,
 * because a batch and its messages are plain data.
 */
export interface Executor {
  /** `remote`: batches go through a queue to workers elsewhere (src/queue/). */
  readonly kind: 'thread' | 'process' | 'in-process' | 'command' | 'remote';
  /**
   * Batches wait in a queue before anything runs them: the scheduler starts a
   * batch's time limit at its first file, not when it is handed over.
   */
  readonly queued?: boolean;
  /** How many batches may run at once. */
  readonly concurrency: number;
  /**
   * Told the run's expected serial work before its first batch: a pool that can
   * run it in more than one way picks one here (src/core/tuned-pool.ts), and may
   * return a note for the user.
   */
  prepare?(expectedMs: number): Promise<string | undefined>;
  execute<R>(request: BatchRequest, onMessage: (message: WorkerMessage<R>) => void): BatchExecution;
  /** Busy and pending task counts, for health checks after a run. */
  stats(): { busy: number; pending: number; workers: number };
  terminate(): Promise<void>;
}
