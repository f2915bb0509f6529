// Runs of the behaviour fixture (test/fixtures/workers): each file's first line tells the worker
// what to do with it. Shared by the scheduler's unit tests and its slow cases in test/system.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runJob, type JobResult } from '../../src/core/engine';
import type { Executor } from '../../src/core/executor';
import type { RunState } from '../../src/core/run-state';
import { PoolExecutor } from '../../src/core/pool-executor';
import { behaviourWorker, tempDir, writeFiles } from './files';

export interface FixtureRunOptions {
  readonly fileTimeoutMs?: number;
  readonly cancelGraceMs?: number;
  readonly batchBytes?: number;
  readonly signal?: AbortSignal;
  readonly state?: RunState<number>;
}

export interface FixtureRuns {
  /** A pool of `workers` threads on the behaviour fixture. */
  threads(workers: number): Executor;
  /** A temporary folder holding `files`. */
  folder(files: Record<string, string>): string;
  run(executor: Executor, dir: string, options?: FixtureRunOptions): Promise<JobResult<number>>;
  /** Terminates `executor` after the test. */
  track(executor: Executor): void;
  /** Calls `cleanup` after the test. */
  later(cleanup: () => void): void;
}

/** Call inside a `describe`: every pool and folder made through the result is gone after each test. */
export function fixtureRuns(): FixtureRuns {
  let executors: Executor[] = [];
  let cleanups: (() => void)[] = [];
  afterEach(async () => {
    await Promise.all(executors.map((e) => e.terminate()));
    executors = [];
    for (const cleanup of cleanups) cleanup();
    cleanups = [];
  });
  return {
    threads(workers) {
      const executor = new PoolExecutor({ script: behaviourWorker, workers });
      executors.push(executor);
      return executor;
    },
    folder(files) {
      const { dir, cleanup } = tempDir();
      cleanups.push(cleanup);
      writeFiles(dir, files);
      return dir;
    },
    run(executor, dir, options = {}) {
      return runJob<number>(
        executor,
        {
          kind: 'fixture',
          root: dir,
          options: {},
          discovery: { cwd: dir, paths: [], include: ['**/*'], exclude: [], gitignore: false, maxFileSize: 1 << 20 },
          scheduler: { fileTimeoutMs: options.fileTimeoutMs ?? 20_000, cancelGraceMs: options.cancelGraceMs ?? 0 },
          batchBytes: options.batchBytes,
          signal: options.signal,
        },
        options.state,
      );
    },
    track: (executor) => executors.push(executor),
    later: (cleanup) => cleanups.push(cleanup),
  };
}

/** `count` files named f000.txt… with `content(i)`. */
export function many(count: number, content: (i: number) => string): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) files[`f${String(i).padStart(3, '0')}.txt`] = content(i);
  return files;
}

export function statusOf(result: JobResult<number>, name: string): string | undefined {
  return result.state.results().find((r) => path.basename(r.path) === name)?.status;
}

/** The run is over and the pool is idle: nothing busy, queued, pending or unaccounted for. */
export function assertIdle(executor: Executor, result: JobResult<number>): void {
  const stats = executor.stats();
  assert.equal(stats.busy, 0, 'no worker is left busy');
  assert.equal(stats.pending, 0, 'no task is left queued');
  for (const worker of result.state.snapshot().workers) assert.equal(worker.state, 'idle');
  const counts = result.state.snapshot().counts;
  assert.equal(counts.pending + counts.running, 0, 'no file is left pending or running');
  assert.equal(counts.done + counts.failed + counts.skipped + counts.cancelled, counts.total, 'every file is accounted for');
}
