import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { JobResult } from '../../src/core/engine';
import { InProcessExecutor } from '../../src/core/in-process-executor';
import { RunState } from '../../src/core/run-state';
import { runBatch } from '../../src/worker/run-batch';
import { behaviourHandlers } from '../fixtures/workers/behaviour-handler';
import { tempDir } from '../helpers/files';
import { assertIdle, fixtureRuns, many, statusOf } from '../helpers/fixture-runs';

describe('Scheduler over a real workerpool', () => {
  const { threads, folder, run, track, later } = fixtureRuns();

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
    later(cleanup);
    const dir = folder({ ...many(10, () => 'ok'), 'flaky.txt': `exit-once ${path.join(markerDir, 'marker')}` });
    const result = await run(executor, dir, { batchBytes: 1 << 20 });
    assert.equal(result.state.snapshot().counts.done, 11);
    const flaky = result.state.results().find((r) => r.path.endsWith('flaky.txt'));
    assert.equal(flaky?.attempts, 2);
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
    // Cancelled once both files are running (not after a fixed delay, which a busy machine can outlast before either starts).
    const state = new RunState<number>();
    const running = new Set<string>();
    state.subscribe((event) => {
      if (event.type === 'file-start') running.add(path.basename(event.file));
      // Outside the listener, so the cancel does not run inside the state's own notification.
      if (running.size === 2) queueMicrotask(() => controller.abort());
    });
    const started = Date.now();
    const result = await run(executor, dir, { signal: controller.signal, cancelGraceMs: 1000, batchBytes: 1, state });
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
    track(inProcess);
    const dir = folder({ 'a.txt': 'ok', 'never.txt': 'never' });
    const result = await run(inProcess, dir, { fileTimeoutMs: 300 });
    assert.equal(statusOf(result, 'never.txt'), 'failed');
    assert.equal(statusOf(result, 'a.txt'), 'done');
    assert.equal(inProcess.stats().busy, 0);
  });

  it('gives the same results in-process (--workers 0) as on threads', async () => {
    const files = { ...many(15, (i) => `ok ${'y'.repeat(i)}`), 'bad.txt': 'throw', 'skipped.txt': 'skip' };
    const inProcess = new InProcessExecutor((request, emit, shouldStop) => runBatch(behaviourHandlers, request, emit, { shouldStop }));
    track(inProcess);
    const a = await run(inProcess, folder(files));
    const b = await run(threads(2), folder(files));
    const summary = (r: JobResult<number>) => r.state.results().map((x) => [path.basename(x.path), x.status, x.outcome?.status === 'ok' ? x.outcome.value : null]);
    assert.deepEqual(summary(a), summary(b));
    assert.equal(a.state.snapshot().executor, 'in-process');
  });
});
