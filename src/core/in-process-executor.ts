import type { BatchExecution, Executor } from './executor';
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

  constructor(private readonly runner: InProcessRunner) {}

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
      .then(() => this.runner(request, (message) => onMessage(message as WorkerMessage<R>), () => stopped))
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
        abandon(new Error('Batch cancelled'));
      },
    };
  }

  stats(): { busy: number; pending: number; workers: number } {
    return { busy: this.busy, pending: 0, workers: 0 };
  }

  async terminate(): Promise<void> {
    // Nothing to release: work ran on the caller's thread.
  }
}
