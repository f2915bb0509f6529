import * as assert from 'node:assert/strict';
import { cpSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { LintValue } from '../../src/tasks/lint/types';
import { JS_TS_FILES } from '../../src/tasks/file-types';
import { fixturesDir, tempDir, writeFiles } from '../helpers/files';
import { PoolFixture, runKind } from '../helpers/pool';

describe('lint on worker threads', () => {
  const pools = new PoolFixture();
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    await pools.terminateAll();
    for (const cleanup of cleanups.splice(0)) cleanup();
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
