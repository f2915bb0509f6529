// A real worker pool on the real worker bundle: worker threads, not processes,
// so the unit suite may use it.
import * as path from 'node:path';
import { runJob, type JobResult } from '../../src/core/engine';
import type { Executor } from '../../src/core/executor';
import { PoolExecutor } from '../../src/core/pool-executor';
import type { TransformValue } from '../../src/tasks/transform/types';
import { workerScript } from './files';

/** A real pool on the real worker bundle, terminated by `terminateAll`. */
export class PoolFixture {
  private readonly executors: Executor[] = [];

  pool(workers = 2): Executor {
    const executor = new PoolExecutor({ script: workerScript, workers });
    this.executors.push(executor);
    return executor;
  }

  async terminateAll(): Promise<void> {
    await Promise.all(this.executors.splice(0).map((e) => e.terminate()));
  }
}

/** Runs one job of `kind` over `root` on `executor`, discovering files as the CLI does. */
export function runKind<R>(
  executor: Executor,
  kind: string,
  root: string,
  options: unknown,
  include: string[],
  paths: string[] = [],
): Promise<JobResult<R>> {
  return runJob<R>(executor, {
    kind,
    root,
    options,
    discovery: { cwd: root, paths, include, exclude: [], gitignore: true, maxFileSize: 2 << 20 },
    scheduler: { fileTimeoutMs: 60_000, cancelGraceMs: 0 },
  });
}

/** Each file's transform outcome, by path relative to `root`: `changed:<output>`, `unchanged`, `skipped:<reason>` or `error:<message>`. */
export function transformOutputs(result: JobResult<TransformValue>, root: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const r of result.state.results()) {
    const key = path.relative(root, r.path);
    if (r.outcome?.status === 'ok') map[key] = r.outcome.value.changed ? `changed:${r.outcome.value.output}` : 'unchanged';
    else if (r.outcome?.status === 'skipped') map[key] = `skipped:${r.outcome.reason}`;
    else if (r.outcome?.status === 'error') map[key] = `error:${r.outcome.message}`;
  }
  return map;
}
