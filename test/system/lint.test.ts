import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { ESLint } from 'eslint';
import type { LintValue } from '../../src/tasks/lint/types';
import { JS_TS_FILES } from '../../src/tasks/file-types';
import { fixturesDir } from '../helpers/files';
import { PoolFixture, runKind } from '../helpers/pool';
import { runTool } from './cli';

const byPath = (a: ESLint.LintResult, b: ESLint.LintResult): number => (a.filePath < b.filePath ? -1 : 1);

/** Lint on worker threads against the reference answer of the eslint CLI, spawned as a user runs it. */
describe('lint on worker threads, against the eslint CLI', () => {
  const pools = new PoolFixture();
  afterEach(() => pools.terminateAll());

  it('reports exactly the messages the eslint CLI reports, with the project config', async () => {
    const project = path.join(fixturesDir, 'lint-basic');
    const result = await runKind<LintValue>(pools.pool(2), 'lint', project, {}, [JS_TS_FILES]);
    const ours = result.state
      .results()
      .flatMap((r) => (r.outcome?.status === 'ok' ? [r.outcome.value.result] : []))
      .sort(byPath);
    const cli = runTool('eslint/bin/eslint.js', ['--format', 'json', '.'], project);
    assert.equal(cli.status, 1, cli.stderr);
    const theirs = (JSON.parse(cli.stdout) as ESLint.LintResult[]).sort(byPath);
    // Every file ESLint lints in the fixture (src/ and the config), none missing from its answer.
    assert.equal(theirs.length, 6);
    assert.deepEqual(ours, theirs);
    // The folder ESLint's config ignores is skipped, with the reason.
    const ignored = result.state.results().find((r) => r.path.endsWith('skip.js'));
    assert.equal(ignored?.outcome?.status === 'skipped' && ignored.outcome.reason, 'ignored by the ESLint configuration');
    const rules = result.state.results().flatMap((r) => (r.outcome?.status === 'ok' ? Object.entries(r.outcome.value.rules) : []));
    assert.ok(rules.some(([id, docs]) => id === 'eqeqeq' && docs.url === 'https://eslint.org/docs/latest/rules/eqeqeq'));
  });
});
