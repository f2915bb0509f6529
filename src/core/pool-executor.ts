import * as workerpool from 'workerpool';
import type { BatchExecution, Executor, WorkerLifecycleEvent } from './executor';
import type { BatchRequest, WorkerMessage } from './types';

/**
 * Where work runs. Threads share the process: cheap to start and to talk to,
 * but a native crash (`process.abort()`, a segfault in an addon) takes the
 * whole process down with them. Child processes cost more to start and to
 * message, and contain such a crash to one worker.
 */
export type Isolation = 'thread' | 'process';

export interface PoolExecutorOptions {
  /** Path of the bundled worker script that calls `serveBatches`. */
  readonly script: string;
  readonly workers: number;
  /** Threads by default. */
  readonly isolation?: Isolation;
  /** Memory cap per worker, so one runaway file cannot take the process down. */
  readonly maxOldGenerationSizeMb?: number;
  readonly onLifecycle?: (event: WorkerLifecycleEvent) => void;
}

/**
 * workerpool reports a worker that died as a multi-line dump of its
 * properties; users get one line with what matters.
 */
export function describeWorkerError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith('Workerpool Worker terminated Unexpectedly')) {
    const code = /exitCode: `([^`]*)`/.exec(message)?.[1];
    const signal = /signalCode: `([^`]*)`/.exec(message)?.[1];
    if (signal && signal !== 'undefined' && signal !== 'null') return `the worker was killed by ${signal}`;
    return `the worker exited unexpectedly${code && code !== 'undefined' ? ` with code ${code}` : ''}`;
  }
  return message.split('\n')[0] ?? message;
}

/** How long a worker gets to exit cleanly before it is killed. */
const TERMINATE_TIMEOUT_MS = 1000;

/** Runs batches on a `workerpool` pool of worker threads or child processes. */
export class PoolExecutor implements Executor {
  readonly kind: Isolation;
  readonly concurrency: number;
  private readonly pool: workerpool.Pool;
  /** Batches handed to the pool and not yet settled. */
  private active = 0;

  constructor(options: PoolExecutorOptions) {
    this.concurrency = Math.max(1, options.workers);
    this.kind = options.isolation ?? 'thread';
    const onLifecycle = options.onLifecycle;
    const noun = this.kind === 'process' ? 'worker process' : 'worker thread';
    const heap = options.maxOldGenerationSizeMb;
    this.pool = workerpool.pool(options.script, {
      workerType: this.kind,
      maxWorkers: this.concurrency,
      workerTerminateTimeout: TERMINATE_TIMEOUT_MS,
      // Worker output (a plugin's console.log) must not mix with the CLI's
      // stdout, so it is captured and passed on as messages.
      emitStdStreams: true,
      workerThreadOpts: heap ? { resourceLimits: { maxOldGenerationSizeMb: heap } } : undefined,
      // A child process gets the same cap through its command line; no stdin, so it never waits on the terminal.
      forkOpts: { execArgv: heap ? [`--max-old-space-size=${heap}`] : [], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
      onCreateWorker: () => {
        onLifecycle?.({ type: 'worker-started', detail: `${noun} created` });
        return undefined;
      },
      onTerminateWorker: () => {
        onLifecycle?.({ type: 'worker-exited', detail: `${noun} terminated` });
      },
    });
  }

  execute<R>(request: BatchRequest, onMessage: (message: WorkerMessage<R>) => void): BatchExecution {
    let cancelled = false;
    this.active++;
    const task = this.pool.exec('runBatch', [request], {
      on: (payload: unknown) => {
        const message = toWorkerMessage<R>(payload);
        if (message) onMessage(message);
      },
    });
    const done = new Promise<void>((resolve, reject) => {
      task.then(
        () => {
          this.active--;
          resolve();
        },
        async (error: unknown) => {
          // workerpool rejects a cancelled task at once but terminates its
          // worker afterwards; report the batch as over only when the worker
          // is gone, so "done" really means the slot is free.
          if (cancelled) await this.waitForRelease();
          this.active--;
          reject(new Error(describeWorkerError(error)));
        },
      );
    });
    return {
      done,
      cancel: () => {
        cancelled = true;
        task.cancel();
      },
    };
  }

  private async waitForRelease(): Promise<void> {
    const deadline = Date.now() + 3 * TERMINATE_TIMEOUT_MS;
    while (this.pool.stats().busyWorkers > this.active - 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  stats(): { busy: number; pending: number; workers: number } {
    const stats = this.pool.stats();
    return { busy: stats.busyWorkers, pending: stats.pendingTasks, workers: stats.totalWorkers };
  }

  async terminate(): Promise<void> {
    await this.pool.terminate(true, TERMINATE_TIMEOUT_MS);
  }
}

/** Messages from a worker are untyped at the boundary: accept only the shapes we know. */
function toWorkerMessage<R>(payload: unknown): WorkerMessage<R> | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const record = payload as Record<string, unknown>;
  if (typeof record.stdout === 'string') return { type: 'output', stream: 'stdout', text: record.stdout };
  if (typeof record.stderr === 'string') return { type: 'output', stream: 'stderr', text: record.stderr };
  if ((record.type === 'file-start' || record.type === 'file-done') && typeof record.file === 'string') {
    return payload as WorkerMessage<R>;
  }
  return undefined;
}
