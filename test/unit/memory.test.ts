import * as assert from 'node:assert/strict';
import { AVAILABLE_MEMORY_ENV, availableMemoryBytes, fitWorkersToMemory, workerHeapLimitMb } from '../../src/core/memory';
import { typeAwareWorkerMb } from '../../src/tasks/lint/worker-memory';

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

/** How many workers a run whose workers each need much memory gets (type-aware lint; the CLI's message is in test/system/type-aware-memory.test.ts). */
describe('worker count from memory', () => {
  const what = 'type-aware lint worker';
  it('keeps the workers asked for when 80% of the free memory holds them all', () => {
    // 4 × 900 MB = 3600 MB ≤ 0.8 × 8000 MB.
    assert.deepEqual(fitWorkersToMemory({ requested: 4, perWorkerMb: 900, availableMb: 8000, what }), { workers: 4 });
  });

  it('lowers the count to what fits and says so with both figures', () => {
    // 0.8 × 2500 MB = 2000 MB: two workers of 900 MB.
    assert.deepEqual(fitWorkersToMemory({ requested: 4, perWorkerMb: 900, availableMb: 2500, what }), {
      workers: 2,
      message: '2 workers instead of 4: each type-aware lint worker needs ~900 MB and 2500 MB is free',
    });
  });

  it('never goes below one worker, however little memory there is', () => {
    assert.deepEqual(fitWorkersToMemory({ requested: 2, perWorkerMb: 900, availableMb: 300, what }), {
      workers: 1,
      message: '1 worker instead of 2: each type-aware lint worker needs ~900 MB and 300 MB is free',
    });
  });

  it('estimates a type-aware worker from the source it lints, as measured in bench/type-aware.mjs', () => {
    // 0.51 MB of TypeScript (133 files): measured 566 MB; 3.05 MB (798 files): measured 1246 MB at most.
    assert.equal(Math.round(typeAwareWorkerMb(0.51 * MiB)), 583);
    assert.equal(Math.round(typeAwareWorkerMb(3.05 * MiB)), 1243);
  });

  it('reads the available memory from PARALLEL_TASKS_AVAILABLE_MEMORY_MB when set, and refuses nonsense there', () => {
    assert.equal(availableMemoryBytes({ [AVAILABLE_MEMORY_ENV]: '1500' }), 1500 * MiB);
    assert.ok(availableMemoryBytes({}) > 0);
    assert.throws(() => availableMemoryBytes({ [AVAILABLE_MEMORY_ENV]: 'lots' }), /whole number of MB/);
  });
});
