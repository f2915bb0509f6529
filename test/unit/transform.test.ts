import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createJiti } from 'jiti';
import type { Transform } from 'jscodeshift';
import type { TransformOptions, TransformValue } from '../../src/tasks/transform/types';
import { JS_TS_FILES } from '../../src/tasks/file-types';
import { repoRoot, tempDir, writeFiles } from '../helpers/files';
import { PoolFixture, runKind, transformOutputs as outputs } from '../helpers/pool';

describe('transform on worker threads', () => {
  const pools = new PoolFixture();
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    await pools.terminateAll();
    for (const cleanup of cleanups.splice(0)) cleanup();
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
