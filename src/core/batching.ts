import type { Batch, DiscoveredFile } from './types';

export interface BatcherOptions {
  /** Number of workers that share the batches. */
  readonly workers: number;
  /** A fixed upper bound on bytes per batch (the `batchBytes` setting); without it the size adapts to measured costs. */
  readonly fixedBytes?: number;
  /** Upper bound on files per batch, so one batch of tiny files still makes progress visible. */
  readonly maxFiles?: number;
  /** Each file's processing time in the previous run, when known (the result cache keeps it). */
  readonly previousCostMs?: (file: string) => number | undefined;
}

/**
 * What a file is assumed to cost per byte until the run has measured its own:
 * about 1 ms per KiB, what ESLint, Prettier and the parsers take on a 2020s
 * server core. Only the first batches depend on it.
 */
const DEFAULT_MS_PER_BYTE = 1 / 1024;
/** Round-trip cost of one batch (message, structured clone, wake-up) assumed before one is measured. */
const DEFAULT_OVERHEAD_MS = 2;
/** A batch should run at least this many times its round-trip cost, which keeps dispatch overhead under 5 %. */
const OVERHEAD_FACTOR = 20;
/** A worker is never held longer than this by one batch: progress stays visible and the end of the run balanced. */
const MAX_BATCH_MS = 1000;
/** The remaining work is cut into about this many batches per worker (guided self-scheduling). */
const BATCHES_PER_WORKER = 4;
const DEFAULT_MAX_FILES = 64;
/** Weight of a new overhead sample in the running estimate. */
const OVERHEAD_SMOOTHING = 0.3;

/**
 * Hands out batches one at a time, each sized when it is taken: files are
 * ordered by expected cost (the previous run's time when known, else size),
 * longest first, and each batch takes enough of the remaining work to keep
 * the dispatch overhead small while leaving several batches per worker, so
 * batches shrink towards the end of the run and the workers finish together.
 * The per-byte cost and the overhead are re-estimated from what the run
 * measures.
 */
export class AdaptiveBatcher {
  private readonly order: DiscoveredFile[];
  private readonly previous = new Map<string, number>();
  private readonly maxFiles: number;
  private cursor = 0;
  private nextId = 1;
  /** Work not yet handed out: known previous costs, plus bytes of files without one. */
  private remainingKnownMs = 0;
  private remainingUnknownBytes = 0;
  private measuredMs = 0;
  private measuredBytes = 0;
  private overheadMs = DEFAULT_OVERHEAD_MS;
  /** The per-byte cost the previous run implies, used until this run has measured its own. */
  private readonly priorMsPerByte: number;

  constructor(
    files: readonly DiscoveredFile[],
    private readonly options: BatcherOptions,
  ) {
    this.maxFiles = Math.max(1, options.maxFiles ?? DEFAULT_MAX_FILES);
    let knownBytes = 0;
    for (const file of files) {
      const cost = options.previousCostMs?.(file.path);
      if (cost !== undefined && cost >= 0) {
        this.previous.set(file.path, cost);
        this.remainingKnownMs += cost;
        knownBytes += file.size;
      } else {
        this.remainingUnknownBytes += file.size;
      }
    }
    this.priorMsPerByte = knownBytes > 0 && this.remainingKnownMs > 0 ? this.remainingKnownMs / knownBytes : DEFAULT_MS_PER_BYTE;
    // Known costs and sizes are put on one scale with that rate, so a slow
    // small file still goes before a fast big one.
    const expected = (f: DiscoveredFile): number => this.previous.get(f.path) ?? f.size * this.priorMsPerByte;
    this.order = [...files].sort((a, b) => expected(b) - expected(a) || (a.path < b.path ? -1 : 1));
  }

  /** Files not yet handed out. */
  get remaining(): number {
    return this.order.length - this.cursor;
  }

  /** The expected serial time of the work not yet handed out, in ms. */
  get remainingMs(): number {
    return this.remainingKnownMs + this.remainingUnknownBytes * this.msPerByte();
  }

  /** The round-trip cost per batch currently assumed, in ms. */
  get batchOverheadMs(): number {
    return this.overheadMs;
  }

  next(): Batch | undefined {
    if (this.cursor >= this.order.length) return undefined;
    const fixedBytes = this.options.fixedBytes && this.options.fixedBytes > 0 ? this.options.fixedBytes : undefined;
    const targetMs = this.targetMs();
    const files: DiscoveredFile[] = [];
    let bytes = 0;
    let ms = 0;
    while (this.cursor < this.order.length && files.length < this.maxFiles) {
      const file = this.order[this.cursor] as DiscoveredFile;
      const cost = this.estimate(file);
      if (files.length > 0 && (fixedBytes !== undefined ? bytes + file.size > fixedBytes : ms + cost > targetMs)) break;
      files.push(file);
      bytes += file.size;
      ms += cost;
      this.cursor++;
      const known = this.previous.get(file.path);
      if (known !== undefined) this.remainingKnownMs -= known;
      else this.remainingUnknownBytes -= file.size;
    }
    return { id: this.nextId++, files, bytes };
  }

  /** Takes every file not yet handed out (on cancel). */
  drain(): DiscoveredFile[] {
    const rest = this.order.slice(this.cursor);
    this.cursor = this.order.length;
    this.remainingKnownMs = 0;
    this.remainingUnknownBytes = 0;
    return rest;
  }

  /** A file finished in `durationMs`: refines the per-byte cost. */
  observeFile(file: DiscoveredFile, durationMs: number): void {
    if (!(durationMs >= 0)) return;
    this.measuredMs += durationMs;
    this.measuredBytes += file.size;
  }

  /**
   * A batch settled `wallMs` after it was handed to the executor, of which
   * `workMs` were spent on its files: the difference is the round trip. The
   * caller leaves out batches that included a worker's start-up.
   */
  observeBatch(wallMs: number, workMs: number): void {
    const sample = Math.max(0, wallMs - workMs);
    this.overheadMs += OVERHEAD_SMOOTHING * (sample - this.overheadMs);
  }

  private targetMs(): number {
    const share = this.remainingMs / (Math.max(1, this.options.workers) * BATCHES_PER_WORKER);
    // The overhead bound wins over the cap: a batch that costs less than its round trip helps nobody.
    return Math.max(this.overheadMs * OVERHEAD_FACTOR, Math.min(MAX_BATCH_MS, share));
  }

  private estimate(file: DiscoveredFile): number {
    return this.previous.get(file.path) ?? file.size * this.msPerByte();
  }

  private msPerByte(): number {
    return this.measuredBytes > 0 && this.measuredMs > 0 ? this.measuredMs / this.measuredBytes : this.priorMsPerByte;
  }
}
