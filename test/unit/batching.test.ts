import * as assert from 'node:assert/strict';
import { makeBatches } from '../../src/core/batching';
import type { DiscoveredFile } from '../../src/core/types';

function files(sizes: number[]): DiscoveredFile[] {
  return sizes.map((size, i) => ({ path: `/p/f${i}.js`, size }));
}

describe('makeBatches', () => {
  it('puts every file in exactly one batch', () => {
    const input = files(Array.from({ length: 500 }, (_, i) => (i * 7919) % 20_000));
    const batches = makeBatches(input, { workers: 2 });
    const seen = batches.flatMap((b) => b.files.map((f) => f.path)).sort();
    assert.deepEqual(seen, input.map((f) => f.path).sort());
  });

  it('groups many tiny files together instead of one task per file', () => {
    const batches = makeBatches(files(Array.from({ length: 1000 }, () => 200)), { workers: 2 });
    assert.ok(batches.length < 100, `1000 tiny files made ${batches.length} batches`);
    assert.ok(batches.length >= 8, 'still enough batches to keep two workers balanced');
  });

  it('never makes one giant batch of a large run', () => {
    const batches = makeBatches(files(Array.from({ length: 400 }, () => 10_000)), { workers: 2 });
    const largest = Math.max(...batches.map((b) => b.bytes));
    assert.ok(largest <= 512 * 1024);
    assert.ok(batches.length >= 8);
  });

  it('orders batches largest first and keeps an oversized file on its own', () => {
    const batches = makeBatches(files([100, 900_000, 5_000, 50_000, 300]), { workers: 2, targetBytes: 60_000 });
    assert.deepEqual(batches[0]?.files.map((f) => f.size), [900_000]);
    for (let i = 1; i < batches.length; i++) {
      const previousMax = Math.max(...(batches[i - 1]?.files.map((f) => f.size) ?? [0]));
      const currentMax = Math.max(...(batches[i]?.files.map((f) => f.size) ?? [0]));
      assert.ok(previousMax >= currentMax, 'larger work is dispatched first');
    }
  });

  it('respects the file cap per batch', () => {
    const batches = makeBatches(files(Array.from({ length: 100 }, () => 1)), { workers: 1, maxFiles: 10 });
    assert.ok(batches.every((b) => b.files.length <= 10));
    assert.equal(batches.length, 10);
  });
});
