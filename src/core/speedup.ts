import type { RunSnapshot } from './run-state';

/** A speedup is shown only for a run on which at least this many workers processed files… */
export const SPEEDUP_MIN_WORKERS = 2;
/** …and this much work (the sum of per-file times): below it, start-up and hand-over dominate and the ratio says nothing of the pool. */
export const SPEEDUP_MIN_WORK_MS = 1000;

/**
 * The run's speedup (the sum of its per-file times over its wall time) where
 * the figure means something, else undefined. One worker cannot be faster
 * than one thread, so its "0.75×" is only the pool's overhead, and so is a
 * pool of several of which one got all the work (one batch); a run of a few
 * milliseconds of work measures start-up; a run answered from the cache did no work.
 */
export function meaningfulSpeedup(snapshot: Pick<RunSnapshot, 'workers' | 'timings'>): number | undefined {
  const { serialEstimateMs, speedup } = snapshot.timings;
  const working = snapshot.workers.filter((w) => w.filesDone > 0).length;
  if (working < SPEEDUP_MIN_WORKERS || serialEstimateMs < SPEEDUP_MIN_WORK_MS) return undefined;
  return speedup;
}
