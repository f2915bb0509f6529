import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runJob, type JobResult } from '../../src/core/engine';
import { PoolExecutor, type Isolation } from '../../src/core/pool-executor';
import type { TransformValue } from '../../src/tasks/transform/types';
import { repoRoot, tempDir, workerScript, writeFiles } from '../helpers/files';

describe('process isolation', function () {
  this.timeout(120_000);
  const pools: PoolExecutor[] = [];
  const cleanups: (() => void)[] = [];

  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.terminate()));
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  function codemodRun(isolation: Isolation, codemod: string, files: Record<string, string>): Promise<JobResult<TransformValue>> {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeFiles(dir, files);
    const pool = new PoolExecutor({ script: workerScript, workers: 2, isolation });
    pools.push(pool);
    return runJob<TransformValue>(pool, {
      kind: 'transform',
      root: dir,
      options: { mode: 'codemod', codemod: path.join(repoRoot, 'test/fixtures/codemods', codemod) },
      discovery: { cwd: dir, paths: [], include: ['**/*.js'], exclude: [], gitignore: false, maxFileSize: 1 << 20 },
      scheduler: { fileTimeoutMs: 30_000, cancelGraceMs: 0 },
    });
  }

  const files = (count: number): Record<string, string> => Object.fromEntries(Array.from({ length: count }, (_, i) => [`f${i}.js`, `const old${i} = "old";\n`]));

  it('a codemod that calls process.abort() costs one file and a worker process, not this process', async () => {
    const result = await codemodRun('process', 'abort-on-marker.js', { ...files(10), 'crash.js': '// ABORT_HERE\nconst old = 1;\n' });
    // Reaching this line is the point: with worker threads the abort would have ended the test run.
    assert.equal(result.outcome.phase, 'completed');
    const crash = result.state.results().find((r) => r.path.endsWith('crash.js'));
    assert.equal(crash?.status, 'failed');
    assert.match(crash?.outcome?.status === 'error' ? crash.outcome.message : '', /crashed while processing this file, 2 times \(the worker was killed by SIGABRT\)/);
    for (let i = 0; i < 10; i++) {
      const record = result.state.results().find((r) => r.path.endsWith(`f${i}.js`));
      const value = record?.outcome?.status === 'ok' ? record.outcome.value : undefined;
      assert.equal(value?.output, `const new${i} = "new";\n`, `f${i}.js is transformed`);
    }
    assert.equal(result.state.snapshot().executor, 'process');
    assert.equal(result.state.snapshot().workers.reduce((n, w) => n + w.restarts, 0), 2, 'one replacement per crash');
  });

  it('gives the same results in worker processes as in worker threads', async () => {
    const input = files(20);
    const outputs = async (isolation: Isolation): Promise<unknown> =>
      (await codemodRun(isolation, 'abort-on-marker.js', input)).state
        .results()
        .map((r) => [path.basename(r.path), r.outcome?.status === 'ok' ? r.outcome.value.output : r.outcome?.status])
        .sort();
    assert.deepEqual(await outputs('process'), await outputs('thread'));
  });
});
