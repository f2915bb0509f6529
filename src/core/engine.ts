import { makeBatches } from './batching';
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
}

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
  const batches = makeBatches(discovery.files, {
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
  return { state, outcome, discovery };
}
