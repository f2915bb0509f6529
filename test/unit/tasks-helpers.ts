import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { runJob, type JobResult } from '../../src/core/engine';
import type { Executor } from '../../src/core/executor';
import { PoolExecutor } from '../../src/core/pool-executor';
import { repoRoot, workerScript } from './helpers';

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

/** Runs a tool's own CLI (`bin` relative to node_modules) from this repository, as a user would. */
export function runTool(bin: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', bin), ...args], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
