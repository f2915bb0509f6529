import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { FileAnalysis } from '../../src/tasks/analyze/types';
import type { LintValue } from '../../src/tasks/lint/types';
import type { TransformValue } from '../../src/tasks/transform/types';
import { PoolExecutor } from '../../src/core/pool-executor';
import { repoRoot, tempDir, writeFiles } from '../helpers/files';
import { runKind, transformOutputs } from '../helpers/pool';
import { readZip } from '../helpers/zip';

/** The most files the .vsix may hold (issue 15): it held 5,004 when node_modules were shipped. */
const MAX_FILES = 300;

/**
 * `npm run package` as a user (or the marketplace) runs it, and the .vsix it writes read back, unpacked into a
 * folder with no node_modules anywhere above it. The e2e suite installs the same package into a real VS Code
 * (test/e2e/vscode-host.test.ts); this one runs without a browser and holds the package's shape.
 */
describe('the packaged extension (.vsix)', function () {
  this.timeout(240_000);
  const scratch = tempDir('pt-vsix-');
  const unpacked = path.join(scratch.dir, 'unpacked');
  let files: Map<string, Buffer>;
  let vsceOutput: string;

  before(function () {
    const vsix = path.join(scratch.dir, 'parallel-tasks.vsix');
    const vsce = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--allow-missing-repository', '--out', vsix], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 << 20 });
    vsceOutput = `${vsce.stdout}${vsce.stderr}`;
    assert.equal(vsce.status, 0, vsceOutput);
    files = readZip(readFileSync(vsix));
    for (const [name, content] of files) {
      mkdirSync(path.dirname(path.join(unpacked, name)), { recursive: true });
      writeFileSync(path.join(unpacked, name), content);
    }
  });

  after(() => scratch.cleanup());

  it(`holds at most ${MAX_FILES} files and no node_modules, sources or source maps; vsce warns of nothing`, () => {
    assert.doesNotMatch(vsceOutput, /WARNING/, 'vsce printed a warning');
    assert.ok(files.size <= MAX_FILES, `${files.size} files in the .vsix`);
    const names = [...files.keys()];
    assert.deepEqual(names.filter((name) => /(^|\/)node_modules\/|\.map$|\.ts$|^extension\/(src|test|out)\//.test(name)), []);
    for (const needed of ['package.json', 'dist/extension.js', 'dist/engine.js', 'dist/worker.js', 'dist/webview/panel.js', 'dist/tools/eslint.js', 'dist/tools/prettier.js']) {
      assert.ok(files.has(`extension/${needed}`), `${needed} is missing`);
    }
  });

  it("holds every walkthrough step's picture", () => {
    // The allow-list (.vscodeignore) admits media by extension, and vsce does not check that a step's picture
    // exists (it does refuse a %key% that package.nls.json lacks): a step whose picture is missing shows nothing.
    interface Step { media: { svg?: string; image?: string } }
    const manifest = JSON.parse(files.get('extension/package.json')?.toString('utf8') ?? '{}') as { contributes: { walkthroughs: { steps: Step[] }[] } };
    const steps = manifest.contributes.walkthroughs.flatMap((walkthrough) => walkthrough.steps);
    assert.ok(steps.length > 0);
    assert.deepEqual(steps.map(({ media }) => media.svg ?? media.image).filter((picture) => picture === undefined || !files.has(`extension/${picture}`)), []);
  });

  it('every file a shipped bundle loads by relative path is in the package', () => {
    const missing: string[] = [];
    const loaded = new Set<string>();
    for (const [name, content] of files) {
      if (!name.endsWith('.js')) continue;
      for (const [, target] of content.toString('utf8').matchAll(/\b(?:require|import)\("(\.\.?\/[^"]+)"\)/g)) {
        const resolved = path.posix.join(path.posix.dirname(name), target as string);
        loaded.add(resolved);
        if (!files.has(resolved)) missing.push(`${name} → ${target}`);
      }
    }
    assert.deepEqual(missing, []);
    // What the bundles were seen to load: the check above looked at something.
    for (const file of ['dist/shared.js', 'dist/tools/typescript.js', 'dist/tools/jiti.js', 'dist/tools/bullmq.js']) assert.ok(loaded.has(`extension/${file}`), file);
  });

  it("runs lint (ESLint's default config), Prettier, a TypeScript codemod and analyze on the package's own worker, with nothing from node_modules", async () => {
    const project = tempDir('pt-vsix-project-');
    const executor = new PoolExecutor({ script: path.join(unpacked, 'extension', 'dist', 'worker.js'), workers: 1 });
    try {
      writeFiles(project.dir, {
        'src/app.ts': 'let count: any = 1;\nexport const twice = (n: number) => n * 2;\n',
        'src/ugly.js': 'const a = {b:1,\n  c:"two"};\nexport { a };\n',
        'codemods/rename.ts': 'import type { API, FileInfo } from "jscodeshift";\nexport default function (file: FileInfo, api: API): string {\n  const j = api.jscodeshift;\n  return j(file.source).find(j.Identifier, { name: "twice" }).forEach((p) => { p.node.name = "double"; }).toSource();\n}\n',
      });
      const lint = await runKind<LintValue>(executor, 'lint', project.dir, {}, ['src/**']);
      const app = lint.state.results().find((r) => r.path.endsWith('app.ts'));
      assert.equal(app?.outcome?.status, 'ok', JSON.stringify(app?.outcome));
      const value = app?.outcome?.status === 'ok' ? app.outcome.value : undefined;
      assert.deepEqual(value?.result.messages.map((m) => m.ruleId), ['prefer-const', '@typescript-eslint/no-unused-vars', '@typescript-eslint/no-explicit-any']);
      assert.equal(value?.eslint, 'bundled-default-config');

      const prettier = await runKind<TransformValue>(executor, 'transform', project.dir, { mode: 'prettier' }, ['src/ugly.js']);
      assert.deepEqual(transformOutputs(prettier, project.dir), { 'src/ugly.js': 'changed:const a = { b: 1, c: "two" };\nexport { a };\n' });

      const codemod = await runKind<TransformValue>(executor, 'transform', project.dir, { mode: 'codemod', codemod: path.join(project.dir, 'codemods/rename.ts') }, ['src/app.ts']);
      assert.deepEqual(transformOutputs(codemod, project.dir), { 'src/app.ts': 'changed:let count: any = 1;\nexport const double = (n: number) => n * 2;\n' });

      const analyze = await runKind<FileAnalysis>(executor, 'analyze', project.dir, {}, ['src/**']);
      const analysis = analyze.state.results().find((r) => r.path.endsWith('app.ts'))?.outcome;
      assert.equal(analysis?.status, 'ok', JSON.stringify(analysis));
      assert.deepEqual(analysis?.status === 'ok' && analysis.value.lines, { total: 2, code: 2, comment: 0, blank: 0 });
    } finally {
      await executor.terminate();
      project.cleanup();
    }
  });

  it("loads oxc's native parser from the package on the platform that built it, so analyze runs at its speed there", () => {
    const binding = [...files.keys()].filter((name) => name.endsWith('.node'));
    assert.deepEqual(binding, [`extension/dist/tools/parser.${process.platform}-${process.arch}${process.platform === 'linux' ? '-gnu' : ''}.node`]);
    const oxc = path.join(unpacked, 'extension', 'dist', 'tools', 'oxc-parser.js');
    const parsed = spawnSync(process.execPath, ['-e', `process.stdout.write(String(require(${JSON.stringify(oxc)}).parseSync("a.ts", "let a: number = 1;", {}).program.body.length))`], { cwd: scratch.dir, encoding: 'utf8' });
    assert.equal(parsed.stdout, '1', parsed.stderr);
  });
});
