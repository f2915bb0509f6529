import type { BatchExecution } from '../core/executor';
import { TunedPool } from '../core/tuned-pool';
import type { BatchRequest, WorkerMessage } from '../core/types';
import type { DaemonStatus, PoolSpec } from './wire';

interface WarmPool {
  readonly spec: PoolSpec;
  readonly executor: TunedPool;
  /** Its workers' kind chosen and their flags checked (see TunedPool.prepare): batches wait for it. */
  readonly ready: Promise<void>;
  /** The config stamp of each folder as this pool's batches found it (see ConfigStamps). */
  readonly seen: Map<string, string>;
  /** Batches running on it now. */
  active: number;
  lastUsed: number;
  /** Replaced or evicted: ends as soon as its last batch does. */
  retired: boolean;
}

/** How far the heap cap a run asks for may be from a warm pool's before the pool is replaced. */
const HEAP_TOLERANCE = 1.5;

/** More pools than this (other tasks, options, worker counts) and the least recently used idle one ends. */
const MAX_POOLS = 4;

/**
 * The daemon's warm pools, one per task, options, isolation and worker count
 * (and a heap cap near the run's). A pool answers only a run of the same fingerprint whose config
 * files are as its batches saw them: otherwise it is retired (ended once its
 * running batches, possibly another client's, are done) and a fresh pool
 * takes its place, so that no result comes from a config that changed.
 */
export class DaemonPools {
  private readonly pools = new Map<string, WarmPool>();
  private readonly retiring = new Set<WarmPool>();

  constructor(
    private readonly workerScript: string,
    private readonly log: (line: string) => void,
  ) {}

  /** The pool for a batch; call `release` with it when the batch is over. */
  acquire(spec: PoolSpec, configs: Readonly<Record<string, string>>): WarmPool {
    // Not the heap cap: it is a share of the memory free when a run starts, which differs from run to run.
    const key = JSON.stringify([spec.kind, spec.options, spec.isolation, spec.workers]);
    let pool = this.pools.get(key);
    const stale = pool && staleness(pool, spec, configs);
    if (pool && stale) {
      this.log(`replacing the ${spec.kind} pool: ${stale}`);
      this.retire(key, pool);
      pool = undefined;
    }
    if (!pool) {
      this.evictIdle();
      this.log(`starting a ${spec.kind} pool of ${spec.workers} ${spec.isolation} worker(s), heap cap ${spec.heapMb} MB`);
      const executor = new TunedPool({ script: this.workerScript, workers: spec.workers, isolation: spec.isolation, maxOldGenerationSizeMb: spec.heapMb });
      // A warm pool serves every size of run: told a long one, it is what its isolation says, with tuned flags.
      // Never rejects (a pool ended first): its batches then fail on the ended pool, each with that reason.
      const ready = executor.prepare(Number.MAX_SAFE_INTEGER).then(
        (note) => (note ? this.log(note) : undefined),
        (error: unknown) => this.log(`a ${spec.kind} pool did not start: ${String(error)}`),
      );
      pool = { spec, executor, ready, seen: new Map(), active: 0, lastUsed: Date.now(), retired: false };
      this.pools.set(key, pool);
    }
    for (const [dir, stamp] of Object.entries(configs)) pool.seen.set(dir, stamp);
    pool.active++;
    pool.lastUsed = Date.now();
    return pool;
  }

  /** Runs a batch on `pool` once it is ready; a cancel before then means it never starts. */
  execute<R>(pool: WarmPool, request: BatchRequest, onMessage: (message: WorkerMessage<R>) => void): BatchExecution {
    let inner: BatchExecution | undefined;
    let cancelled = false;
    const done = pool.ready.then(() => {
      if (cancelled) throw new Error('cancelled before it started');
      inner = pool.executor.execute(request, onMessage);
      return inner.done;
    });
    return {
      done,
      cancel: () => {
        cancelled = true;
        inner?.cancel();
      },
    };
  }

  release(pool: WarmPool): void {
    pool.active--;
    pool.lastUsed = Date.now();
    if (pool.retired && pool.active === 0) this.end(pool);
  }

  describe(): DaemonStatus['pools'] {
    return [...this.pools.values()].map(({ spec, executor, active }) => ({
      kind: spec.kind,
      isolation: spec.isolation,
      workers: spec.workers,
      heapMb: spec.heapMb,
      fingerprint: spec.fingerprint.slice(0, 12),
      busy: active,
      live: executor.stats().workers,
    }));
  }

  get busy(): boolean {
    return [...this.pools.values()].some((pool) => pool.active > 0);
  }

  async terminateAll(): Promise<void> {
    const all = [...this.pools.values(), ...this.retiring];
    this.pools.clear();
    this.retiring.clear();
    await Promise.all(all.map((pool) => pool.executor.terminate().catch(() => undefined)));
  }

  private retire(key: string, pool: WarmPool): void {
    this.pools.delete(key);
    pool.retired = true;
    this.retiring.add(pool);
    if (pool.active === 0) this.end(pool);
  }

  private end(pool: WarmPool): void {
    this.retiring.delete(pool);
    void pool.executor.terminate().catch((error: unknown) => this.log(`a retired pool did not end cleanly: ${String(error)}`));
  }

  private evictIdle(): void {
    if (this.pools.size < MAX_POOLS) return;
    const idle = [...this.pools.entries()].filter(([, pool]) => pool.active === 0).sort(([, a], [, b]) => a.lastUsed - b.lastUsed);
    const oldest = idle[0];
    if (oldest) {
      this.log(`ending the least recently used ${oldest[1].spec.kind} pool (more than ${MAX_POOLS - 1} pools)`);
      this.retire(oldest[0], oldest[1]);
    }
  }
}

/** Why `pool` must not run a batch of `spec` with these config stamps, or undefined when it may. */
function staleness(pool: WarmPool, spec: PoolSpec, configs: Readonly<Record<string, string>>): string | undefined {
  if (pool.spec.fingerprint !== spec.fingerprint) return 'the lock file, installed packages, a tool version or a file its options name changed';
  // Within a factor of 1.5 either way, the warm pool's cap (its share of the memory free when it started) stands.
  const { heapMb } = pool.spec;
  if (heapMb > spec.heapMb * HEAP_TOLERANCE || heapMb * HEAP_TOLERANCE < spec.heapMb) return `the heap cap per worker is now ${spec.heapMb} MB, not ${heapMb} MB (the memory free changed)`;
  for (const [dir, stamp] of Object.entries(configs)) {
    const before = pool.seen.get(dir);
    if (before !== undefined && before !== stamp) return `a config file in ${dir} (or a module it imports) changed`;
  }
  return undefined;
}
