import * as assert from 'node:assert/strict';
import { AdaptiveBatcher } from '../../src/core/batching';
import type { Batch, DiscoveredFile } from '../../src/core/types';

function files(sizes: number[]): DiscoveredFile[] {
  return sizes.map((size, i) => ({ path: `/p/f${i}.js`, size }));
}

function all(batcher: AdaptiveBatcher): Batch[] {
  const batches: Batch[] = [];
  for (let b = batcher.next(); b; b = batcher.next()) batches.push(b);
  return batches;
}

describe('AdaptiveBatcher', () => {
  it('hands out every file in exactly one batch', () => {
    const input = files(Array.from({ length: 500 }, (_, i) => (i * 7919) % 20_000));
    const batches = all(new AdaptiveBatcher(input, { workers: 2 }));
    const seen = batches.flatMap((b) => b.files.map((f) => f.path)).sort();
    assert.deepEqual(seen, input.map((f) => f.path).sort());
  });

  it('groups many tiny files together instead of one task per file', () => {
    const batches = all(new AdaptiveBatcher(files(Array.from({ length: 1000 }, () => 200)), { workers: 2 }));
    assert.ok(batches.length < 100, `1000 tiny files made ${batches.length} batches`);
    assert.ok(batches.length >= 8, 'still enough batches to keep two workers balanced');
  });

  it('dispatches the largest file first and keeps an oversized file on its own', () => {
    const batches = all(new AdaptiveBatcher(files([100, 900_000, 5_000, 50_000, 300]), { workers: 2 }));
    assert.deepEqual(batches[0]?.files.map((f) => f.size), [900_000]);
    const sizes = batches.flatMap((b) => b.files.map((f) => f.size));
    assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a), 'larger work is dispatched first');
  });

  it("orders by the previous run's cost when it is known, longest first", () => {
    const input = files([10_000, 10_000, 500, 20_000]);
    // f2 is small but was slow last time (a pathological rule); f3 is big but was fast.
    const previous = new Map([
      ['/p/f0.js', 10],
      ['/p/f1.js', 12],
      ['/p/f2.js', 400],
      ['/p/f3.js', 5],
    ]);
    const batcher = new AdaptiveBatcher(input, { workers: 2, fixedBytes: 1, previousCostMs: (f) => previous.get(f) });
    assert.deepEqual(all(batcher).map((b) => b.files[0]?.path), ['/p/f2.js', '/p/f1.js', '/p/f0.js', '/p/f3.js']);
  });

  it('makes batches smaller when files turn out to cost more than assumed', () => {
    const input = files(Array.from({ length: 2000 }, () => 1000));
    const cheap = new AdaptiveBatcher(input, { workers: 2 });
    const costly = new AdaptiveBatcher(input, { workers: 2 });
    const first = costly.next() as Batch;
    // Each file took 50 ms: far more than the 1 ms per KiB assumed.
    for (const file of first.files) costly.observeFile(file, 50);
    cheap.next();
    const costlyFiles = costly.next()?.files.length ?? 0;
    const cheapFiles = cheap.next()?.files.length ?? 0;
    assert.ok(costlyFiles < cheapFiles / 2, `${costlyFiles} files per batch once measured vs ${cheapFiles} on the assumption`);
  });

  it('makes batches bigger when the round trip per batch is expensive', () => {
    const input = files(Array.from({ length: 4000 }, () => 100));
    const fast = new AdaptiveBatcher(input, { workers: 2, maxFiles: 10_000 });
    const slow = new AdaptiveBatcher(input, { workers: 2, maxFiles: 10_000 });
    for (let i = 0; i < 10; i++) slow.observeBatch(40, 0);
    const fastFiles = fast.next()?.files.length ?? 0;
    const slowFiles = slow.next()?.files.length ?? 0;
    assert.ok(slowFiles > fastFiles * 4, `with a 40 ms round trip a batch should hold far more files (${slowFiles} vs ${fastFiles})`);
  });

  it('shrinks batches towards the end of the run so the workers finish together', () => {
    const batches = all(new AdaptiveBatcher(files(Array.from({ length: 3000 }, () => 2000)), { workers: 2, maxFiles: 10_000 }));
    const firstBytes = batches[0]?.bytes ?? 0;
    const lastBytes = batches.at(-1)?.bytes ?? 0;
    assert.ok(lastBytes < firstBytes / 2, `last batch ${lastBytes} B vs first ${firstBytes} B`);
  });

  it('respects a fixed byte size and the file cap', () => {
    assert.ok(all(new AdaptiveBatcher(files([10, 10, 10, 10]), { workers: 1, fixedBytes: 20 })).every((b) => b.bytes <= 20));
    const capped = all(new AdaptiveBatcher(files(Array.from({ length: 100 }, () => 1)), { workers: 1, maxFiles: 10 }));
    assert.ok(capped.every((b) => b.files.length <= 10));
    assert.equal(capped.length, 10);
  });

  it('estimates the remaining work and gives the rest back on drain', () => {
    const batcher = new AdaptiveBatcher(files([1024, 1024, 2048]), { workers: 1, fixedBytes: 1 });
    assert.equal(batcher.remainingMs, 4, 'three files, 4 KiB, at 1 ms per KiB before anything is measured');
    batcher.next();
    assert.deepEqual(batcher.drain().map((f) => f.size), [1024, 1024]);
    assert.equal(batcher.remaining, 0);
    assert.equal(batcher.next(), undefined);
  });
});
