import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeText } from '../../src/tasks/analyze/handler';
import type { FileAnalysis } from '../../src/tasks/analyze/types';
import { JS_TS_FILES } from '../../src/tasks/file-types';
import { fixturesDir } from '../helpers/files';
import { PoolFixture, runKind } from '../helpers/pool';

const analyzeDir = path.join(fixturesDir, 'analyze');

function analysisOf(file: string): FileAnalysis {
  const outcome = analyzeText(file, readFileSync(file, 'utf8'));
  assert.equal(outcome.status, 'ok', outcome.status === 'error' ? outcome.message : '');
  return (outcome as { value: FileAnalysis }).value;
}

/** The analyzer loaded into real worker threads (the parser makes that take seconds); its logic is tested in-process in test/unit/analyze.test.ts. */
describe('analyze on worker threads', () => {
  it('runs on the worker pool with the same results as in-process', async () => {
    const pools = new PoolFixture();
    try {
      const result = await runKind<FileAnalysis>(pools.pool(2), 'analyze', analyzeDir, {}, [JS_TS_FILES]);
      for (const record of result.state.results()) {
        assert.equal(record.outcome?.status, 'ok');
        assert.deepEqual(record.outcome?.status === 'ok' && record.outcome.value, analysisOf(record.path));
      }
      assert.equal(result.state.results().length, 3);
    } finally {
      await pools.terminateAll();
    }
  });
});
