import type * as vscode from 'vscode';
import type { Executor } from '../core/executor';
import { workerHeapLimitForMachine } from '../core/memory';
import type { Isolation, PoolExecutor } from '../core/pool-executor';
import { loadEngine } from './load-engine';

/**
 * Owns the worker pools, one per isolation (threads, child processes). Each
 * is created on the first run that needs it, not at activation, kept warm
 * between runs, and replaced only when the worker count changes.
 */
export class PoolManager implements vscode.Disposable {
  private readonly executors = new Map<Isolation, PoolExecutor>();

  constructor(
    private readonly workerScript: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** The pool for the next run; call only between runs. */
  async acquire(workers: number, isolation: Isolation = 'thread'): Promise<Executor> {
    let executor = this.executors.get(isolation);
    if (executor && executor.concurrency !== workers) {
      this.log.info(`Worker count changed to ${workers}: replacing the ${isolation} pool of ${executor.concurrency}`);
      this.executors.delete(isolation);
      await executor.terminate();
      executor = undefined;
    }
    if (!executor) {
      // Each worker's heap is capped at its share of the memory there is now, as in the CLI.
      const heapMb = workerHeapLimitForMachine(workers);
      this.log.info(`Starting a pool of ${workers} worker ${isolation === 'process' ? 'process' : 'thread'}${workers === 1 ? '' : 's'} (heap cap ${heapMb} MB each)`);
      const { PoolExecutor } = loadEngine();
      executor = new PoolExecutor({
        script: this.workerScript,
        workers,
        isolation,
        maxOldGenerationSizeMb: heapMb,
        onLifecycle: (event) => this.log.info(`${event.type}: ${event.detail}`),
      });
      this.executors.set(isolation, executor);
    }
    return executor;
  }

  /** Both pools together: what tests check for busy or leaked workers. */
  stats(): { busy: number; pending: number; workers: number } {
    const total = { busy: 0, pending: 0, workers: 0 };
    for (const executor of this.executors.values()) {
      const stats = executor.stats();
      total.busy += stats.busy;
      total.pending += stats.pending;
      total.workers += stats.workers;
    }
    return total;
  }

  /** Terminates the pools, giving up after `timeoutMs` so that shutting down the editor never hangs on us. */
  async shutdown(timeoutMs: number): Promise<void> {
    const executors = [...this.executors.values()];
    this.executors.clear();
    if (executors.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(executors.map((e) => e.terminate().catch(() => undefined))),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    if (timer) clearTimeout(timer);
  }

  dispose(): void {
    void this.shutdown(2000);
  }
}
