import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ParallelTasksApi } from '../../src/extension/extension';
import { longLinesExternalKind } from '../fixtures/kinds/long-lines';

/**
 * A task kind that lives in the tests (test/fixtures/kinds), registered
 * through the extension's API: it goes through the editor's run path (trust
 * and workspace checks, the planner, discovery, the run state), into
 * Problems and the panel, without any line of src/ knowing it.
 */
describe('a task kind added from outside src/, in the real VS Code host', function () {
  this.timeout(120_000);
  if (!vscode.workspace.isTrusted) return;

  let extension: ParallelTasksApi;
  let folder: string;
  let registration: vscode.Disposable | undefined;

  before(async () => {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root, 'the test workspace is open');
    const found = vscode.extensions.getExtension<ParallelTasksApi>('parallel-tasks.parallel-tasks');
    assert.ok(found, 'the extension is installed');
    extension = await found.activate();
    folder = path.join(root, 'long-lines-fixture');
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'long.txt'), `short\n${'x'.repeat(40)}\nshort\n`);
    writeFileSync(path.join(folder, 'short.txt'), 'short\n');
  });

  afterEach(() => {
    registration?.dispose();
    registration = undefined;
  });

  after(() => rmSync(folder, { recursive: true, force: true }));

  it('runs, fills Problems in its own collection, and the panel lists its problems by its result view', async () => {
    registration = extension.registerTaskKind(longLinesExternalKind);
    const summary = await extension.runTask('long-lines-external', 'Long lines', { max: 20 });
    assert.equal(summary.phase, 'completed', summary.error);
    assert.equal(summary.kind, 'long-lines-external');
    assert.equal(summary.view, 'problems');
    assert.equal(summary.warnings, 1);
    assert.equal(summary.errors, 0);
    assert.equal(summary.line, '1 long lines');
    // Only the kind's own files: the two .txt files, none of the workspace's JavaScript.
    assert.equal(summary.done, 2);

    const diagnostics = vscode.languages.getDiagnostics(vscode.Uri.file(path.join(folder, 'long.txt')));
    assert.deepEqual(
      diagnostics.map((d) => [d.range.start.line, d.message, d.source, d.code, d.severity]),
      [[1, 'line is 40 characters long', 'long-lines (max 20)', 'long-line', vscode.DiagnosticSeverity.Warning]],
    );

    const state = extension.panelState();
    assert.equal(state.run?.kind, 'long-lines-external');
    assert.equal(state.run?.view, 'problems');
    assert.equal(state.run?.phase, 'completed');
    assert.deepEqual(
      state.lint.map((f) => [path.basename(f.path), f.problems.map((p) => `${p.line}:${p.ruleId}:${p.severity}`)]),
      [['long.txt', ['2:long-line:1']]],
    );
    assert.deepEqual(state.analyze.rows, [], 'a problems kind is never drawn as the analyze table');
    assert.equal(state.history[0]?.kind, 'long-lines-external');
    assert.equal(state.history[0]?.problems, 1);
  });

  it('is refused with its options checked by its own schema, and an unknown kind is an error, never another kind', async () => {
    registration = extension.registerTaskKind(longLinesExternalKind);
    const bad = await extension.runTask('long-lines-external', 'Long lines', { max: 'twenty' });
    assert.equal(bad.phase, 'refused');
    assert.match(bad.error ?? '', /invalid options for long-lines-external/);
    registration.dispose();
    registration = undefined;
    const unknown = await extension.runTask('long-lines-external', 'Long lines', { max: 20 });
    assert.equal(unknown.phase, 'refused');
    assert.match(unknown.error ?? '', /unknown task kind "long-lines-external"/);
  });
});
