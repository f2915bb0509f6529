import pMap from 'p-map';
import { AdaptiveBatcher } from './batching';
import type { ResultCache, SharedCache } from './result-cache';
import type { DiscoveredFile } from './types';
import { UnmatchedPathsError } from './errors';
import { discoverFiles, type DiscoveryOptions, type DiscoveryResult } from './discovery';
import type { Executor } from './executor';
import { executorForMemory, type MemoryFit } from './memory-fit';
import { RunState } from './run-state';
import { Scheduler, type ScheduleOutcome, type SchedulerOptions } from './scheduler';

export interface JobSpec {
  readonly kind: string;
  /** Tools are resolved and configs looked up from here. */
  readonly root: string;
  readonly options: unknown;
  readonly discovery: DiscoveryOptions;
  readonly scheduler: SchedulerOptions;
  readonly batchBytes?: number;
  readonly batchMaxFiles?: number;
  readonly signal?: AbortSignal;
  /** Unsaved editor contents by path, used instead of the files on disk. */
  readonly sources?: ReadonlyMap<string, string>;
  /** Results of unchanged files are taken from here and new ones stored (and saved) after the run. */
  readonly cache?: { readonly store: ResultCache; readonly keyFor: (file: string) => Promise<string>; readonly shared?: SharedCache };
  /**
   * When given, a run whose expected work is too small to pay for starting
   * workers runs on the calling thread instead, and the run says so.
   */
  readonly smallRunExecutor?: () => Executor;
  /** When given, a run whose workers would not all fit in memory runs on fewer (see memory-fit.ts). */
  readonly memoryFit?: MemoryFit;
  /**
   * Whether a path or glob that matched no file stops the job before anything
   * runs (default: it does; a run over it would check nothing and look green).
   * The editor's whole-folder runs report it per folder instead.
   */
  readonly failOnUnmatched?: boolean;
}

/**
 * Below this much expected serial work, starting workers (each loads the tool
 * again: about 0.5 s for ESLint on the benchmark machine) costs more than the
 * parallelism can save. See bench/ scenario "pool overhead".
 */
export const SMALL_RUN_MS = 1000;

/** Cache look-ups read and hash files: I/O, so a modest concurrency is enough. */
const LOOKUP_CONCURRENCY = 32;

export interface JobResult<R> {
  readonly state: RunState<R>;
  readonly outcome: ScheduleOutcome;
  readonly discovery: DiscoveryResult;
}

/**
 * The cap on files per batch when batches go through a queue: a round trip there is a network hop (tens of ms),
 * and the batcher's overhead bound, not the local cap of 64, should decide how many tiny files make a batch.
 */
const QUEUED_MAX_FILES = 512;

/**
 * Plans and runs one job: discovery, batching, scheduling. The caller owns the
 * executor (the editor keeps one warm across runs) and may pass its own
 * RunState to subscribe before anything happens.
 */
export async function runJob<R>(pool: Executor, spec: JobSpec, state = new RunState<R>()): Promise<JobResult<R>> {
  const discovery = await discoverFiles(spec.discovery);
  if (discovery.unmatched.length > 0 && (spec.failOnUnmatched ?? true)) throw new UnmatchedPathsError(discovery.unmatched);
  const { hits, toRun, misses } = spec.cache ? await lookUpCache(spec.cache, discovery.files, spec.sources) : { hits: [], toRun: discovery.files, misses: new Map<string, Miss>() };
  const batches = new AdaptiveBatcher(toRun, {
    workers: pool.concurrency,
    fixedBytes: spec.batchBytes,
    maxFiles: spec.batchMaxFiles ?? (pool.queued ? QUEUED_MAX_FILES : undefined),
    previousCostMs: spec.cache ? (file) => spec.cache?.store.previousCostMs(file) : undefined,
  });
  const expectedMs = batches.remainingMs;
  const small = spec.smallRunExecutor && pool.kind !== 'in-process' && expectedMs < SMALL_RUN_MS;
  const executor = small && spec.smallRunExecutor ? spec.smallRunExecutor() : await executorForMemory(pool, spec.memoryFit, toRun, state);
  // A pool made for this run (a small run's thread, fewer workers for memory) ends with it, whatever happens.
  try {
    // Told the run's expected work, a tuned pool picks threads or processes (see tuned-pool.ts).
    const note = small ? undefined : await executor.prepare?.(expectedMs);
    state.apply({
      type: 'run-start',
      kind: spec.kind,
      total: discovery.files.length + discovery.skipped.length,
      workers: executor.concurrency,
      executor: executor.kind,
      ...(small ? { executorReason: `small run (about ${Math.round(expectedMs)} ms of work): not worth starting workers` } : {}),
    });
    if (note) state.apply({ type: 'output', stream: 'stderr', text: `parallel-tasks: ${note}\n` });
    state.addPending(discovery.files.map((f) => f.path));
    if (discovery.skipped.length > 0) state.apply({ type: 'skipped', files: discovery.skipped });
    for (const hit of hits) state.apply({ type: 'cached', file: hit.file.path, outcome: { status: 'ok', value: hit.value as R }, ...(hit.shared ? { shared: true } : {}) });
    const outcome = await new Scheduler<R>(executor, state, spec.scheduler).run({
      kind: spec.kind,
      root: spec.root,
      options: spec.options,
      batches,
      signal: spec.signal,
      sources: spec.sources,
    });
    if (spec.cache) {
      const fresh: { hash: string; key: string; value: unknown }[] = [];
      for (const record of state.results()) {
        const miss = misses.get(record.path);
        if (miss && record.outcome?.status === 'ok') {
          spec.cache.store.store(miss.file, miss.hash, miss.key, record.outcome.value, record.durationMs ?? 0);
          fresh.push({ hash: miss.hash, key: miss.key, value: record.outcome.value });
        }
      }
      await storeShared(spec.cache.shared, fresh, state);
      const unsaved = await spec.cache.store.save();
      if (unsaved) state.apply({ type: 'output', stream: 'stderr', text: `parallel-tasks: ${unsaved}\n` });
    }
    return { state, outcome, discovery };
  } finally {
    if (executor !== pool) await executor.terminate();
  }
}

