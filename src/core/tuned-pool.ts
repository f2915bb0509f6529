import * as l10n from '@vscode/l10n';
import type { BatchExecution, Executor } from './executor';
import { PoolExecutor, type Isolation, type PoolExecutorOptions } from './pool-executor';
import type { BatchRequest, WorkerMessage } from './types';
import { checkWorkerFlags, isolationForRun, SWITCH_POOL_MS, workerProcessFlags, type FlagsCheck, type IsolationChoice } from './worker-tuning';

export interface TunedPoolOptions extends Omit<PoolExecutorOptions, 'isolation' | 'execArgv'> {
  /** A fixed isolation (a flag, a setting, a kind that needs processes), or `auto`: by the size of each run. */
  readonly isolation: IsolationChoice;
}

/**
 * The workers of a front end: threads or processes, per run by its size (see
 * worker-tuning.ts), kept warm between runs (the editor). One pool at a time:
 * a pool of the other kind ends the first, so no more than the asked number of
 * workers ever hold a tool and its config. Processes start with the flags
 * measured best for the worker count, once Node is known to accept them.
 */
export class TunedPool implements Executor {
  readonly concurrency: number;
  private pool: PoolExecutor | undefined;
  private current: Isolation;
  private readonly flags: readonly string[];
  /** Started with the pool, so that it runs beside discovery rather than before the first batch. */
  private readonly flagsCheck: FlagsCheck | undefined;
  private terminated = false;

  constructor(private readonly options: TunedPoolOptions) {
    this.concurrency = Math.max(1, options.workers);
    this.current = options.isolation === 'process' ? 'process' : 'thread';
    this.flags = workerProcessFlags(this.concurrency);
    if (options.isolation !== 'thread') this.flagsCheck = checkWorkerFlags(this.flags);
  }

  get kind(): Isolation {
    return this.current;
  }

  /** Called with the run's expected serial work before its first batch; returns a note for the user, if any. */
  async prepare(expectedMs: number): Promise<string | undefined> {
    const wanted = this.options.isolation === 'auto' ? isolationForRun(expectedMs) : this.options.isolation;
    // A warm pool of the other kind keeps a short run: its workers hold the tool and config already.
    const keepWarm = this.pool !== undefined && this.options.isolation === 'auto' && expectedMs < SWITCH_POOL_MS;
    const next = keepWarm ? this.current : wanted;
    if (this.pool && next === this.current) return undefined;
    this.current = next;
    const previous = this.pool;
    this.pool = undefined;
    await previous?.terminate();
    if (next === 'thread' || !this.flagsCheck) return this.start(next, []);
    const probe = await this.flagsCheck.result;
    if (probe === 'accepted') return this.start(next, this.flags);
    this.start(next, []);
    return probe === 'refused'
      ? `worker processes start without their tuned flags (${this.flags.join(' ')}): this Node refused them`
      : `worker processes start without their tuned flags (${this.flags.join(' ')}): Node could not be tried with them`;
  }

  execute<R>(request: BatchRequest, onMessage: (message: WorkerMessage<R>) => void): BatchExecution {
    if (this.terminated) return { done: Promise.reject(new Error(poolEnded())), cancel: () => undefined };
    // Not prepared (a caller that runs batches directly): the default kind, without flags rather than a probe's wait.
    const pool = this.pool ?? this.startPool(this.current, []);
    return pool.execute(request, onMessage);
  }

  stats(): { busy: number; pending: number; workers: number } {
    return this.pool?.stats() ?? { busy: 0, pending: 0, workers: 0 };
  }

  async terminate(): Promise<void> {
    this.terminated = true;
    this.flagsCheck?.cancel();
    const pool = this.pool;
    this.pool = undefined;
    await pool?.terminate();
  }

  private start(isolation: Isolation, execArgv: readonly string[]): undefined {
    this.startPool(isolation, execArgv);
    return undefined;
  }

  private startPool(isolation: Isolation, execArgv: readonly string[]): PoolExecutor {
    // Ended while the probe ran: nothing may start after terminate().
    if (this.terminated) throw new Error(poolEnded());
    this.pool = new PoolExecutor({ ...this.options, isolation, execArgv });
    return this.pool;
  }
}

/** Why a batch given to a pool already ended did not run: its files say so. */
function poolEnded(): string {
  return l10n.t('the worker pool was ended');
}
