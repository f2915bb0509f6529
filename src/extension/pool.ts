import type * as vscode from 'vscode';
import type { Executor } from '../core/executor';
import type { PoolExecutor } from '../core/pool-executor';

/**
 * Owns the worker pool. It is created on the first run, not at activation,
 * kept warm between runs, and replaced only when the worker count changes.
 */
export class PoolManager implements vscode.Disposable {
  private executor: PoolExecutor | undefined;

  constructor(
    private readonly workerScript: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** The pool for the next run; call only between runs. */
  async acquire(workers: number): Promise<Executor> {
    if (this.executor && this.executor.concurrency !== workers) {
      this.log.info(`Worker count changed to ${workers}: replacing the pool of ${this.executor.concurrency}`);
      await this.executor.terminate();
      this.executor = undefined;
    }
    if (!this.executor) {
      this.log.info(`Starting a pool of ${workers} worker thread${workers === 1 ? '' : 's'}`);
      // Loaded on the first run, not at activation: see `loadEngine` in run-controller.ts.
      const { PoolExecutor } = await import('../core/pool-executor');
      this.executor = new PoolExecutor({
        script: this.workerScript,
        workers,
        maxOldGenerationSizeMb: 4096,
        onLifecycle: (event) => this.log.info(`${event.type}: ${event.detail}`),
      });
    }
    return this.executor;
  }

  stats(): { busy: number; pending: number; workers: number } {
    return this.executor?.stats() ?? { busy: 0, pending: 0, workers: 0 };
  }

  /** Terminates the pool, giving up after `timeoutMs` so that shutting down the editor never hangs on us. */
  async shutdown(timeoutMs: number): Promise<void> {
    const executor = this.executor;
    this.executor = undefined;
    if (!executor) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      executor.terminate().catch(() => undefined),
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
