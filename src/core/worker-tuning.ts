import { fork } from 'node:child_process';
import * as os from 'node:os';
import type { Isolation } from './pool-executor';

/** Where a kind's workers run: `auto` lets the size of each run decide (see `isolationForRun`). */
export type IsolationChoice = Isolation | 'auto';

/**
 * From this much expected serial work (the batcher's estimate) a run goes to
 * worker processes rather than threads. A process costs ~65 ms more to start
 * (BENCHMARKS.md, "Process isolation") and then runs faster: each has its own
 * heap, its own GC and the V8 flags below, which threads, sharing one V8,
 * cannot have (lint of the corpus: 2 processes 0.81-0.86 of `eslint`'s wall
 * time, 2 threads 0.92-0.97). Below a second of work the start-up decides.
 */
export const PROCESS_RUN_MS = 1000;

/** Replaces the default V8/Node flags of worker processes (space-separated), e.g. to measure others. */
export const WORKER_FLAGS_ENV = 'PARALLEL_TASKS_WORKER_FLAGS';

export function isolationForRun(expectedMs: number): Isolation {
  return expectedMs >= PROCESS_RUN_MS ? 'process' : 'thread';
}

/**
 * The flags a worker process starts with, measured on 2 cores (BENCHMARKS.md, "Workers tuned per process"):
 * - `--single-threaded` once the workers fill the cores: V8's helper threads (concurrent GC and compiler) then
 *   only take time from another worker. With a core to spare they use it, so they stay.
 * - `--heap-growing-percent=100`: the heap may grow to twice what was live after a full GC instead of V8's up
 *   to 4×; a linter's live heap is small and its garbage large, so this took a third off the peak memory for a
 *   few percent of time.
 */
export function workerProcessFlags(workers: number, cores = os.availableParallelism(), env: NodeJS.ProcessEnv = process.env): readonly string[] {
  const override = env[WORKER_FLAGS_ENV];
  if (override !== undefined) return override.split(/\s+/).filter((flag) => flag.length > 0);
  return [...(workers >= cores ? ['--single-threaded'] : []), '--heap-growing-percent=100'];
}

const probes = new Map<string, Promise<boolean>>();
const PROBE_TIMEOUT_MS = 10_000;

/**
 * Whether a worker process starts with these flags on this runtime. Node refuses a flag its V8 does not know
 * (exit 9, "bad option"), and V8 flags come and go between versions: a worker that never starts would fail
 * every batch. The worker script exits at once when given `--probe-flags` (src/worker/index.ts). Asked once
 * per script and flags for the life of this process.
 */
export function workerFlagsWork(script: string, flags: readonly string[]): Promise<boolean> {
  if (flags.length === 0) return Promise.resolve(true);
  const key = JSON.stringify([script, flags]);
  let probe = probes.get(key);
  if (!probe) {
    probe = new Promise<boolean>((resolve) => {
      const child = fork(script, ['--probe-flags'], { execArgv: [...flags], stdio: 'ignore' });
      const timer = setTimeout(() => child.kill('SIGKILL'), PROBE_TIMEOUT_MS);
      child.once('error', () => resolve(false));
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code === 0);
      });
    });
    probes.set(key, probe);
  }
  return probe;
}
