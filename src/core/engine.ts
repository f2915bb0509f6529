import pMap from 'p-map';
import { makeBatches } from './batching';
import type { ResultCache } from './result-cache';
import type { DiscoveredFile } from './types';
import { discoverFiles, type DiscoveryOptions, type DiscoveryResult } from './discovery';
import type { Executor } from './executor';
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
  readonly cache?: { readonly store: ResultCache; readonly keyFor: (file: string) => Promise<string> };
}

/** Cache look-ups read and hash files: I/O, so a modest concurrency is enough. */
const LOOKUP_CONCURRENCY = 32;

export interface JobResult<R> {
  readonly state: RunState<R>;
  readonly outcome: ScheduleOutcome;
  readonly discovery: DiscoveryResult;
}

/**
 * Plans and runs one job: discovery, batching, scheduling. The caller owns the
 * executor (the editor keeps one warm across runs) and may pass its own
 * RunState to subscribe before anything happens.
 */
export async function runJob<R>(executor: Executor, spec: JobSpec, state = new RunState<R>()): Promise<JobResult<R>> {
  const discovery = await discoverFiles(spec.discovery);
  state.apply({
    type: 'run-start',
    kind: spec.kind,
    total: discovery.files.length + discovery.skipped.length,
    workers: executor.concurrency,
    executor: executor.kind,
  });
  state.addPending(discovery.files.map((f) => f.path));
  if (discovery.skipped.length > 0) state.apply({ type: 'skipped', files: discovery.skipped });
  const { toRun, misses } = spec.cache ? await takeFromCache(spec.cache, discovery.files, state, spec.sources) : { toRun: discovery.files, misses: new Map() };
  const batches = makeBatches(toRun, {
    workers: executor.concurrency,
    targetBytes: spec.batchBytes,
    maxFiles: spec.batchMaxFiles,
  });
  const outcome = await new Scheduler<R>(executor, state, spec.scheduler).run({
    kind: spec.kind,
    root: spec.root,
    options: spec.options,
    batches,
    signal: spec.signal,
    sources: spec.sources,
  });
  if (spec.cache) {
    for (const record of state.results()) {
      const miss = misses.get(record.path);
      if (miss && record.outcome?.status === 'ok') spec.cache.store.store(miss.file, miss.hash, miss.key, record.outcome.value, record.durationMs ?? 0);
    }
    await spec.cache.store.save();
  }
  return { state, outcome, discovery };
}

interface Miss {
  readonly file: DiscoveredFile;
  readonly hash: string;
  readonly key: string;
}

/** Reports cache hits as done and returns the files that still need processing. */
async function takeFromCache<R>(
  cache: NonNullable<JobSpec['cache']>,
  files: readonly DiscoveredFile[],
  state: RunState<R>,
  sources: ReadonlyMap<string, string> | undefined,
): Promise<{ toRun: DiscoveredFile[]; misses: Map<string, Miss> }> {
  const toRun: DiscoveredFile[] = [];
  const misses = new Map<string, Miss>();
  const looked = await pMap(
    files,
    async (file) => {
      // Unsaved editor text is not what is on disk: never answer it from, or store it in, the cache.
      if (sources?.has(file.path)) return { file, key: '', result: { hit: false as const, hash: undefined } };
      const key = await cache.keyFor(file.path);
      return { file, key, result: await cache.store.lookup(file, key) };
    },
    { concurrency: LOOKUP_CONCURRENCY },
  );
  for (const { file, key, result } of looked) {
    if (result.hit) {
      state.apply({ type: 'cached', file: file.path, outcome: { status: 'ok', value: result.value as R } });
    } else {
      toRun.push(file);
      if (result.hash) misses.set(file.path, { file, hash: result.hash, key });
    }
  }
  return { toRun, misses };
}
