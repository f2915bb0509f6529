import * as l10n from '@vscode/l10n';
import * as workerpool from 'workerpool';
import { WorkerOutOfMemoryError } from './errors';
import type { BatchExecution, Executor, WorkerLifecycleEvent } from './executor';
import { MESSAGES_FILE_ENV } from './messages';
import type { BatchRequest, WorkerMessage } from './types';
import { WorkerProcesses, type WorkerProcess } from './worker-processes';

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
  /** Memory cap per worker (see `workerHeapLimitMb`), so one runaway file cannot take the machine down. */
  readonly maxOldGenerationSizeMb?: number;
  /** V8/Node flags of each worker process (see worker-tuning.ts); threads share their process's V8 and take none. */
  readonly execArgv?: readonly string[];
  readonly onLifecycle?: (event: WorkerLifecycleEvent) => void;
  /**
   * The translated messages (an @vscode/l10n bundle file) the workers' own messages use: the editor's
   * `vscode.l10n.uri`. Without it, they speak English.
   */
  readonly messagesFile?: string;
}

/** A worker's environment: ours, plus where its translated messages are (see src/core/messages.ts). */
function workerEnv(messagesFile: string | undefined): NodeJS.ProcessEnv {
  return messagesFile ? { ...process.env, [MESSAGES_FILE_ENV]: messagesFile } : { ...process.env };
}

/**
 * workerpool reports a worker that died as a multi-line dump of its
 * properties; users get one line with what matters. Its own text is matched
 * in English (it is workerpool's); only our line is translated.
 */
export function describeWorkerError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith('Workerpool Worker terminated Unexpectedly')) {
    const code = /exitCode: `([^`]*)`/.exec(message)?.[1];
    const signal = /signalCode: `([^`]*)`/.exec(message)?.[1];
    if (signal && signal !== 'undefined' && signal !== 'null') return l10n.t('the worker was killed by {0}', signal);
    return code && code !== 'undefined' ? l10n.t('the worker exited unexpectedly with code {0}', code) : l10n.t('the worker exited unexpectedly');
  }
  return message.split('\n')[0] ?? message;
}

/** A worker thread stopped at its `resourceLimits`, as Node words it (ERR_WORKER_OUT_OF_MEMORY). */
const THREAD_OUT_OF_MEMORY = /Worker terminated due to reaching memory limit/;

/** The message a worker process sends first in each batch (see src/worker/serve.ts), so that we know which process runs it. */
export interface WorkerProcessHello {
  readonly type: 'worker-process';
  readonly pid: number;
}

function isHello(payload: unknown): payload is WorkerProcessHello {
  const record = payload as Partial<WorkerProcessHello> | null;
  return typeof record === 'object' && record !== null && record.type === 'worker-process' && typeof record.pid === 'number';
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
  private readonly heapMb: number | undefined;
  /** The pool's child processes (process isolation only). */
  private readonly processes = new WorkerProcesses();

  constructor(options: PoolExecutorOptions) {
    this.concurrency = Math.max(1, options.workers);
    this.kind = options.isolation ?? 'thread';
    const onLifecycle = options.onLifecycle;
    const noun = this.kind === 'process' ? 'worker process' : 'worker thread';
    const heap = options.maxOldGenerationSizeMb;
    this.heapMb = heap;
    this.pool = workerpool.pool(options.script, {
      workerType: this.kind,
      maxWorkers: this.concurrency,
      workerTerminateTimeout: TERMINATE_TIMEOUT_MS,
      // Worker output (a plugin's console.log) must not mix with the CLI's
      // stdout, so it is captured and passed on as messages.
      emitStdStreams: true,
      workerThreadOpts: { ...(heap ? { resourceLimits: { maxOldGenerationSizeMb: heap } } : {}), env: workerEnv(options.messagesFile) },
      forkOpts: {
        env: workerEnv(options.messagesFile),
        // A child process gets the same cap through its command line.
        execArgv: [...(heap ? [`--max-old-space-size=${heap}`] : []), ...(options.execArgv ?? [])],
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        // Each worker process leads a process group (and session) of its own,
        // so that whatever user code starts in it can be killed with it (see
        // WorkerProcesses), and a Ctrl+C on the terminal reaches only the CLI,
        // which then stops its workers. Windows has no process groups, and
        // there `detached` would open a console window per worker.
        detached: process.platform !== 'win32',
      },
      onCreateWorker: () => {
        onLifecycle?.({ type: 'worker-started', detail: `${noun} created` });
        // workerpool adds the new worker to its list just after this returns.
        if (this.kind === 'process') queueMicrotask(() => this.processes.adopt(this.pool));
        return undefined;
      },
      onTerminateWorker: () => {
        onLifecycle?.({ type: 'worker-exited', detail: `${noun} terminated` });
      },
    });
  }

  execute<R>(request: BatchRequest, onMessage: (message: WorkerMessage<R>) => void): BatchExecution {
    let cancelled = false;
    /** The worker process running the batch, once it has said which it is. */
    let worker: WorkerProcess | undefined;
    /** Set when the worker's own output says its heap ran out (the process's stderr may also tell `worker`). */
    let outOfHeap = false;
    this.active++;
    const task = this.pool.exec('runBatch', [request], {
      on: (payload: unknown) => {
        if (isHello(payload)) {
          worker = this.processes.get(payload.pid);
          return;
        }
        const message = toWorkerMessage<R>(payload);
        if (message?.type === 'output' && message.stream === 'stderr' && /JavaScript heap out of memory/.test(message.text)) outOfHeap = true;
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
          // V8 prints its out-of-memory line just before the process aborts; make sure it has been read.
          if (worker?.child.signalCode === 'SIGABRT') await worker.drained();
          this.active--;
          reject(this.outOfMemory(error, outOfHeap || worker?.outOfMemory === true) ?? new Error(describeWorkerError(error)));
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

  /** The error for a worker that died of heap exhaustion: it names the cap, since that is what the file ran into. */
  private outOfMemory(error: unknown, sawOutOfHeap: boolean): WorkerOutOfMemoryError | undefined {
    const message = error instanceof Error ? error.message : String(error);
    if (!sawOutOfHeap && !THREAD_OUT_OF_MEMORY.test(message)) return undefined;
    return new WorkerOutOfMemoryError(
      this.heapMb
        ? l10n.t('File too large for the memory limit ({0} MB per worker)', this.heapMb)
        : l10n.t('File too large for the memory limit (the default heap of a worker)'),
    );
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

  /** Ends every worker and, with process isolation, every process a worker started. */
  async terminate(): Promise<void> {
    try {
      await this.pool.terminate(true, TERMINATE_TIMEOUT_MS);
    } finally {
      // A worker that outlived workerpool's kill (it ignores SIGTERM): its group goes now.
      this.processes.killAll();
    }
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
