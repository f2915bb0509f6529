import * as assert from 'node:assert/strict';
import { workerHeapLimitMb } from '../../src/core/memory';

const MiB = 1024 * 1024;

/** The heap cap each worker gets (the cap in action, on a real worker, is in test/system/process-lifecycle.test.ts). */
describe('worker memory cap', () => {
  it('sizes the heap cap per worker from the memory there is, between 512 MB and 4 GB', () => {
    // 16 GB available over 2 workers: plenty, so the ceiling.
    assert.equal(workerHeapLimitMb({ workers: 2, availableBytes: 16384 * MiB }), 4096);
    // 8 GB over 4 workers: three quarters of it, shared.
    assert.equal(workerHeapLimitMb({ workers: 4, availableBytes: 8192 * MiB }), 1536);
    // A container limit below what the machine has free is what counts.
    assert.equal(workerHeapLimitMb({ workers: 2, availableBytes: 16384 * MiB, constrainedBytes: 2048 * MiB }), 768);
    // Little memory and many workers: the floor, below which nothing real can be processed.
    assert.equal(workerHeapLimitMb({ workers: 16, availableBytes: 1024 * MiB }), 512);
    // No constraint is reported as 0 or as an enormous number: both mean none.
    assert.equal(workerHeapLimitMb({ workers: 2, availableBytes: 4096 * MiB, constrainedBytes: 0 }), 1536);
    assert.equal(workerHeapLimitMb({ workers: 2, availableBytes: 4096 * MiB, constrainedBytes: 2 ** 64 }), 1536);
  });
});
