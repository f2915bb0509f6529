// Pool overhead: no-op and small tasks through the real scheduler and
// workerpool at several batch sizes, pool cold (started for the run) and warm
// (reused), against the same batch loop on the calling thread. Prints a
// Markdown table. Built and run by bench/run.mjs (--only overhead).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AdaptiveBatcher } from '../../src/core/batching';
import type { Executor } from '../../src/core/executor';
import { InProcessExecutor } from '../../src/core/in-process-executor';
import { RunState } from '../../src/core/run-state';
import { Scheduler } from '../../src/core/scheduler';
import { PoolExecutor, type Isolation } from '../../src/core/pool-executor';
import type { DiscoveredFile } from '../../src/core/types';
import { runBatch } from '../../src/worker/run-batch';
import { taskKinds } from './kinds';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, files: { type: 'string', default: '4000' }, workers: { type: 'string', default: '2' } } });
const runs = Number(values.runs);
const fileCount = Number(values.files);
const workers = Number(values.workers);
const script = path.join(__dirname, 'worker.js');

const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-overhead-'));
const files: DiscoveredFile[] = [];
for (let i = 0; i < fileCount; i++) {
  const file = path.join(dir, `f${i}.txt`);
  writeFileSync(file, `${i} `.repeat(50));
  files.push({ path: file, size: 200 });
}

/** undefined = adaptive; a number = exactly that many files per batch. */
type BatchSize = number | undefined;

async function once(executor: Executor, kind: string, size: BatchSize): Promise<number> {
  const state = new RunState<unknown>();
  const batches = new AdaptiveBatcher(files, { workers: executor.concurrency, ...(size ? { fixedBytes: Number.MAX_SAFE_INTEGER, maxFiles: size } : {}) });
  state.apply({ type: 'run-start', kind, total: files.length, workers: executor.concurrency, executor: executor.kind });
  state.addPending(files.map((f) => f.path));
  const started = performance.now();
  const outcome = await new Scheduler(executor, state, { fileTimeoutMs: 60_000, cancelGraceMs: 0 }).run({ kind, root: dir, options: {}, batches });
  const wall = performance.now() - started;
  if (outcome.phase !== 'completed' || state.snapshot().counts.done !== files.length) throw new Error(`run did not complete: ${outcome.phase}`);
  return wall;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const pools = (isolation: Isolation) => (): PoolExecutor => new PoolExecutor({ script, workers, isolation });
const inProcess = (): InProcessExecutor => new InProcessExecutor((request, emit, shouldStop) => runBatch(taskKinds, request, emit, { shouldStop }));

async function main(): Promise<void> {
  const rows: string[] = [];
  const sizes: BatchSize[] = [1, 8, 64, 512, undefined];
  for (const kind of ['noop', 'small']) {
    const baseline: number[] = [];
    for (let r = 0; r < runs + 1; r++) {
      const executor = inProcess();
      const wall = await once(executor, kind, 64);
      if (r > 0) baseline.push(wall);
    }
    const base = median(baseline);
    rows.push(`| ${kind} | in-process (no pool) | 64 | ${(fileCount / (base / 1000)).toFixed(0)} | ${((base * 1000) / fileCount).toFixed(1)} | – |`);
    // Child processes only at two sizes: enough to show what the isolation costs.
    const plan = [...sizes.map((size) => ['thread', size] as const), ['process', 8] as const, ['process', undefined] as const];
    for (const [isolation, size] of plan) {
      const cold: number[] = [];
      const warm: number[] = [];
      const threads = pools(isolation);
      const pool = threads();
      try {
        await once(pool, kind, size); // warms `pool`
        for (let r = 0; r < runs; r++) {
          const fresh = threads();
          try {
            cold.push(await once(fresh, kind, size));
          } finally {
            await fresh.terminate();
          }
          warm.push(await once(pool, kind, size));
        }
      } finally {
        await pool.terminate();
      }
      const label = size === undefined ? 'adaptive' : String(size);
      for (const [state, samples] of [['cold', cold], ['warm', warm]] as const) {
        const wall = median(samples);
        // Overhead per file: wall time beyond the in-process run split over the workers, per file.
        const overheadUs = ((wall - base / workers) * 1000) / fileCount;
        rows.push(`| ${kind} | ${workers} worker ${isolation === 'process' ? 'processes' : 'threads'}, pool ${state} | ${label} | ${(fileCount / (wall / 1000)).toFixed(0)} | ${((wall * 1000) / fileCount).toFixed(1)} | ${overheadUs.toFixed(1)} |`);
      }
    }
  }
  process.stdout.write(
    [
      `${fileCount} files of 200 bytes, median of ${runs} runs; overhead per file = (wall − in-process wall / ${workers}) / files.`,
      '',
      '| task | executor | files per batch | tasks/s | wall per file (µs) | overhead per file (µs) |',
      '| --- | --- | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
    ].join('\n'),
  );
}

main()
  .finally(() => rmSync(dir, { recursive: true, force: true }))
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
