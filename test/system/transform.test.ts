import * as assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ESLint } from 'eslint';
import type { TransformOptions, TransformValue } from '../../src/tasks/transform/types';
import { JS_TS_FILES } from '../../src/tasks/file-types';
import { fixturesDir, tempDir, writeFiles } from '../helpers/files';
import { PoolFixture, runKind, transformOutputs as outputs } from '../helpers/pool';
import { runTool } from './cli';

/** Transform on worker threads against the reference answers of the prettier and eslint CLIs, spawned as a user runs them. */
describe('transform on worker threads, against the prettier and eslint CLIs', () => {
  const pools = new PoolFixture();
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    await pools.terminateAll();
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  function copyOfFormatFixture(): string {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    cpSync(path.join(fixturesDir, 'format'), dir, { recursive: true });
    return dir;
  }

  it('formats byte for byte as the prettier CLI does, honouring .prettierrc and .prettierignore', async () => {
    const dir = copyOfFormatFixture();
    const options: TransformOptions = { mode: 'prettier' };
    const result = await runKind<TransformValue>(pools.pool(2), 'transform', dir, options, ['**/*.{js,ts,json}']);
    const ours = outputs(result, dir);
    assert.equal(ours['src/ignored.js'], 'skipped:ignored by .prettierignore or .gitignore');
    assert.equal(ours['src/pretty.ts'], 'unchanged');
    assert.match(ours['src/broken.js'] ?? '', /^error:.*(Unexpected token|SyntaxError)/);

    // Now let the real prettier CLI write the same folder and compare.
    const cli = runTool('prettier/bin/prettier.cjs', ['--write', 'src/ugly.js', 'src/pretty.ts', 'src/data.json', 'src/ignored.js'], dir);
    assert.equal(cli.status, 0, cli.stderr);
    for (const file of ['src/ugly.js', 'src/data.json']) {
      assert.equal(ours[file], `changed:${readFileSync(path.join(dir, file), 'utf8')}`, file);
    }
    assert.equal(readFileSync(path.join(dir, 'src/ignored.js'), 'utf8'), 'const   untouched   =   "keep me";\n');
  });

  it('takes ESLint autofix output exactly as `eslint --fix-dry-run` computes it, without writing', async () => {
    const dir = copyOfFormatFixture();
    writeFiles(dir, { 'src/fixable.js': 'var a = 1;\nlet b = 2;\nif (a) a = b;\nexport { a, b };\n' });
    const result = await runKind<TransformValue>(pools.pool(1), 'transform', dir, { mode: 'eslint-fix' }, [JS_TS_FILES], ['src/fixable.js', 'src/ugly.js']);
    const cli = runTool('eslint/bin/eslint.js', ['--fix-dry-run', '--format', 'json', 'src/fixable.js', 'src/ugly.js'], dir);
    const expected = JSON.parse(cli.stdout) as ESLint.LintResult[];
    const ours = outputs(result, dir);
    for (const r of expected) {
      const key = path.relative(dir, r.filePath);
      assert.equal(ours[key], r.output === undefined ? 'unchanged' : `changed:${r.output}`, key);
    }
    assert.ok(ours['src/fixable.js']?.startsWith('changed:'));
    assert.equal(readFileSync(path.join(dir, 'src/fixable.js'), 'utf8'), 'var a = 1;\nlet b = 2;\nif (a) a = b;\nexport { a, b };\n', 'ESLint never writes');
  });
});
