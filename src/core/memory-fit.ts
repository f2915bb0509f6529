import type { Executor } from './executor';
import { availableMemoryBytes, fitWorkersToMemory, workerHeapLimitForMachine } from './memory';
import type { RunState } from './run-state';
import type { WorkerMemoryEstimate } from './task-api';
import type { DiscoveredFile } from './types';

const MiB = 1024 * 1024;

/** What the engine needs to start fewer workers than the pool has: the kind's estimate and the front end's way to make a pool. */
export interface MemoryFit {
  readonly estimate: WorkerMemoryEstimate;
  /** A pool of `workers` workers with the given heap cap, used for this run only (the engine terminates it). */
  readonly fewerWorkers: (workers: number, heapMb: number) => Executor;
}

/**
 * The executor for a run whose workers each need much memory (type-aware
 * lint): `pool` when all of its workers fit in the memory there is, else a
 * smaller pool made for the run, said on the run's output. Only our own
 * workers on this machine count: a queue's workers are elsewhere, and a run
 * on this thread starts none. The tool's config is loaded here only when
 * the memory would not suffice, so a machine with plenty never pays for it.
 */
export async function executorForMemory<R>(pool: Executor, fit: MemoryFit | undefined, files: readonly DiscoveredFile[], state: RunState<R>): Promise<Executor> {
  if (!fit || (pool.kind !== 'thread' && pool.kind !== 'process') || pool.concurrency <= 1 || files.length === 0) return pool;
  const availableMb = availableMemoryBytes() / MiB;
  const decision = fitWorkersToMemory({ requested: pool.concurrency, perWorkerMb: fit.estimate.perWorkerMb(files), availableMb, what: fit.estimate.what });
  if (decision.workers >= pool.concurrency || !(await fit.estimate.applies(files))) return pool;
  state.apply({ type: 'output', stream: 'stderr', text: `parallel-tasks: ${decision.message}\n` });
  return fit.fewerWorkers(decision.workers, workerHeapLimitForMachine(decision.workers));
}
