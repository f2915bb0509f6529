// Named to load after extension.test.ts: that suite checks the pool and the view as activation left them, before any run.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ESLint } from 'eslint';
import type { ParallelTasksApi } from '../../src/extension/extension';
import type { RunSummary } from '../../src/extension/run-types';

/** Git with nothing of the machine's own config, and an identity for the commit. */
function git(cwd: string, ...args: string[]): void {
  const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com' };
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', env });
  assert.equal(result.status, 0, `git ${args.join(' ')}: ${result.stderr}`);
}

/** ESLint's own messages for some files, and those Problems shows for the same files, in one format. */
async function eslintMessages(root: string, files: readonly string[]): Promise<string[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ESLint: ESLintClass } = require(path.join(root, 'node_modules', 'eslint')) as { ESLint: typeof ESLint };
  const results = await new ESLintClass({ cwd: root }).lintFiles([...files]);
  return results.flatMap((r) => r.messages.map((m) => `${path.relative(root, r.filePath)}:${m.line}:${m.column} ${m.ruleId ?? '-'}`)).sort();
}

function problemsShown(root: string, only?: readonly string[]): string[] {
  return vscode.languages
    .getDiagnostics()
    .filter(([uri]) => uri.fsPath.startsWith(root + path.sep) && (!only || only.includes(path.relative(root, uri.fsPath))))
    .flatMap(([uri, diagnostics]) =>
      diagnostics.filter((d) => d.source === 'eslint').map((d) => `${path.relative(root, uri.fsPath)}:${d.range.start.line + 1}:${d.range.start.character + 1} ${typeof d.code === 'object' ? String(d.code.value) : (d.code ?? '-')}`),
    )
    .sort();
}

describe('Lint Changed Files, in the real VS Code host', function () {
  this.timeout(180_000);
  if (!vscode.workspace.isTrusted) {
    it('does not ask git in an untrusted workspace (git runs programs a repository\'s config names), and says why', async () => {
      const summary = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.lintChangedFiles')) as RunSummary;
      assert.equal(summary.phase, 'refused');
      assert.match(summary.error ?? '', /only in a trusted workspace/);
    });
    return;
  }

  it('outside a git repository says so and runs nothing; in one, lints only the files git reports changed (from the palette and from the Source Control view)', async () => {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root, 'the test workspace is open');
    const extension = await vscode.extensions.getExtension<ParallelTasksApi>('parallel-tasks.parallel-tasks')?.activate();
    assert.ok(extension, 'the extension is installed');

    const lastRun = extension.view()?.summary;
    const before = problemsShown(root);
    const refused = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.lintChangedFiles')) as RunSummary;
    assert.equal(refused.phase, 'refused');
    assert.match(refused.error ?? '', /is not in a git repository/);
    assert.deepEqual(problemsShown(root), before, 'nothing was linted');
    assert.equal(extension.view()?.summary, lastRun, 'no run started');

    // Files of this test's own, which no editor has open: a run takes an open editor's text, and the comparison is with the disk.
    const modified = path.join(root, 'src', 'committed-then-changed.js');
    const added = path.join(root, 'src', 'added-after-commit.js');
    writeFileSync(modified, 'export const kept = 1;\n');
    try {
      git(root, 'init', '-q', '-b', 'main');
      git(root, 'add', '-A');
      git(root, 'commit', '-q', '-m', 'the fixture');
      writeFileSync(modified, 'export const kept = 1;\nvar changedHere = 1;\n');
      writeFileSync(added, 'let count = 2;\nif (count == 3) count++;\n');
      const changed = ['src/added-after-commit.js', 'src/committed-then-changed.js'];
      const others = problemsShown(root).filter((p) => !changed.some((file) => p.startsWith(`${file}:`)));

      const summary = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.lintChangedFiles')) as RunSummary;
      assert.equal(summary.phase, 'completed', summary.error);
      assert.equal(summary.label, 'Lint (changed files)');
      assert.deepEqual([summary.files, summary.done], [2, 2], 'the two changed files, not the workspace');
      const expected = await eslintMessages(root, changed);
      assert.ok(expected.length >= 2, 'ESLint finds problems in both, so the comparison means something');
      assert.deepEqual(problemsShown(root, changed), expected);
      assert.deepEqual(problemsShown(root).filter((p) => !changed.some((file) => p.startsWith(`${file}:`))), others, 'the other files\' problems are left as they were');

      // The Source Control view passes its source control: the repository's root comes from it.
      const fromScm = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.lintChangedFiles', { rootUri: vscode.Uri.file(root) })) as RunSummary;
      assert.deepEqual([fromScm.phase, fromScm.files], ['completed', 2]);
      // Transform Changed Files goes over the same two files (a pattern found in neither: nothing is edited).
      const transform = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.transformChangedFiles', undefined, { mode: 'replace', pattern: 'notInAnyFile', replacement: 'x' })) as RunSummary;
      assert.deepEqual([transform.phase, transform.files, transform.changed], ['completed', 2, 0]);

      git(root, 'add', '-A');
      git(root, 'commit', '-q', '-m', 'the changes');
      const nothing = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.lintChangedFiles')) as RunSummary;
      assert.equal(nothing.phase, 'refused');
      assert.match(nothing.error ?? '', /^No changed files against HEAD in .*: nothing was checked\.$/);
    } finally {
      // Deleted through VS Code, so that their Problems go at once (the file watcher may lag) before the next test lints the workspace.
      const edit = new vscode.WorkspaceEdit();
      for (const file of [modified, added]) edit.deleteFile(vscode.Uri.file(file), { ignoreIfNotExists: true });
      await vscode.workspace.applyEdit(edit);
      rmSync(path.join(root, '.git'), { recursive: true, force: true });
    }
  });
});
