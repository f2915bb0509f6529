import * as assert from 'node:assert/strict';
import { RunState } from '../../src/core/run-state';

describe('RunState', () => {
  it('turns events into frozen snapshots with counts, worker lanes and timings', () => {
    let now = 1000;
    const state = new RunState<string>(() => now);
    state.apply({ type: 'run-start', kind: 'lint', total: 3, workers: 2, executor: 'thread' });
    state.addPending(['/a', '/b', '/c']);
    state.apply({ type: 'batch-start', slot: 0, batchId: 1, files: ['/a', '/b'] });
    state.apply({ type: 'file-start', slot: 0, file: '/a', threadId: 7 });

    const during = state.snapshot();
    assert.ok(Object.isFrozen(during) && Object.isFrozen(during.counts) && Object.isFrozen(during.workers));
    assert.deepEqual(during.counts, { total: 3, pending: 2, running: 1, done: 0, failed: 0, skipped: 0, cancelled: 0 });
    assert.equal(during.workers[0]?.currentFile, '/a');
    assert.equal(during.workers[0]?.state, 'busy');
    assert.equal(during.workers[1]?.state, 'idle');

    now = 2000;
    state.apply({ type: 'file-done', slot: 0, file: '/a', outcome: { status: 'ok', value: 'x' }, durationMs: 800 });
    state.apply({ type: 'file-start', slot: 0, file: '/b', threadId: 7 });
    state.apply({ type: 'file-done', slot: 0, file: '/b', outcome: { status: 'error', message: 'bad' }, durationMs: 800 });
    state.apply({ type: 'batch-end', slot: 0, batchId: 1 });
    state.apply({ type: 'file-cancelled', files: ['/c'] });
    now = 3000;
    state.apply({ type: 'run-end', phase: 'cancelled' });

    const after = state.snapshot();
    assert.deepEqual(during.counts.done, 0, 'an earlier snapshot does not change');
    assert.deepEqual(after.counts, { total: 3, pending: 0, running: 0, done: 1, failed: 1, skipped: 0, cancelled: 1 });
    assert.equal(after.phase, 'cancelled');
    assert.equal(after.timings.wallMs, 2000);
    assert.equal(after.timings.serialEstimateMs, 1600);
    assert.equal(after.timings.speedup, 0.8);
    assert.equal(after.workers[0]?.filesDone, 2);
    assert.equal(after.workers[0]?.busyMs, 1000);
  });

  it('marks a lane restarting after a worker failure and counts the restart', () => {
    const state = new RunState<string>();
    state.apply({ type: 'run-start', kind: 'lint', total: 1, workers: 1, executor: 'thread' });
    state.apply({ type: 'batch-start', slot: 0, batchId: 1, files: ['/a'] });
    state.apply({ type: 'worker-failed', slot: 0, reason: 'crashed', file: '/a', detail: 'exit 3' });
    const snapshot = state.snapshot();
    assert.equal(snapshot.workers[0]?.state, 'restarting');
    assert.equal(snapshot.workers[0]?.restarts, 1);
  });

  it('notifies subscribers after the state has changed, until disposed', () => {
    const state = new RunState<string>();
    const seen: number[] = [];
    const sub = state.subscribe((_event, s) => seen.push(s.snapshot().counts.total));
    state.apply({ type: 'run-start', kind: 'lint', total: 0, workers: 1, executor: 'thread' });
    state.addPending(['/a']);
    state.apply({ type: 'skipped', files: [{ path: '/b', reason: 'binary file' }] });
    sub.dispose();
    state.apply({ type: 'skipped', files: [{ path: '/c', reason: 'binary file' }] });
    assert.deepEqual(seen, [0, 2]);
  });
});
