import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ParallelTasksApi } from '../../src/extension/extension';
import type { RunSummary } from '../../src/extension/run-types';

/**
 * Keeping Problems current (parallelTasks.lint.keepCurrent) in the real host,
 * on the lint-basic fixture: saves, typing, created, deleted and renamed files,
 * config edits. Each test sets the mode it needs and works on files of its own.
 */
const EXTENSION_ID = 'parallel-tasks.parallel-tasks';
const PROBLEM = 'export const same = (a, b) => a == b;\n';
const CLEAN = 'export const same = (a, b) => a === b;\n';

async function setMode(mode: string | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('parallelTasks').update('lint.keepCurrent', mode, vscode.ConfigurationTarget.Workspace);
}

/** The rule ids shown in Problems for a file (ESLint's entries only). */
function rules(file: string): string[] {
  return vscode.languages
    .getDiagnostics(vscode.Uri.file(file))
    .filter((d) => d.source === 'eslint')
    .map((d) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code)))
    .sort();
}

async function until(what: string, test: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Resolves when Problems of `file` next change, with the time (performance.now()). */
function nextChange(file: string): Promise<number> {
  return new Promise((resolve) => {
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((u) => u.fsPath === file)) {
        listener.dispose();
        resolve(performance.now());
      }
    });
  });
}

/** Replaces the whole text of an open document, as typing would (the document becomes dirty). */
async function replaceText(document: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
}

