import * as os from 'node:os';
import { UsageError } from './errors';

const MiB = 1024 * 1024;

/** Below this a worker cannot hold a real tool (ESLint with typescript-eslint) and an ordinary file. */
export const MIN_WORKER_HEAP_MB = 512;
/** Above this one file is not worth the risk: it would take memory from everything else on the machine. */
export const MAX_WORKER_HEAP_MB = 4096;
/**
 * Part of the memory there is that the workers' heaps may take together: the
 * rest is for what a heap cap does not count (code, buffers, native memory),
 * the process that runs the pool, and everything else on the machine.
 */
const HEAP_SHARE = 0.75;

/** Overrides the computed cap, in MB, exactly (no floor or ceiling): for tests that need a worker to run out of memory quickly. */
export const WORKER_HEAP_ENV = 'PARALLEL_TASKS_WORKER_HEAP_MB';

export interface MemoryFigures {
  readonly workers: number;
  /** Memory the system can give without swapping (Linux: MemAvailable, within the cgroup's limit where Node reports that). */
  readonly availableBytes: number;
  /** A cgroup (container) limit; 0 or a huge number when none applies. */
  readonly constrainedBytes?: number;
}

/** The heap cap of one worker, in MB: its share of the memory there is, between 512 MB and 4 GB. */
export function workerHeapLimitMb(figures: MemoryFigures): number {
  const constrained = figures.constrainedBytes;
  // Without a limit, libuv reports 0 or (cgroup v1) a number near 2^63: neither means anything here.
  const limit = constrained && constrained < Number.MAX_SAFE_INTEGER ? constrained : Infinity;
  const budget = Math.min(figures.availableBytes, limit);
  const share = Math.floor((budget * HEAP_SHARE) / Math.max(1, figures.workers) / MiB);
  return Math.min(MAX_WORKER_HEAP_MB, Math.max(MIN_WORKER_HEAP_MB, share));
}

/**
 * The heap cap for each of `workers` workers on this machine now, or the
 * override in PARALLEL_TASKS_WORKER_HEAP_MB. Node's `availableMemory()` already
 * takes the cgroup limit into account; `os.freemem()` is the fallback in hosts
 * whose Node predates it.
 */
export function workerHeapLimitForMachine(workers: number, env: NodeJS.ProcessEnv = process.env): number {
  const override = env[WORKER_HEAP_ENV];
  if (override !== undefined && override !== '') {
    const mb = Number(override);
    if (!Number.isInteger(mb) || mb <= 0) throw new UsageError(`${WORKER_HEAP_ENV} must be a whole number of MB, got "${override}"`);
    return mb;
  }
  const processMemory = process as NodeJS.Process & { availableMemory?: () => number; constrainedMemory?: () => number | undefined };
  return workerHeapLimitMb({
    workers,
    availableBytes: processMemory.availableMemory?.() ?? os.freemem(),
    constrainedBytes: processMemory.constrainedMemory?.() ?? 0,
  });
}
