import * as os from 'node:os';
import * as l10n from '@vscode/l10n';
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
 * Overrides the memory the machine has available, in MB: for operators who
 * want the worker count and heap caps sized for less than the machine has
 * (other services share it), and for tests of what happens when memory is short.
 */
export const AVAILABLE_MEMORY_ENV = 'PARALLEL_TASKS_AVAILABLE_MEMORY_MB';

/**
 * The memory the system can give now without swapping, or the override in
 * PARALLEL_TASKS_AVAILABLE_MEMORY_MB. Node's `availableMemory()` reads Linux's
 * MemAvailable (free memory plus reclaimable cache) within the cgroup's limit;
 * `os.freemem()` is the fallback in hosts whose Node predates it.
 */
export function availableMemoryBytes(env: NodeJS.ProcessEnv = process.env): number {
  const override = env[AVAILABLE_MEMORY_ENV];
  if (override !== undefined && override !== '') {
    const mb = Number(override);
    if (!Number.isInteger(mb) || mb <= 0) throw new UsageError(l10n.t('{0} must be a whole number of MB, got "{1}"', AVAILABLE_MEMORY_ENV, override));
    return mb * MiB;
  }
  const processMemory = process as NodeJS.Process & { availableMemory?: () => number };
  return processMemory.availableMemory?.() ?? os.freemem();
}

/**
 * The heap cap for each of `workers` workers on this machine now, or the
 * override in PARALLEL_TASKS_WORKER_HEAP_MB.
 */
export function workerHeapLimitForMachine(workers: number, env: NodeJS.ProcessEnv = process.env): number {
  const override = env[WORKER_HEAP_ENV];
  if (override !== undefined && override !== '') {
    const mb = Number(override);
    if (!Number.isInteger(mb) || mb <= 0) throw new UsageError(l10n.t('{0} must be a whole number of MB, got "{1}"', WORKER_HEAP_ENV, override));
    return mb;
  }
  const processMemory = process as NodeJS.Process & { constrainedMemory?: () => number | undefined };
  return workerHeapLimitMb({ workers, availableBytes: availableMemoryBytes(env), constrainedBytes: processMemory.constrainedMemory?.() ?? 0 });
}

/**
 * Part of the available memory that workers whose need is known (see
 * `fitWorkersToMemory`) may take together: the rest is for the process that
 * runs the pool (it holds every result until the run ends) and the machine.
 */
const WORKER_MEMORY_SHARE = 0.8;

export interface WorkerFit {
  readonly workers: number;
  /** Set when fewer workers than asked for fit: the line the user sees. */
  readonly message?: string;
}

/**
 * How many of `requested` workers fit in the memory there is when each needs
 * about `perWorkerMb` (a type-aware lint worker holds its own TypeScript
 * program): 80% of the available memory divided by that, at least one worker.
 */
export function fitWorkersToMemory(figures: { readonly requested: number; readonly perWorkerMb: number; readonly availableMb: number; readonly what: string }): WorkerFit {
  const { requested, perWorkerMb, availableMb, what } = figures;
  const fit = Math.max(1, Math.floor((availableMb * WORKER_MEMORY_SHARE) / Math.max(1, perWorkerMb)));
  if (fit >= requested) return { workers: requested };
  const noun = (n: number): string => `${n} worker${n === 1 ? '' : 's'}`;
  return {
    workers: fit,
    message: `${noun(fit)} instead of ${requested}: each ${what} needs ~${Math.round(perWorkerMb)} MB and ${Math.round(availableMb)} MB is free`,
  };
}
