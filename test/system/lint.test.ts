import * as assert from 'node:assert/strict';
import { cpSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ESLint } from 'eslint';
import type { LintValue } from '../../src/tasks/lint/types';
import { JS_TS_FILES } from '../../src/tasks/file-types';
import { fixturesDir, tempDir, writeFiles } from '../helpers/files';
import { PoolFixture, runKind } from '../helpers/pool';
import { runTool } from './cli';

const byPath = (a: ESLint.LintResult, b: ESLint.LintResult): number => (a.filePath < b.filePath ? -1 : 1);

/** ESLint loaded into real worker threads (seconds per test), checked against the eslint CLI spawned as a user runs it. */
describe('lint on worker threads', () => {
  const pools = new PoolFixture();
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    await pools.terminateAll();
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

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

  it('falls back to the bundled ESLint with a default config when the project has none', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeFiles(dir, { 'a.js': 'var unused = 1;\nconsole.log(missing);\n', 'b.ts': 'const x: any = 1;\nexport default x;\n' });
    const result = await runKind<LintValue>(pools.pool(1), 'lint', dir, {}, [JS_TS_FILES]);
    const values = result.state.results().map((r) => (r.outcome?.status === 'ok' ? r.outcome.value : undefined));
    assert.ok(values.every((v) => v?.eslint === 'bundled-default-config'));
    const rules = values.flatMap((v) => v?.result.messages.map((m) => m.ruleId) ?? []).sort();
    assert.deepEqual(rules, ['@typescript-eslint/no-explicit-any', 'no-undef', 'no-unused-vars']);
  });

  it('stops the run with a clear error when the ESLint config cannot be loaded', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    cpSync(path.join(fixturesDir, 'lint-basic', 'src'), path.join(dir, 'src'), { recursive: true });
    writeFileSync(path.join(dir, 'eslint.config.mjs'), 'export default [{ rules: { eqeqeq: "error" }, ;\n');
    const result = await runKind<LintValue>(pools.pool(2), 'lint', dir, {}, [JS_TS_FILES]);
    assert.equal(result.outcome.phase, 'failed');
    assert.match(result.outcome.error ?? '', /ESLint configuration could not be loaded/);
  });
});