interface Miss {
  readonly file: DiscoveredFile;
  readonly hash: string;
  readonly key: string;
}

/** Splits the files into cache hits and the files that still need processing. */
async function lookUpCache(
  cache: NonNullable<JobSpec['cache']>,
  files: readonly DiscoveredFile[],
  sources: ReadonlyMap<string, string> | undefined,
): Promise<{ hits: Hit[]; toRun: DiscoveredFile[]; misses: Map<string, Miss> }> {
  const hits: Hit[] = [];
  const toRun: DiscoveredFile[] = [];
  const misses = new Map<string, Miss>();
  const looked = await pMap(
    files,
    async (file) => {
      // Unsaved editor text is not what is on disk: never answer it from, or store it in, the cache.
      if (sources?.has(file.path)) return { file, key: '', result: { hit: false as const, hash: undefined } };
      // A file named on purpose may get a different answer (ESLint's "File ignored" warning) than the same file found in a folder.
      const key = `${await cache.keyFor(file.path)}${file.explicit ? '\nexplicit' : ''}`;
      return { file, key, result: await cache.store.lookup(file, key) };
    },
    { concurrency: LOOKUP_CONCURRENCY },
  );
  for (const { file, key, result } of looked) {
    if (result.hit) {
      hits.push({ file, value: result.value });
    } else {
      toRun.push(file);
      if (result.hash) misses.set(file.path, { file, hash: result.hash, key });
    }
  }
  if (!cache.shared || misses.size === 0) return { hits, toRun, misses };
  return askShared(cache.shared, cache.store, hits, toRun, misses);
}

interface Hit {
  readonly file: DiscoveredFile;
  readonly value: unknown;
  readonly shared?: boolean;
}

/** This machine's misses, asked of the shared cache; what it answers is kept here too (as Nx keeps a remote hit). */
async function askShared(
  shared: SharedCache,
  store: ResultCache,
  hits: Hit[],
  toRun: DiscoveredFile[],
  misses: Map<string, Miss>,
): Promise<{ hits: Hit[]; toRun: DiscoveredFile[]; misses: Map<string, Miss> }> {
  const asked = [...misses.values()];
  let values: readonly unknown[];
  try {
    values = await shared.lookup(asked.map(({ hash, key }) => ({ hash, key })));
  } catch {
    // Unreachable for a moment: the files run, as they would without it.
    return { hits, toRun, misses };
  }
  const found = new Set<string>();
  asked.forEach((miss, i) => {
    const value = values[i];
    if (value === undefined) return;
    found.add(miss.file.path);
    hits.push({ file: miss.file, value, shared: true });
    store.store(miss.file, miss.hash, miss.key, value, store.previousCostMs(miss.file.path) ?? 0);
    misses.delete(miss.file.path);
  });
  return { hits, toRun: toRun.filter((file) => !found.has(file.path)), misses };
}

async function storeShared<R>(shared: SharedCache | undefined, fresh: { hash: string; key: string; value: unknown }[], state: RunState<R>): Promise<void> {
  if (!shared || fresh.length === 0) return;
  try {
    await shared.store(fresh);
  } catch (error) {
    state.apply({ type: 'output', stream: 'stderr', text: `parallel-tasks: results not shared through ${shared.location}: ${error instanceof Error ? error.message : String(error)}\n` });
  }
}
