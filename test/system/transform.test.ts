import * as assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ESLint } from 'eslint';
import { createJiti } from 'jiti';
import type { Transform } from 'jscodeshift';
import type { TransformOptions, TransformValue } from '../../src/tasks/transform/types';
import { JS_TS_FILES } from '../../src/tasks/file-types';
import { fixturesDir, repoRoot, tempDir, writeFiles } from '../helpers/files';
import { PoolFixture, runKind, transformOutputs as outputs } from '../helpers/pool';
import { runTool } from './cli';

/** Prettier, ESLint autofix and jscodeshift loaded into real worker threads (seconds per test), checked against their own CLIs and API. */
describe('transform on worker threads', () => {
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

  it('runs a TypeScript jscodeshift codemod with the same result as jscodeshift itself; a file that fails does not stop the others', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeFiles(dir, {
      'a.js': 'const foo = 1;\nexport default foo + 1;\n',
      'b.ts': 'export function foo(x: number): number { return x; }\n',
      'c.js': 'const other = 2;\n',
      'd.js': 'const foo = (;\n',
    });
    const codemod = path.join(repoRoot, 'test/fixtures/codemods/rename-foo.ts');
    const result = await runKind<TransformValue>(pools.pool(2), 'transform', dir, { mode: 'codemod', codemod }, [JS_TS_FILES]);
    const ours = outputs(result, dir);
    assert.equal(ours['c.js'], 'unchanged');
    assert.match(ours['d.js'] ?? '', /^error:/);

    // The reference: jscodeshift's own applyTransform on the same module and inputs.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { applyTransform } = require('jscodeshift/dist/testUtils') as {
      applyTransform: (module: { default: Transform; parser?: string }, options: object, input: { path: string; source: string }, testOptions?: { parser?: string }) => string;
    };
    const module = { default: await createJiti(__filename).import<Transform>(codemod, { default: true }) };
    for (const [name, parser] of [['a.js', 'babel'], ['b.ts', 'ts']] as const) {
      const file = path.join(dir, name);
      const expected = applyTransform(module, {}, { path: file, source: readFileSync(file, 'utf8') }, { parser });
      // applyTransform trims its output; the codemod's own output keeps the final newline.
      assert.equal(ours[name]?.trim(), `changed:${expected}`, name);
      assert.ok(expected.includes('bar'));
    }
  });

  it('replaces by regular expression with group references', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeFiles(dir, { 'x.txt': 'version 1.2.3 and 4.5.6\n', 'y.txt': 'no numbers\n' });
    const options: TransformOptions = { mode: 'replace', pattern: '(\\d+)\\.(\\d+)\\.(\\d+)', flags: 'g', replacement: '$1.$2.x' };
    const result = await runKind<TransformValue>(pools.pool(1), 'transform', dir, options, ['**/*']);
    assert.deepEqual(outputs(result, dir), { 'x.txt': 'changed:version 1.2.x and 4.5.x\n', 'y.txt': 'unchanged' });
  });
});
