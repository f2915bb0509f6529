import type { BatchExecution, Executor } from './executor';
import { PoolExecutor, type Isolation, type PoolExecutorOptions } from './pool-executor';
import type { BatchRequest, WorkerMessage } from './types';
import { isolationForRun, workerFlagsWork, workerProcessFlags, type IsolationChoice } from './worker-tuning';

export interface TunedPoolOptions extends Omit<PoolExecutorOptions, 'isolation' | 'execArgv'> {
  /** A fixed isolation (a flag, a setting, a kind that needs processes), or `auto`: by the size of each run. */
  readonly isolation: IsolationChoice;
}

/**
 * The workers of a front end: a pool of threads and one of processes, each
 * started on first use and kept (the editor reuses it across runs), and for
 * each run the one its size calls for (see worker-tuning.ts). Processes start
 * with the flags measured best for the worker count, once this runtime is
 * known to accept them.
 */
export class TunedPool implements Executor {
  readonly concurrency: number;
  private readonly pools = new Map<Isolation, PoolExecutor>();
  private current: Isolation;
  private readonly flags: readonly string[];
  /** Started with the pool, so that it runs beside discovery rather than before the first batch. */
  private readonly flagsWork: Promise<boolean> | undefined;

  constructor(private readonly options: TunedPoolOptions) {
    this.concurrency = Math.max(1, options.workers);
    this.current = options.isolation === 'process' ? 'process' : 'thread';
    this.flags = workerProcessFlags(this.concurrency);
    if (options.isolation !== 'thread') this.flagsWork = workerFlagsWork(options.script, this.flags);
  }

  get kind(): Isolation {
    return this.current;
  }

  /** Called with the run's expected serial work before its first batch; returns a note for the user, if any. */
  async prepare(expectedMs: number): Promise<string | undefined> {
    this.current = this.options.isolation === 'auto' ? isolationForRun(expectedMs) : this.options.isolation;
    if (this.current !== 'process' || this.pools.has('process') || !this.flagsWork) return undefined;
    const works = await this.flagsWork;
    this.pools.set('process', this.start('process', works ? this.flags : []));
    return works ? undefined : `worker processes start without their tuned flags (${this.flags.join(' ')}): this Node refused them`;
  }

  execute<R>(request: BatchRequest, onMessage: (message: WorkerMessage<R>) => void): BatchExecution {
    let pool = this.pools.get(this.current);
    if (!pool) {
      // Not prepared (a caller that runs batches directly): processes without flags rather than a probe's wait.
      pool = this.start(this.current, []);
      this.pools.set(this.current, pool);
    }
    return pool.execute(request, onMessage);
  }

  stats(): { busy: number; pending: number; workers: number } {
    const all = [...this.pools.values()].map((pool) => pool.stats());
    return { busy: sum(all, 'busy'), pending: sum(all, 'pending'), workers: sum(all, 'workers') };
  }

  async terminate(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.terminate()));
  }

  private start(isolation: Isolation, execArgv: readonly string[]): PoolExecutor {
    return new PoolExecutor({ ...this.options, isolation, execArgv });
  }
}

function sum(stats: readonly { busy: number; pending: number; workers: number }[], field: 'busy' | 'pending' | 'workers'): number {
  return stats.reduce((total, s) => total + s[field], 0);
}
