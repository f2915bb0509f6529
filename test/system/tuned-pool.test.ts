import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { TunedPool } from '../../src/core/tuned-pool';
import type { WorkerMessage } from '../../src/core/types';
import { PROCESS_RUN_MS, SWITCH_POOL_MS } from '../../src/core/worker-tuning';
import { behaviourWorker, tempDir, writeFiles } from '../helpers/files';

describe('a tuned pool: threads or processes, per run', function () {
  this.timeout(60_000);
  const pools: TunedPool[] = [];
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.terminate()));
    cleanups.splice(0).forEach((cleanup) => cleanup());
  });

  function tunedPool(isolation: 'auto' | 'process'): TunedPool {
    const pool = new TunedPool({ script: behaviourWorker, workers: 2, isolation });
    pools.push(pool);
    return pool;
  }

  /** The pid a worker answers with: this process's for a thread, its own for a worker process. */
  async function workerPid(pool: TunedPool): Promise<number> {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const [file = ''] = writeFiles(dir, { 'a.txt': 'pid\n' });
    let pid: number | undefined;
    await pool.execute<number>({ kind: 'fixture', root: dir, options: {}, files: [file] }, (message: WorkerMessage<number>) => {
      if (message.type === 'file-done' && message.outcome.status === 'ok') pid = message.outcome.value;
    }).done;
    assert.ok(pid, `a result for ${path.basename(file)}`);
    return pid;
  }

  it('runs a small run on threads and a large one on processes, and ends the threads when it switches', async () => {
    const pool = tunedPool('auto');
    await pool.prepare(10);
    assert.equal(pool.kind, 'thread');
    assert.equal(await workerPid(pool), process.pid, 'a thread of this process');
    await pool.prepare(SWITCH_POOL_MS);
    assert.equal(pool.kind, 'process');
    assert.notEqual(await workerPid(pool), process.pid, 'a process of its own');
    assert.equal(pool.stats().workers, 1, 'the thread is gone: one worker holds a tool at a time, not one of each kind');
  });

  it('keeps a warm pool for a run too short to pay for starting the other kind', async () => {
    const pool = tunedPool('auto');
    await pool.prepare(10);
    await workerPid(pool);
    await pool.prepare(PROCESS_RUN_MS * 2);
    assert.equal(pool.kind, 'thread', 'the warm threads run it');
    assert.equal(await workerPid(pool), process.pid);
  });

  it('once ended, starts nothing: not a pool whose flags were still being checked, not a batch', async () => {
    const pool = tunedPool('process');
    const preparing = pool.prepare(SWITCH_POOL_MS);
    await pool.terminate();
    await assert.rejects(preparing, /the worker pool was ended/);
    await assert.rejects(pool.execute({ kind: 'fixture', root: '/', options: {}, files: ['/nothing'] }, () => undefined).done, /the worker pool was ended/);
    assert.equal(pool.stats().workers, 0);
  });
});
