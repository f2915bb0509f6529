import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runJob, type JobResult } from '../../src/core/engine';
import type { Executor } from '../../src/core/executor';
import { InProcessExecutor } from '../../src/core/in-process-executor';
import { RunState } from '../../src/core/run-state';
import { PoolExecutor } from '../../src/core/pool-executor';
import { runBatch } from '../../src/worker/run-batch';
import { behaviourHandlers } from '../fixtures/workers/behaviour-handler';
import { behaviourWorker, tempDir, writeFiles } from '../helpers/files';

interface RunOptions {
  readonly fileTimeoutMs?: number;
  readonly cancelGraceMs?: number;
  readonly batchBytes?: number;
  readonly signal?: AbortSignal;
  readonly state?: RunState<number>;
}

describe('Scheduler over a real workerpool', () => {
  let executors: Executor[] = [];
  let cleanups: (() => void)[] = [];

  afterEach(async () => {
    await Promise.all(executors.map((e) => e.terminate()));
    executors = [];
    for (const cleanup of cleanups) cleanup();
    cleanups = [];
  });

  function threads(workers: number): Executor {
    const executor = new PoolExecutor({ script: behaviourWorker, workers });
    executors.push(executor);
    return executor;
  }

  function folder(files: Record<string, string>): string {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeFiles(dir, files);
    return dir;
  }

  function run(executor: Executor, dir: string, options: RunOptions = {}): Promise<JobResult<number>> {
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
  }

  function many(count: number, content: (i: number) => string): Record<string, string> {
    const files: Record<string, string> = {};
    for (let i = 0; i < count; i++) files[`f${String(i).padStart(3, '0')}.txt`] = content(i);
    return files;
  }

  function statusOf(result: JobResult<number>, name: string): string | undefined {
    return result.state.results().find((r) => path.basename(r.path) === name)?.status;
  }

  function assertIdle(executor: Executor, result: JobResult<number>): void {
    const stats = executor.stats();
    assert.equal(stats.busy, 0, 'no worker is left busy');
    assert.equal(stats.pending, 0, 'no task is left queued');
    for (const worker of result.state.snapshot().workers) assert.equal(worker.state, 'idle');
    const counts = result.state.snapshot().counts;
    assert.equal(counts.pending + counts.running, 0, 'no file is left pending or running');
    assert.equal(counts.done + counts.failed + counts.skipped + counts.cancelled, counts.total, 'every file is accounted for');
  }

  it('processes every file exactly once, in batches, with results for each', async () => {
    const executor = threads(2);
    // About 1.2 MB: enough expected work for the batcher to cut it into several batches.
    const dir = folder(many(60, (i) => `ok ${'x'.repeat(20_000 + i * 10)}`));
    const state = new RunState<number>();
    const batches = new Set<number>();
    state.subscribe((event) => {
      if (event.type === 'batch-start') batches.add(event.batchId);
    });
    const result = await run(executor, dir, { state });
    assert.equal(result.outcome.phase, 'completed');
    const records = result.state.results();
    assert.equal(records.length, 60);
    for (const record of records) {
      assert.equal(record.status, 'done');
      assert.equal(record.attempts, 1);
    }
    assert.ok(batches.size > 1 && batches.size < 60, `files are batched (got ${batches.size} batches for 60 files)`);
    assertIdle(executor, result);
  });

  it('dispatches the largest files first', async () => {
    const executor = threads(1);
    const dir = folder({ 'small.txt': 'ok', 'large.txt': `ok ${'x'.repeat(50_000)}`, 'medium.txt': `ok ${'x'.repeat(20_000)}` });
    const started: string[] = [];
    const state = new RunState<number>();
    state.subscribe((event) => {
      if (event.type === 'file-start') started.push(path.basename(event.file));
    });
    await run(executor, dir, { state, batchBytes: 1 });
    assert.deepEqual(started, ['large.txt', 'medium.txt', 'small.txt']);
  });

  it('reports a file whose handler throws as an error, and the rest go on without a restart', async () => {
    const executor = threads(2);
    const dir = folder({ ...many(20, () => 'ok'), 'bad.txt': 'throw' });
    const result = await run(executor, dir);
    const bad = result.state.results().find((r) => r.path.endsWith('bad.txt'));
    assert.equal(bad?.status, 'failed');
    assert.match(bad?.outcome?.status === 'error' ? bad.outcome.message : '', /boom/);
    assert.equal(result.state.results().filter((r) => r.status === 'done').length, 20);
    assert.equal(result.state.snapshot().workers.reduce((n, w) => n + w.restarts, 0), 0);
    assertIdle(executor, result);
  });

  it('replaces a worker that calls process.exit, retries its batch file by file, and reports the file after two crashes', async () => {
    const executor = threads(2);
    // One big batch, so the crash takes other files' work down with it.
    const dir = folder({ ...many(30, () => 'ok'), 'f015-exit.txt': 'exit' });
    const result = await run(executor, dir, { batchBytes: 1 << 20 });
    assert.equal(result.outcome.phase, 'completed');
    assert.equal(statusOf(result, 'f015-exit.txt'), 'failed');
    const record = result.state.results().find((r) => r.path.endsWith('f015-exit.txt'));
    assert.match(record?.outcome?.status === 'error' ? record.outcome.message : '', /crashed while processing this file, 2 times/);
    assert.equal(result.state.results().filter((r) => r.status === 'done').length, 30, 'no other file is lost');
    assert.equal(result.state.snapshot().workers.reduce((n, w) => n + w.restarts, 0), 2, 'one replacement per crash');
    assertIdle(executor, result);

    // The pool is healthy afterwards: a new run on the same pool succeeds.
    const again = await run(executor, folder(many(5, () => 'ok')));
    assert.equal(again.state.snapshot().counts.done, 5);
  });

  it('costs only a retry when a worker dies once', async () => {
    const executor = threads(2);
    const { dir: markerDir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const dir = folder({ ...many(10, () => 'ok'), 'flaky.txt': `exit-once ${path.join(markerDir, 'marker')}` });
    const result = await run(executor, dir, { batchBytes: 1 << 20 });
    assert.equal(result.state.snapshot().counts.done, 11);
    const flaky = result.state.results().find((r) => r.path.endsWith('flaky.txt'));
    assert.equal(flaky?.attempts, 2);
    assertIdle(executor, result);
  });

  it('terminates a worker stuck in a synchronous loop at the per-file timeout', async () => {
    const executor = threads(2);
    const dir = folder({ ...many(10, () => 'ok'), 'stuck.txt': 'spin' });
    const started = Date.now();
    const result = await run(executor, dir, { fileTimeoutMs: 400 });
    assert.ok(Date.now() - started < 15_000);
    const stuck = result.state.results().find((r) => r.path.endsWith('stuck.txt'));
    assert.equal(stuck?.status, 'failed');
    assert.match(stuck?.outcome?.status === 'error' ? stuck.outcome.message : '', /Timed out after .* 2 times/);
    assert.equal(result.state.snapshot().counts.done, 10);
    assertIdle(executor, result);
  });

  it('times out a task that never returns', async () => {
    const executor = threads(1);
    const dir = folder({ 'a.txt': 'ok', 'never.txt': 'never' });
    const result = await run(executor, dir, { fileTimeoutMs: 300 });
    assert.equal(statusOf(result, 'never.txt'), 'failed');
    assert.equal(statusOf(result, 'a.txt'), 'done');
    assertIdle(executor, result);
  });

  for (const at of [0, 120, 600]) {
    it(`cancels at ${at} ms: dispatch stops, counts stay consistent, no worker is left busy`, async () => {
      const executor = threads(2);
      const dir = folder(many(40, () => 'sleep 40'));
      const controller = new AbortController();
      if (at === 0) controller.abort();
      else setTimeout(() => controller.abort(), at);
      const result = await run(executor, dir, { signal: controller.signal, batchBytes: 16 });
      const counts = result.state.snapshot().counts;
      assert.equal(result.outcome.phase, 'cancelled');
      assert.ok(counts.cancelled > 0, 'some files were cancelled');
      assert.equal(counts.failed, 0, 'cancelled files are not failures');
      assertIdle(executor, result);
    });
  }

  it('lets running batches finish within the grace period, then terminates the rest', async () => {
    const executor = threads(2);
    const dir = folder({ 'quick.txt': 'sleep 100', 'forever.txt': 'never' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const result = await run(executor, dir, { signal: controller.signal, cancelGraceMs: 500, batchBytes: 1 });
    assert.ok(Date.now() - started < 5000, 'the run ends soon after the grace period');
    assert.equal(statusOf(result, 'quick.txt'), 'done', 'a batch that finishes within the grace period keeps its result');
    assert.equal(statusOf(result, 'forever.txt'), 'cancelled');
    assertIdle(executor, result);
  });

  it('stops the whole run on a configuration error', async () => {
    const executor = threads(1);
    const dir = folder({ ...many(20, () => 'ok'), 'a-config.txt': `config-error ${'x'.repeat(1000)}` });
    const result = await run(executor, dir, { batchBytes: 1 });
    assert.equal(result.outcome.phase, 'failed');
    assert.match(result.outcome.error ?? '', /config is broken/);
    assertIdle(executor, result);
  });

  it('in-process, abandons a file stuck on a promise that never settles at the timeout, and finishes the run', async () => {
    const inProcess = new InProcessExecutor((request, emit, shouldStop) => runBatch(behaviourHandlers, request, emit, { shouldStop }));
    executors.push(inProcess);
    const dir = folder({ 'a.txt': 'ok', 'never.txt': 'never' });
    const result = await run(inProcess, dir, { fileTimeoutMs: 300 });
    assert.equal(statusOf(result, 'never.txt'), 'failed');
    assert.equal(statusOf(result, 'a.txt'), 'done');
    assert.equal(inProcess.stats().busy, 0);
  });

  it('gives the same results in-process (--workers 0) as on threads', async () => {
    const files = { ...many(15, (i) => `ok ${'y'.repeat(i)}`), 'bad.txt': 'throw', 'skipped.txt': 'skip' };
    const inProcess = new InProcessExecutor((request, emit, shouldStop) => runBatch(behaviourHandlers, request, emit, { shouldStop }));
    executors.push(inProcess);
    const a = await run(inProcess, folder(files));
    const b = await run(threads(2), folder(files));
    const summary = (r: JobResult<number>) => r.state.results().map((x) => [path.basename(x.path), x.status, x.outcome?.status === 'ok' ? x.outcome.value : null]);
    assert.deepEqual(summary(a), summary(b));
    assert.equal(a.state.snapshot().executor, 'in-process');
  });
});