describe('keeps Problems current in a real VS Code host', function () {
  this.timeout(180_000);
  if (!vscode.workspace.isTrusted) return;
  let extension: ParallelTasksApi;
  let root: string;
  const made: string[] = [];

  /** A file of this test, in src/, with `text`; removed after the test. */
  const file = (name: string, text?: string): string => {
    const at = path.join(root, 'src', name);
    if (text !== undefined) writeFileSync(at, text);
    made.push(at);
    return at;
  };

  before(async () => {
    const found = vscode.extensions.getExtension<ParallelTasksApi>(EXTENSION_ID);
    assert.ok(found, 'the extension is installed');
    extension = await found.activate();
    root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Workspace);
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const at of made.splice(0)) rmSync(at, { force: true });
    await until('the last pass ended', () => extension.liveState().pending === 0 && !extension.view()?.running);
    // The other suites fill Problems only from the runs they start.
    await setMode('off');
  });

  it('on save: an edited and saved file\'s Problems change, created files are linted; the status bar and panel say Problems are live', async function () {
    await setMode('onSave');
    const warm = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.lintWorkspace')) as RunSummary;
    assert.equal(warm.phase, 'completed', warm.error);
    const saved = file('live-save.js', PROBLEM);
    await until('the created file is linted', () => rules(saved).includes('eqeqeq'));
    assert.deepEqual(extension.panelState().live, { mode: 'onSave', pending: 0 });
    const document = await vscode.workspace.openTextDocument(saved);
    await vscode.window.showTextDocument(document);
    // From the call to save (VS Code's own save pipeline included) and from the moment VS Code says the file is saved.
    const fromCall: number[] = [];
    const fromSaved: number[] = [];
    /** The pass alone, from taking the file off the queue to its Problems set. */
    const pass: number[] = [];
    for (let round = 0; round < 6; round++) {
      const fixed = round % 2 === 0;
      await replaceText(document, fixed ? CLEAN : PROBLEM);
      const changed = nextChange(saved);
      let savedAt = NaN;
      const onSaved = vscode.workspace.onDidSaveTextDocument((d) => {
        if (d.uri.fsPath === saved) savedAt = performance.now();
      });
      const started = performance.now();
      try {
        assert.ok(await document.save());
        const shownAt = await changed;
        fromCall.push(shownAt - started);
        fromSaved.push(shownAt - savedAt);
        pass.push(extension.liveState().lastPass?.ms ?? NaN);
      } finally {
        onSaved.dispose();
      }
      await until(`the save of round ${round} shows`, () => rules(saved).includes('eqeqeq') !== fixed);
    }
    assert.ok(extension.liveState().passes >= 6);
    // The first save may still start the workers' ESLint for this file's config: the rest is the steady state.
    const median = (xs: number[]): number => [...xs.slice(1)].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? NaN;
    const list = (xs: number[]): string => xs.map((x) => x.toFixed(0)).join(', ');
    if (this.test) this.test.title += ` [save to Problems: ${median(fromCall).toFixed(0)} ms; from the saved event: ${median(fromSaved).toFixed(0)} ms; the pass: ${median(pass).toFixed(0)} ms] (${list(fromCall)}; ${list(fromSaved)}; ${list(pass)})`;
  });

  it('on type: Problems follow the unsaved text after a pause, without saving', async () => {
    await setMode('onType');
    const typed = file('live-type.js', CLEAN);
    const document = await vscode.workspace.openTextDocument(typed);
    await vscode.window.showTextDocument(document);
    await replaceText(document, PROBLEM);
    await until('the unsaved text is linted', () => rules(typed).includes('eqeqeq'));
    assert.ok(document.isDirty, 'nothing was saved');
    assert.equal(readFileSync(typed, 'utf8'), CLEAN);
    await replaceText(document, CLEAN);
    await until('the fix shows before saving', () => !rules(typed).includes('eqeqeq'));
  });

  it('deleted and renamed files: their entries go, or move to the new name', async () => {
    await setMode('onSave');
    const before = file('live-old.js', PROBLEM);
    const after = file('live-new.js');
    await until('the created file is linted', () => rules(before).includes('eqeqeq'));
    const rename = new vscode.WorkspaceEdit();
    rename.renameFile(vscode.Uri.file(before), vscode.Uri.file(after));
    assert.ok(await vscode.workspace.applyEdit(rename));
    await until('the entries moved to the new name', () => rules(after).includes('eqeqeq') && rules(before).length === 0);
    rmSync(after);
    await until('the deleted file\'s entries are gone', () => rules(after).length === 0);
  });

  it('a config edit lints the workspace again through the cache: Problems follow the new config, and a rewrite that changes nothing is answered from the cache', async () => {
    await setMode('onSave');
    const problems = path.join(root, 'src', 'problems.js');
    const config = path.join(root, 'eslint.config.mjs');
    const original = readFileSync(config, 'utf8');
    const first = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.lintWorkspace')) as RunSummary;
    assert.ok(rules(problems).includes('eqeqeq'));
    const relinted = async (what: string, edit: () => void): Promise<RunSummary | undefined> => {
      const before = extension.liveState().relints;
      edit();
      await until(what, () => extension.liveState().relints > before, 30_000);
      return extension.view()?.summary;
    };
    try {
      const same = await relinted('the workspace was linted again after a rewrite of the config', () => writeFileSync(config, original));
      assert.equal(same?.files, first.files, 'the whole workspace');
      assert.equal(same?.cached, same?.done, `every file came from the cache (${JSON.stringify(same)})`);
      await relinted('the workspace was linted again with the new config', () => writeFileSync(config, original.replace(/\];\s*$/, "  { files: ['src/problems.js'], rules: { eqeqeq: 'off' } },\n];\n")));
      assert.ok(!rules(problems).includes('eqeqeq'), 'the new config shows in Problems of a file that is not open');
    } finally {
      writeFileSync(config, original);
    }
    await until('the old config is back in Problems', () => rules(problems).includes('eqeqeq') && !extension.view()?.running, 30_000);
  });

  it('leaves out what a workspace run leaves out: excluded by a setting, ignored by ESLint, and documents that are not files', async () => {
    await setMode('onType');
    await vscode.workspace.getConfiguration('parallelTasks').update('exclude', ['src/excluded-*.js'], vscode.ConfigurationTarget.Workspace);
    try {
      const excluded = file('excluded-live.js', CLEAN);
      const ignored = path.join(root, 'ignored', 'live-ignored.js');
      made.push(ignored);
      writeFileSync(ignored, CLEAN);
      const untitled = await vscode.workspace.openTextDocument({ language: 'javascript', content: CLEAN });
      const control = file('live-control.js', CLEAN);
      for (const at of [excluded, ignored, control]) {
        const document = await vscode.workspace.openTextDocument(at);
        await replaceText(document, PROBLEM);
        assert.ok(await document.save());
      }
      await replaceText(untitled, PROBLEM);
      // The control file, saved last, shows that the checks ran: the others had their chance before it.
      await until('the control file is linted', () => rules(control).includes('eqeqeq'));
      await until('no pass is pending', () => extension.liveState().pending === 0);
      assert.deepEqual(vscode.languages.getDiagnostics(vscode.Uri.file(excluded)), []);
      assert.deepEqual(vscode.languages.getDiagnostics(vscode.Uri.file(ignored)), [], 'not even ESLint\'s "File ignored" warning');
      assert.deepEqual(vscode.languages.getDiagnostics(untitled.uri), []);
    } finally {
      await vscode.workspace.getConfiguration('parallelTasks').update('exclude', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('a custom task with "keepCurrent": true runs again on the saved file', async () => {
    await setMode('onSave');
    const tasksFile = path.join(root, '.vscode', 'parallel-tasks.json');
    mkdirSync(path.dirname(tasksFile), { recursive: true });
    made.push(tasksFile);
    // grep as the external program: each TODO line is a warning; `|| true` because no match is no failure here.
    const task = { name: 'todos', command: ['sh', '-c', 'grep -Hn TODO "$@" || true', 'sh', '${files}'], include: ['notes/**/*.txt'], keepCurrent: true, problemMatcher: { regexp: '^(?<file>[^:]+):(?<line>\\d+):(?<message>.*)$', severity: 'warning' } };
    writeFileSync(tasksFile, JSON.stringify({ tasks: [task] }));
    const notes = path.join(root, 'notes');
    mkdirSync(notes, { recursive: true });
    const note = path.join(notes, 'plan.txt');
    made.push(note);
    writeFileSync(note, 'nothing to do\n');
    const todos = (): string[] => vscode.languages.getDiagnostics(vscode.Uri.file(note)).filter((d) => d.source === 'todos').map((d) => `${d.range.start.line + 1} ${d.message}`);
    try {
      const document = await vscode.workspace.openTextDocument(note);
      await replaceText(document, 'nothing to do\nTODO: write the plan\n');
      assert.ok(await document.save());
      await until('the saved file\'s task problems show', () => todos().length === 1);
      assert.deepEqual(todos(), ['2 TODO: write the plan']);
      await replaceText(document, 'done\n');
      assert.ok(await document.save());
      await until('the fixed file\'s task problems are gone', () => todos().length === 0);
    } finally {
      rmSync(notes, { recursive: true, force: true });
    }
  });

  it('set to off: saving changes nothing', async () => {
    await setMode('off');
    const quiet = file('live-off.js', CLEAN);
    const passes = extension.liveState().passes;
    const document = await vscode.workspace.openTextDocument(quiet);
    await vscode.window.showTextDocument(document);
    await replaceText(document, PROBLEM);
    assert.ok(await document.save());
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.deepEqual(rules(quiet), []);
    assert.equal(extension.liveState().passes, passes);
    assert.equal(extension.panelState().live, undefined);
    assert.ok(existsSync(quiet));
  });
});
