import * as assert from 'node:assert/strict';
import { isolationForRun, PROCESS_RUN_MS, WORKER_FLAGS_ENV, workerProcessFlags } from '../../src/core/worker-tuning';

describe('worker tuning', () => {
  it('sends a run of a second or more of work to processes, a smaller one to threads', () => {
    assert.equal(isolationForRun(PROCESS_RUN_MS - 1), 'thread');
    assert.equal(isolationForRun(PROCESS_RUN_MS), 'process');
    assert.equal(isolationForRun(60_000), 'process');
  });

  it('keeps V8 helper threads while a core is spare, and stops them (and compiles to baseline code at once) once the workers fill the cores; bounds the heaps of several', () => {
    assert.deepEqual(workerProcessFlags(1, 2, {}), []);
    assert.deepEqual(workerProcessFlags(1, 1, {}), ['--single-threaded', '--always-sparkplug']);
    assert.deepEqual(workerProcessFlags(2, 2, {}), ['--single-threaded', '--always-sparkplug', '--heap-growing-percent=100']);
    assert.deepEqual(workerProcessFlags(3, 8, {}), ['--heap-growing-percent=100']);
    assert.deepEqual(workerProcessFlags(16, 8, {}), ['--single-threaded', '--always-sparkplug', '--heap-growing-percent=100']);
  });

  it('takes the flags from the environment instead when given there, none for an empty value', () => {
    assert.deepEqual(workerProcessFlags(2, 2, { [WORKER_FLAGS_ENV]: ' --max-semi-space-size=32  --single-threaded-gc ' }), ['--max-semi-space-size=32', '--single-threaded-gc']);
    assert.deepEqual(workerProcessFlags(2, 2, { [WORKER_FLAGS_ENV]: '' }), []);
  });
});
