import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { planJob } from '../../src/core/job-planner';
import { UnknownKindError, type Problem } from '../../src/core/task-api';
import { UsageError } from '../../src/core/errors';
import type { FileRecord } from '../../src/core/run-state';
import { runCliJob, type CommonOptions } from '../../src/cli/job';
import { registerTaskKind, taskKind, taskKindNames } from '../../src/tasks/registry';
import { taskHandlers } from '../../src/worker/handlers';
import { runBatch } from '../../src/worker/run-batch';
import type { WorkerMessage } from '../../src/core/types';
import { longLinesKind } from '../fixtures/kinds/long-lines';
import { tempDir, writeFiles } from '../helpers/files';

const common: CommonOptions = { workers: '0', timeout: '30', gitignore: true, maxFileSize: String(1024 * 1024), progress: false, cache: false, cacheStrategy: 'content' };

function plan(kind: string, options: unknown, over: Partial<Parameters<typeof planJob>[0]> = {}): ReturnType<typeof planJob> {
  return planJob({ kind: taskKind(kind), options, root: '/w', paths: [], include: [], exclude: [], gitignore: true, maxFileSize: 1000, workers: 2, fileTimeoutMs: 5000, ...over });
}

describe('task kinds', function () {
  it('the registry knows the built-in kinds and refuses an unknown one instead of falling through', () => {
    assert.deepEqual(taskKindNames(), ['lint', 'transform', 'analyze', 'custom']);
    assert.throws(() => taskKind('lnt'), (error: unknown) => error instanceof UnknownKindError && /unknown task kind "lnt" \(known: lint, transform, analyze, custom\)/.test(error.message));
  });

  it('a worker asked for an unknown kind fails the batch with that name, and runs nothing', async () => {
    const messages: WorkerMessage<unknown>[] = [];
    await assert.rejects(runBatch(taskHandlers, { kind: 'nope', root: '/', options: {}, files: ['/a.js'] }, (m) => messages.push(m)), /unknown task kind "nope"/);
    assert.deepEqual(messages, []);
  });

  it("options are parsed by the kind's own schema: extra keys and wrong types are refused before anything runs", () => {
    assert.throws(() => plan('lint', { configFile: 3 }), UsageError);
    assert.throws(() => plan('lint', { confgFile: 'x.mjs' }), /invalid options for lint/);
    assert.throws(() => plan('transform', { mode: 'sed' }), /invalid options for transform/);
    assert.throws(() => plan('analyze', { thresholds: 1 }), /invalid options for analyze/);
  });

  it('each kind decides its files, links, isolation, heap cap and trust; a flag or setting overrides isolation', () => {
    const lint = plan('lint', { configFile: '/w/eslint.config.mjs' });
    assert.deepEqual(lint.spec.discovery.include, ['**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}']);
    assert.equal(lint.spec.discovery.symlinks, 'follow');
    assert.equal(lint.isolation, 'auto', 'threads or processes by the size of each run');
    assert.equal(lint.unsavedText, true);
    assert.ok(lint.heapCapMb > 0);
    assert.deepEqual(lint.kind.executedFiles(lint.options), ['/w/eslint.config.mjs']);
    const codemod = plan('transform', { mode: 'codemod', codemod: '/w/mod.js' });
    assert.equal(codemod.isolation, 'process');
    assert.equal(codemod.fragile, true);
    assert.equal(codemod.spec.discovery.symlinks, 'skip');
    assert.equal(plan('transform', { mode: 'codemod', codemod: '/w/mod.js' }, { isolation: 'thread' }).isolation, 'thread');
    assert.deepEqual(plan('transform', { mode: 'prettier' }).spec.discovery.include[0]?.includes('md'), true);
    assert.equal(taskKind('transform').loadsWorkspaceCode({ mode: 'replace', pattern: 'a', flags: 'g', replacement: 'b' }), false);
    assert.equal(taskKind('analyze').loadsWorkspaceCode({}), false);
    assert.equal(plan('analyze', {}).unsavedText, false);
    // The user's include replaces the kind's own.
    assert.deepEqual(plan('lint', {}, { include: ['src/**/*.js'] }).spec.discovery.include, ['src/**/*.js']);
  });

  describe('a kind added from outside src/', function () {
    let unregister: (() => void) | undefined;
    let cleanup: (() => void) | undefined;
    const cwd = process.cwd();
    afterEach(() => {
      unregister?.();
      unregister = undefined;
      process.chdir(cwd);
      cleanup?.();
    });

    it('runs through the CLI job, the planner, the in-process executor and the worker lookup, and says what it found', async () => {
      unregister = registerTaskKind(longLinesKind);
      assert.throws(() => registerTaskKind(longLinesKind), /already registered/);
      const scratch = tempDir();
      cleanup = scratch.cleanup;
      writeFiles(scratch.dir, { 'short.txt': 'ok\nfine\n', 'long.txt': `ok\n${'x'.repeat(30)}\nok\n${'y'.repeat(12)}\n`, 'skip.js': 'x'.repeat(50) });
      process.chdir(scratch.dir);
      const result = await runCliJob<unknown>({ kind: 'long-lines', paths: [], options: { max: 10 } }, common);
      assert.equal(result.outcome.phase, 'completed');
      const records = result.state.results() as readonly FileRecord<unknown>[];
      // Only the kind's own files (*.txt), found by the shared discovery.
      assert.deepEqual(records.map((r) => path.basename(r.path)).sort(), ['long.txt', 'short.txt']);
      const problems = (file: string): readonly Problem[] => {
        const outcome = records.find((r) => path.basename(r.path) === file)?.outcome;
        assert.equal(outcome?.status, 'ok');
        return outcome.status === 'ok' && longLinesKind.results.view === 'problems' ? longLinesKind.results.problems(outcome.value as never) : [];
      };
      assert.deepEqual(
        problems('long.txt').map((p) => `${p.line}:${p.message}`),
        ['2:line is 30 characters long', '4:line is 12 characters long'],
      );
      assert.deepEqual(problems('short.txt'), []);
      assert.equal(longLinesKind.summaryLine({ done: 2, failed: 0, errors: 0, warnings: 2, changed: 0 }), '2 long lines');
    });

    it('its options schema guards the CLI too', async () => {
      unregister = registerTaskKind(longLinesKind);
      await assert.rejects(runCliJob<unknown>({ kind: 'long-lines', paths: [], options: { max: -1 } }, common), /invalid options for long-lines/);
    });
  });
});
