import type { Batch, DiscoveredFile } from './types';

export interface BatchingOptions {
  /** Number of workers that will share the batches. */
  readonly workers: number;
  /** Upper bound on bytes per batch; 0 picks one from the run's size. */
  readonly targetBytes?: number;
  /** Upper bound on files per batch, so one batch of tiny files still makes progress visible. */
  readonly maxFiles?: number;
}

/** Below this, the cost of a message round trip dominates the work in a batch. */
const MIN_BATCH_BYTES = 16 * 1024;
/** Above this, one batch holds a worker too long and the load stops balancing. */
const MAX_BATCH_BYTES = 512 * 1024;
/** Aim for several batches per worker so that a free worker can always pull more. */
const BATCHES_PER_WORKER = 4;
const DEFAULT_MAX_FILES = 64;

/**
 * Groups files into batches sized by bytes, largest first. Files are sorted by
 * size (descending) and packed greedily, so the biggest work is dispatched
 * first and the small files fill in at the end, when they balance the load.
 */
export function makeBatches(files: readonly DiscoveredFile[], options: BatchingOptions): Batch[] {
  const totalBytes = files.reduce((sum, f) => sum + f.size, 0);
  const target =
    options.targetBytes && options.targetBytes > 0
      ? options.targetBytes
      : clamp(Math.ceil(totalBytes / (Math.max(1, options.workers) * BATCHES_PER_WORKER)), MIN_BATCH_BYTES, MAX_BATCH_BYTES);
  const maxFiles = Math.max(1, options.maxFiles ?? DEFAULT_MAX_FILES);

  const sorted = [...files].sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : 1));
  const batches: Batch[] = [];
  let current: DiscoveredFile[] = [];
  let bytes = 0;
  const flush = (): void => {
    if (current.length === 0) return;
    batches.push({ id: batches.length + 1, files: current, bytes });
    current = [];
    bytes = 0;
  };
  for (const file of sorted) {
    if (current.length > 0 && (bytes + file.size > target || current.length >= maxFiles)) flush();
    current.push(file);
    bytes += file.size;
  }
  flush();
  return batches;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
