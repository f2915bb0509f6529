import type { BatchExecution, Executor } from './executor';
import { StuckFileWatchdog } from './stuck-file-watchdog';
import type { BatchRequest, WorkerMessage } from './types';

/** The worker-side batch loop, injected so the engine does not depend on the task handlers. */
export type InProcessRunner = (
  request: BatchRequest,
  emit: (message: WorkerMessage<unknown>) => void,
  shouldStop: () => boolean,
) => Promise<unknown>;

/**
 * Runs batches on the calling thread, one at a time: the serial baseline
 * (`--workers 0`). It cannot interrupt a file that hangs; cancellation and
 * timeouts take effect between files.
 */
export class InProcessExecutor implements Executor {
  readonly kind = 'in-process';
  readonly concurrency = 1;
  private busy = 0;
  private readonly watchdog: StuckFileWatchdog | undefined;

  /**
   * `stuckLimitMs`: a file still running after this long (one that never
   * yields, so that no timeout here can fire) ends the whole process; see
   * StuckFileWatchdog. Without it such a file blocks for ever.
   */
  constructor(
    private readonly runner: InProcessRunner,
    stuckLimitMs?: number,
  ) {
    this.watchdog = stuckLimitMs ? new StuckFileWatchdog(stuckLimitMs) : undefined;
  }

  execute<R>(request: BatchRequest, onMessage: (message: WorkerMessage<R>) => void): BatchExecution {
    let stopped = false;
    let abandon: (error: Error) => void = () => undefined;
    const abandoned = new Promise<never>((_, reject) => {
      abandon = reject;
    });
    this.busy++;
    // Start on a later tick, as a worker would: the caller must get the
    // execution handle before the first message arrives.
    const work = Promise.resolve()
      .then(() =>
        this.runner(
          request,
          (message) => {
            if (message.type === 'file-start') this.watchdog?.watch(message.file);
            else if (message.type === 'file-done') this.watchdog?.watch(undefined);
            onMessage(message as WorkerMessage<R>);
          },
          () => stopped,
        ),
      )
      .then(() => {
        if (stopped) throw new Error('Batch cancelled');
      });
    // A file stuck on a promise that never settles (a hung request in a plugin)
    // is abandoned on cancel or timeout, so the run can end; its later
    // messages are ignored. A synchronous endless loop cannot be stopped here.
    const done = Promise.race([work, abandoned]).finally(() => {
      this.busy--;
    });
    work.catch(() => undefined);
    return {
      done,
      cancel: () => {
        stopped = true;
        // An abandoned file no longer holds the run; a stuck one at least does not end the process.
        this.watchdog?.watch(undefined);
        abandon(new Error('Batch cancelled'));
      },
    };
  }

  stats(): { busy: number; pending: number; workers: number } {
    return { busy: this.busy, pending: 0, workers: 0 };
  }

  async terminate(): Promise<void> {
    // Work ran on the caller's thread; only the watchdog's thread is ours to end.
    await this.watchdog?.dispose();
  }
}
