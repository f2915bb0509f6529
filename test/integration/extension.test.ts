import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ESLint } from 'eslint';
import type { ParallelTasksApi } from '../../src/extension/extension';
import type { RunSummary } from '../../src/extension/run-types';
import { SWITCH_POOL_MS } from '../../src/core/worker-tuning';

/**
 * Runs inside a real VS Code extension host (code-server here, desktop VS Code
 * under @vscode/test-electron), on a copy of test/fixtures/projects/lint-basic
 * whose node_modules links to this repository's, like a project with ESLint
 * installed.
 */
const EXTENSION_ID = 'parallel-tasks.parallel-tasks';

function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is open');
  return folder.uri.fsPath;
}

async function api(): Promise<ParallelTasksApi> {
  const extension = vscode.extensions.getExtension<ParallelTasksApi>(EXTENSION_ID);
  assert.ok(extension, 'the extension is installed');
  return extension.activate();
}

/**
 * Messages a compromised webview could send: junk of every shape, and valid
 * messages broken in one place (an extra key, a wrong type, a path outside
 * the workspace). Seeded, so a failure can be replayed.
 */
function* fuzzMessages(count: number, root: string): Generator<unknown> {
  let seed = 20261122;
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const junk = (depth: number): unknown => {
    switch (Math.floor(random() * (depth > 2 ? 6 : 8))) {
      case 0: return null;
      case 1: return random() * 1e9 - 5e8;
      case 2: return pick([NaN, Infinity, -0, Number.MAX_SAFE_INTEGER + 2]);
      case 3: return 'x'.repeat(Math.floor(random() * 10) === 0 ? 100_000 : Math.floor(random() * 20));
      case 4: return random() < 0.5;
      case 5: return undefined;
      case 6: return Array.from({ length: Math.floor(random() * 4) }, () => junk(depth + 1));
      default: return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, () => [pick(['type', 'path', 'command', '__proto__', 'constructor', 'paths', 'id']), junk(depth + 1)]));
    }
  };
  const inside = path.join(root, 'src', 'problems.js');
  const outside = ['/etc/passwd', `${root}/../outside.js`, 'relative.js', `file://${inside}`, `${inside}\u0000.js`, '\\\\server\\share\\x.js', path.join(root, '..', '..', 'etc', 'hosts')];
  const valid = (): Record<string, unknown> =>
    pick([
      { type: 'ready' },
      { type: 'command', command: 'cancel' },
      { type: 'open', path: inside, line: 1, column: 1 },
      { type: 'transform', action: 'apply', paths: [inside] },
      { type: 'request', id: 1, request: { kind: 'diff', path: inside } },
    ]);
  const wrongType = (value: unknown): unknown => (typeof value === 'string' ? 42 : typeof value === 'number' ? '42' : typeof value === 'object' ? 'object' : { value });
  for (let i = 0; i < count; i++) {
    const message = valid();
    const keys = Object.keys(message);
    switch (i % 4) {
      case 0:
        yield junk(0);
        break;
      case 1:
        yield { ...message, [pick(['extra', 'then', 'toString', 'valueOf'])]: junk(1) };
        break;
      case 2: {
        const key = pick(keys);
        yield { ...message, [key]: key === 'type' ? `${String(message.type)}!` : wrongType(message[key]) };
        break;
      }
      default:
        yield pick([
          { type: 'open', path: pick(outside), line: 1, column: 1 },
          { type: 'transform', action: pick(['apply', 'discard', 'diff']), paths: [pick(outside)] },
          { type: 'request', id: Math.floor(random() * 100), request: { kind: 'diff', path: pick(outside) } },
          { type: 'command', command: pick(['workbench.action.terminal.new', 'vscode.open', '', 'cancel ']) },
        ]);
    }
  }
}

async function settle(ms = 300): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** ESLint's own answer for the workspace, through the workspace's ESLint (the same one the CLI would use). */
async function eslintMessages(root: string): Promise<string[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ESLint: ESLintClass } = require(path.join(root, 'node_modules', 'eslint')) as { ESLint: typeof ESLint };
  const results = await new ESLintClass({ cwd: root }).lintFiles(['.']);
  return results.flatMap((r) => r.messages.map((m) => `${path.relative(root, r.filePath)}:${m.line}:${m.column} ${m.severity} ${m.ruleId ?? '-'} ${m.message}`)).sort();
}

function problemsShown(root: string): string[] {
  return vscode.languages
    .getDiagnostics()
    .filter(([uri]) => uri.fsPath.startsWith(root + path.sep))
    .flatMap(([uri, diagnostics]) =>
      diagnostics
        .filter((d) => d.source === 'eslint')
        .map((d) => {
          const code = typeof d.code === 'object' ? String(d.code.value) : (d.code ?? '-');
          const severity = d.severity === vscode.DiagnosticSeverity.Error ? 2 : 1;
          return `${path.relative(root, uri.fsPath)}:${d.range.start.line + 1}:${d.range.start.character + 1} ${severity} ${code} ${d.message}`;
        }),
    )
    .sort();
}

async function updateSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('parallelTasks').update(key, value, vscode.ConfigurationTarget.Workspace);
}

/** The settings every test starts from (the rest are at their defaults); `restoreSettings` puts them back after each test. */
// Problems kept current on save would lint the files these tests write behind their back, and re-lint the workspace
// when they edit a config (keep-current.test.ts tests that): off here.
const baselineSettings: Readonly<Record<string, unknown>> = { 'transform.review': 'apply', 'lint.keepCurrent': 'off' };
const changedSettings = new Set<string>();

/** Changes a setting for the current test only: the suite's afterEach restores it, whether the test passed or not. */
async function setSetting(key: string, value: unknown): Promise<void> {
  changedSettings.add(key);
  await updateSetting(key, value);
}

async function restoreSettings(): Promise<void> {
  for (const key of changedSettings) await updateSetting(key, baselineSettings[key]);
  changedSettings.clear();
}

describe('Parallel Tasks in a real VS Code host', function () {
  this.timeout(180_000);

  if (!vscode.workspace.isTrusted) {
    describe('untrusted workspace', () => {
      it('refuses lint and Prettier, which load workspace code, and says why', async () => {
        await api();
        const lint = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.lintWorkspace')) as RunSummary;
        assert.equal(lint.phase, 'refused');
        assert.match(lint.error ?? '', /untrusted workspace/);
        const root = workspaceRoot();
        const prettier = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.transform', [vscode.Uri.file(path.join(root, 'src'))], { mode: 'prettier' })) as RunSummary;
        assert.equal(prettier.phase, 'refused');
        assert.deepEqual(problemsShown(root), [], 'nothing was linted');
        // External commands never run untrusted: custom tasks are refused, tasks.json tasks are not started.
        mkdirSync(path.join(root, '.vscode'), { recursive: true });
        writeFileSync(path.join(root, '.vscode', 'parallel-tasks.json'), JSON.stringify({ tasks: [{ name: 'echo', command: ['echo', '${files}'], include: ['**/*.js'], problemMatcher: '$gcc' }] }));
        try {
          const custom = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.runCustomTask', 'echo')) as RunSummary;
          assert.equal(custom.phase, 'refused');
          assert.equal(await vscode.commands.executeCommand('parallelTasks.runVsCodeTasks', ['anything']), undefined);
        } finally {
          rmSync(path.join(root, '.vscode', 'parallel-tasks.json'), { force: true });
        }
      });

      it('still runs analyze', async () => {
        const summary = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.analyzeWorkspace')) as RunSummary;
        assert.equal(summary.phase, 'completed');
        // The workspace's 14 JS and TS files (lint-basic and the codemods): all measured but src/broken.js, which does not parse.
        assert.deepEqual([summary.files, summary.done, summary.failed], [14, 13, 1]);
      });
    });
    return;
  }

  describe('trusted workspace', () => {
    let extension: ParallelTasksApi;
    let root: string;
    /** Loading the bundle plus activate(), as VS Code does on the first command; undefined if something activated it earlier. */
    let activationMs: number | undefined;
    /** The pool and the view right after activation, before any test ran a command: whichever test runs first, it checks these. */
    let atActivation: { pool: ReturnType<ParallelTasksApi['poolStats']>; view: ReturnType<ParallelTasksApi['view']> };

    before(async () => {
      root = workspaceRoot();
      const wasActive = vscode.extensions.getExtension(EXTENSION_ID)?.isActive;
      const started = performance.now();
      extension = await api();
      if (!wasActive) activationMs = performance.now() - started;
      atActivation = { pool: extension.poolStats(), view: extension.view() };
      for (const [key, value] of Object.entries(baselineSettings)) await updateSetting(key, value);
      // code-server saves dirty editors after a delay by default; the tests compare a dirty
      // buffer with the disk, so nothing may be saved behind their back.
      await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Workspace);
    });

    afterEach(restoreSettings);

    it('activates cheaply: no worker pool until the first run', function () {
      assert.deepEqual(atActivation.pool, { busy: 0, pending: 0, workers: 0 });
      assert.equal(atActivation.view, undefined);
      // The spec reporter prints the title when the test ends: the measurement goes in the log, not in an assertion.
      if (this.test) this.test.title += ` [activation: ${activationMs === undefined ? 'already active' : `${activationMs.toFixed(1)} ms`}]`;
    });

    it('registers every command it contributes', async () => {
      const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { commands: { command: string }[] } };
      const registered = new Set(await vscode.commands.getCommands(true));
      for (const { command } of manifest.contributes.commands) assert.ok(registered.has(command), command);
    });

    it('fills Problems with exactly the messages ESLint reports', async () => {
      const summary = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.lintWorkspace')) as RunSummary;
      assert.equal(summary.phase, 'completed');
      const expected = await eslintMessages(root);
      // The fixture's 25 messages (lint-basic and the codemods): ESLint found what the fixture holds, so the comparison means something.
      assert.equal(expected.length, 25);
      assert.deepEqual(problemsShown(root), expected);
      assert.equal((summary.errors ?? 0) + (summary.warnings ?? 0), expected.length);
      assert.equal(extension.view()?.snapshot.executor, 'thread', 'a run this small stays on worker threads (isolation auto), which start sooner');
      // Rule ids link to the rule's documentation.
      const eqeqeq = vscode.languages.getDiagnostics(vscode.Uri.file(path.join(root, 'src', 'problems.js'))).find((d) => typeof d.code === 'object' && d.code.value === 'eqeqeq');
      assert.equal(typeof eqeqeq?.code === 'object' ? eqeqeq.code.target.toString() : '', 'https://eslint.org/docs/latest/rules/eqeqeq');
      assert.equal(extension.poolStats().busy, 0);
    });

    it('answers unchanged files from the cache on the next run, with the same Problems', async () => {
      // This test's own first run fills the cache (the one before it may have run with the cache off, or not at all).
      const first = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.lintWorkspace')) as RunSummary;
      assert.equal(first.phase, 'completed', first.error);
      const before = problemsShown(root);
      const again = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.lintWorkspace')) as RunSummary;
      assert.equal(again.cached, again.done, 'every linted file came from the cache');
      assert.ok(again.cached > 0);
      assert.deepEqual(problemsShown(root), before);
      await setSetting('cache', false);
      const uncached = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.lintWorkspace')) as RunSummary;
      assert.equal(uncached.cached, 0);
      await setSetting('cache', undefined);
    });

    it('panel: the slowest files, ESLint\'s rule times with lint.ruleTimings, and new/fixed problems against the previous run of the same scope only', async () => {
      await setSetting('lint.ruleTimings', true);
      // Rule times are asked for in the lint options, so these results are cached apart: the files are linted and timed.
      const timed = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.lintWorkspace')) as RunSummary;
      assert.equal(timed.phase, 'completed', timed.error);
      let state = extension.panelState();
      const rules = state.timing?.rules ?? [];
      // The project's config has dozens of rules (eslint:recommended and its own): the ten slowest, slowest first.
      assert.equal(rules.length, 10, `ESLint's own rule times: ${JSON.stringify(rules)}`);
      assert.ok(rules.every((r, i) => r.files > 0 && r.ms >= (rules[i + 1]?.ms ?? 0)), JSON.stringify(rules));
      assert.ok((state.timing?.files.length ?? 0) > 0 && state.timing?.files.every((f) => !path.isAbsolute(f.rel) && f.ms >= 0));

      await setSetting('lint.ruleTimings', false);
      const untimed = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.lintWorkspace')) as RunSummary;
      assert.equal(untimed.phase, 'completed', untimed.error);
      state = extension.panelState();
      assert.equal(state.timing?.rules, undefined, 'no rule times when not asked for');
      // Timing a run does not change what it checks: the same scope, so the two are compared.
      assert.deepEqual([state.history[0]?.label, state.history[0]?.newProblems, state.history[0]?.fixedProblems], ['Lint', 0, 0]);
      assert.equal(state.history[0]?.problems, (untimed.errors ?? 0) + (untimed.warnings ?? 0));

      // Another scope (one folder of the workspace) has no earlier run to compare with, though the whole workspace's covered it.
      const nested = vscode.Uri.file(path.join(root, 'src', 'nested'));
      const selection = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.runOnSelection', nested, [nested], 'lint')) as RunSummary;
      assert.equal(selection.phase, 'completed', selection.error);
      const latest = extension.panelState().history[0];
      assert.ok(latest && latest.problems !== undefined && latest.problems > 0, JSON.stringify(latest));
      assert.equal(latest.newProblems, undefined, 'nothing to compare with in its own scope');
      assert.equal(latest.fixedProblems, undefined);
    });

    it('follows a config change on a warm pool, also in a module the config imports: Problems and the cache show the new config', async () => {
      const configFile = path.join(root, 'eslint.config.mjs');
      const rulesFile = path.join(root, 'lint-rules.mjs');
      const original = readFileSync(configFile, 'utf8');
      const eqeqeq = (): vscode.Diagnostic | undefined =>
        vscode.languages.getDiagnostics(vscode.Uri.file(path.join(root, 'src', 'problems.js'))).find((d) => typeof d.code === 'object' && d.code.value === 'eqeqeq');
      const lint = async (): Promise<void> => {
        const summary = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.lintWorkspace')) as RunSummary;
        assert.equal(summary.phase, 'completed', summary.error);
      };
      try {
        await lint();
        assert.ok(eqeqeq(), 'the fixture reports eqeqeq');
        // The rule's setting moves into a module of its own that the config imports.
        writeFileSync(rulesFile, "export default { eqeqeq: 'off' };\n");
        writeFileSync(configFile, `import extra from './lint-rules.mjs';\n${original.replace(/\];\s*$/, '  { rules: extra },\n];\n')}`);
        await lint();
        assert.equal(eqeqeq(), undefined, 'the edited config is used');
        // Only the imported module changes: a warm worker would still hold the old one.
        writeFileSync(rulesFile, "export default { eqeqeq: 'error' };\n");
        await lint();
        assert.equal(eqeqeq()?.severity, vscode.DiagnosticSeverity.Error, 'the change in the imported module is used');
        writeFileSync(rulesFile, "export default { eqeqeq: 'warn' };\n");
        await lint();
        assert.equal(eqeqeq()?.severity, vscode.DiagnosticSeverity.Warning, 'and again, not an answer from the cache or an old worker');
      } finally {
        writeFileSync(configFile, original);
        rmSync(rulesFile, { force: true });
        await lint();
      }
    });

    it('shows the first result of a one-file run on a warm pool', async function () {
      const file = path.join(root, 'src', 'problems.js');
      const uri = vscode.Uri.file(file);
      const original = readFileSync(file, 'utf8');
      // An edit, as a user would make before linting again: the file is not in the cache.
      // A run of its own warms the pool (what ran before this test, if anything, is not for it to know).
      const warmUp = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.lintWorkspace')) as RunSummary;
      assert.equal(warmUp.phase, 'completed', warmUp.error);
      writeFileSync(file, `${original}// edited at ${Date.now()}\n`);
      try {
        assert.ok(extension.poolStats().workers > 0, 'the pool is warm from the previous run');
        const shown = new Promise<number>((resolve) => {
          const listener = vscode.languages.onDidChangeDiagnostics((event) => {
            if (event.uris.some((u) => u.fsPath === file)) {
              listener.dispose();
              resolve(performance.now());
            }
          });
        });
        const started = performance.now();
        const summary = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.runOnSelection', uri, [uri], 'lint')) as RunSummary;
        const firstResultMs = (await shown) - started;
        assert.equal(summary.done, 1);
        assert.equal(summary.cached, 0);
        const expected = (await eslintMessages(root)).filter((m) => m.startsWith(`src${path.sep}problems.js:`));
        assert.deepEqual(problemsShown(root).filter((m) => m.startsWith(`src${path.sep}problems.js:`)), expected);
        if (this.test) this.test.title += ` [first result: ${firstResultMs.toFixed(0)} ms]`;
      } finally {
        writeFileSync(file, original);
      }
    });

    it('replaces a file\'s problems on a re-run and drops them when the file is deleted', async () => {
      const problems = path.join(root, 'src', 'problems.js');
      const original = readFileSync(problems, 'utf8');
      writeFileSync(problems, 'export const clean = 1;\n');
      try {
        await vscode.commands.executeCommand('parallelTasks.lintWorkspace');
        assert.deepEqual(vscode.languages.getDiagnostics(vscode.Uri.file(problems)), []);
      } finally {
        writeFileSync(problems, original);
      }
      const doomed = path.join(root, 'src', 'doomed.js');
      writeFileSync(doomed, 'var doomed = 1 == 2;\n');
      await vscode.commands.executeCommand('parallelTasks.lintWorkspace');
      assert.ok(vscode.languages.getDiagnostics(vscode.Uri.file(doomed)).length > 0);
      // Deleted the way a user does in VS Code (explorer, refactorings): through a WorkspaceEdit.
      const removal = new vscode.WorkspaceEdit();
      removal.deleteFile(vscode.Uri.file(doomed));
      assert.ok(await vscode.workspace.applyEdit(removal));
      for (let i = 0; i < 50 && vscode.languages.getDiagnostics(vscode.Uri.file(doomed)).length > 0; i++) await settle(100);
      assert.deepEqual(vscode.languages.getDiagnostics(vscode.Uri.file(doomed)), []);
    });

    it('applies a transform as one undoable edit, from the editor buffer, without touching a dirty file on disk', async () => {
      const file = path.join(root, 'src', 'ugly.js');
      const onDisk = 'const a = {b:1,\n  c:"two"};\n';
      writeFileSync(file, onDisk);
      try {
        const document = await vscode.workspace.openTextDocument(file);
        const editor = await vscode.window.showTextDocument(document);
        await editor.edit((b) => b.insert(new vscode.Position(0, 0), 'const   added=1\n'));
        const buffer = document.getText();
        assert.ok(document.isDirty);

        const summary = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.transform', [vscode.Uri.file(file)], { mode: 'prettier' })) as RunSummary;
        assert.equal(summary.phase, 'completed');
        assert.equal(summary.applied, 1);
        assert.equal(document.getText(), 'const added = 1;\nconst a = { b: 1, c: "two" };\n', 'formatted from the buffer, including the unsaved line');
        assert.equal(readFileSync(file, 'utf8'), onDisk, 'the dirty file\'s disk content is untouched');

        await vscode.window.showTextDocument(document);
        await vscode.commands.executeCommand('undo');
        assert.equal(document.getText(), buffer, 'one undo restores the buffer');
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      } finally {
        // Left behind, the file would add a problem to every later lint of the workspace.
        rmSync(file, { force: true });
      }
    });

    it('leaves alone a file that changed after its result was computed', async () => {
      const file = path.join(root, 'src', 'edited.js');
      writeFileSync(file, '// EDIT_ME old\n');
      const codemod = path.join(root, 'codemods', 'edit-underneath.js');
      try {
        const summary = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.transform', [vscode.Uri.file(file)], { mode: 'codemod', codemod })) as RunSummary;
        assert.deepEqual(summary.leftAlone, [file]);
        assert.equal(summary.applied, 0);
        assert.equal(readFileSync(file, 'utf8'), '// the user edited this\n');
      } finally {
        rmSync(file, { force: true });
      }
    });

    it('survives a codemod that crashes natively (SIGSEGV) in its worker process: the host lives on, the file is reported, Retry Failed runs just that file', async () => {
      const dir = path.join(root, 'crash');
      mkdirSync(dir, { recursive: true });
      // In a worker thread this would take the whole extension host down; codemods run in child processes by default.
      writeFileSync(path.join(dir, 'killer.js'), '// SEGFAULT_HERE old\n');
      for (let i = 0; i < 8; i++) writeFileSync(path.join(dir, `f${i}.js`), `const old${i} = ${i};\n`);
      try {
        const codemod = path.join(root, 'codemods', 'segfault-on-marker.js');
        const summary = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.transform', [vscode.Uri.file(dir)], { mode: 'codemod', codemod })) as RunSummary;
        assert.equal(summary.phase, 'completed');
        assert.equal(extension.view()?.snapshot.executor, 'process', 'the run used worker processes');
        assert.equal(summary.failed, 1);
        assert.equal(summary.applied, 8, 'every other file is transformed');
        assert.equal(summary.restarts, 2, 'the worker was replaced after each of the two crashes');
        assert.deepEqual(extension.view()?.failedFiles.map((f) => path.basename(f.path)), ['killer.js']);
        const retry = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.retryFailed')) as RunSummary;
        assert.equal(retry.files, 1, 'only the failed file is retried');
        assert.equal(retry.failed, 1);
        assert.equal(extension.poolStats().busy, 0);
        await vscode.commands.executeCommand('workbench.action.files.saveAll');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('cancels a long run: every worker goes idle and the counts add up', async () => {
      const big = path.join(root, 'big');
      mkdirSync(big, { recursive: true });
      const unit = readFileSync(path.join(root, 'src', 'nested', 'complex.js'), 'utf8');
      // More expected work (1 ms per KB before any is measured) than a warm thread pool keeps: the run goes to processes whatever ran before.
      const body = unit.repeat(Math.ceil((1.5 * SWITCH_POOL_MS * 1024) / 600 / unit.length));
      for (let i = 0; i < 600; i++) writeFileSync(path.join(big, `file${i}.js`), body);
      try {
        // Lint: long enough to catch mid-run (analyze on oxc's parser finishes these 600 files in about a second).
        const running = vscode.commands.executeCommand<RunSummary>('parallelTasks.lintWorkspace');
        for (let i = 0; i < 100 && !(extension.view()?.running && (extension.view()?.snapshot.counts.done ?? 0) > 0); i++) await settle(50);
        assert.ok(extension.view()?.running, 'the run is going');
        assert.equal(extension.view()?.snapshot.executor, 'process', 'a run this large goes to worker processes (isolation auto), even after a small one warmed threads');
        assert.equal(await vscode.commands.executeCommand('parallelTasks.cancelRun'), true);
        const summary = (await running) as RunSummary;
        assert.equal(summary.phase, 'cancelled');
        assert.ok(summary.cancelled > 0);
        assert.equal(summary.done + summary.failed + summary.skipped + summary.cancelled, summary.files);
        assert.equal(extension.poolStats().busy, 0, 'no busy worker is left');
        assert.ok(extension.view()?.snapshot.workers.every((w) => w.state === 'idle'));
      } finally {
        rmSync(big, { recursive: true, force: true });
      }
    });

    it('applies settings changes on the next run, without a reload', async () => {
      // Set Worker Count writes the maxWorkers setting: put back after the test like the others.
      changedSettings.add('maxWorkers');
      await vscode.commands.executeCommand('parallelTasks.setWorkerCount', 1);
      const one = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.analyzeWorkspace')) as RunSummary;
      assert.equal(one.workers, 1);
      await vscode.commands.executeCommand('parallelTasks.setWorkerCount', 2);
      await setSetting('exclude', ['src/nested/**']);
      const two = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.analyzeWorkspace')) as RunSummary;
      assert.equal(two.workers, 2);
      assert.equal(two.files, one.files - 2, 'the two files under src/nested are excluded');
      await setSetting('exclude', undefined);
    });

    it('writes a readable analysis report', async () => {
      await vscode.commands.executeCommand('parallelTasks.analyzeWorkspace');
      const uri = await vscode.commands.executeCommand<vscode.Uri>('parallelTasks.showAnalysisReport');
      assert.ok(uri);
      const text = readFileSync(uri.fsPath, 'utf8');
      assert.match(text, /# Parallel Tasks: analysis/);
      assert.match(text, /## Hotspots/);
      assert.match(text, /`route`/);
    });

    it('holds transform results for review in the panel: apply one, discard another, refuse files not under review', async () => {
      const a = path.join(root, 'src', 'review-a.js');
      const b = path.join(root, 'src', 'review-b.js');
      writeFileSync(a, 'const a = {x:1}\n');
      writeFileSync(b, 'const b = {y:2}\n');
      await setSetting('transform.review', 'panel');
      try {
        const summary = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.transform', [vscode.Uri.file(a), vscode.Uri.file(b)], { mode: 'prettier' })) as RunSummary;
        assert.equal(summary.held, 2);
        assert.equal(summary.applied, 0);
        assert.equal(readFileSync(a, 'utf8'), 'const a = {x:1}\n', 'nothing changes before review');
        assert.equal(await extension.panelMessage({ type: 'transform', action: 'apply', paths: [a] }), true);
        const document = await vscode.workspace.openTextDocument(a);
        assert.equal(document.getText(), 'const a = { x: 1 };\n');
        assert.equal(await extension.panelMessage({ type: 'transform', action: 'discard', paths: [b] }), true);
        assert.equal(await extension.panelMessage({ type: 'transform', action: 'apply', paths: [b] }), true, 'a discarded file is not applied later');
        assert.equal((await vscode.workspace.openTextDocument(b)).getText(), 'const b = {y:2}\n');
        assert.equal(await extension.panelMessage({ type: 'transform', action: 'apply', paths: [path.join(root, 'src', 'clean.js')] }), false);
        await vscode.commands.executeCommand('workbench.action.files.saveAll');
      } finally {
        await setSetting('transform.review', 'apply');
        rmSync(a, { force: true });
        rmSync(b, { force: true });
      }
    });

    it('runs a custom task (stylelint, an external program) and shows its problems in Problems as stylelint reports them', async () => {
      const styles = path.join(root, 'styles');
      const tasksFile = path.join(root, '.vscode', 'parallel-tasks.json');
      const stylelint = path.join(root, 'node_modules', 'stylelint', 'bin', 'stylelint.mjs');
      mkdirSync(styles, { recursive: true });
      mkdirSync(path.dirname(tasksFile), { recursive: true });
      writeFileSync(path.join(styles, 'a.css'), 'a { color: #ggg; }\nb {}\n');
      writeFileSync(path.join(styles, 'b.css'), '.x { color: red; color: blue; }\n');
      writeFileSync(path.join(root, 'stylelint.config.mjs'), 'export default { rules: { "color-no-invalid-hex": true, "block-no-empty": true, "declaration-block-no-duplicate-properties": [true, { severity: "warning" }] } };\n');
      const task = { name: 'stylelint', command: [process.execPath, stylelint, '--formatter', 'unix', '${files}'], include: ['styles/**/*.css'], batchSize: 1, concurrency: 2, problemMatcher: '$unix' };
      writeFileSync(tasksFile, JSON.stringify({ tasks: [task] }, null, 2));
      try {
        const summary = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.runCustomTask', 'stylelint')) as RunSummary;
        assert.equal(summary.phase, 'completed', summary.error);
        assert.equal(summary.done, 2);
        const own = spawnSync(process.execPath, [stylelint, '--formatter', 'json', 'styles/a.css', 'styles/b.css'], { cwd: root, encoding: 'utf8' });
        const expected = (JSON.parse(own.stdout || own.stderr) as { source: string; warnings: { line: number; column: number; severity: string; text: string }[] }[])
          .flatMap((r) => r.warnings.map((w) => `${path.relative(root, r.source)}:${w.line}:${w.column} ${w.severity} ${w.text}`))
          .sort();
        const shown = vscode.languages
          .getDiagnostics()
          .flatMap(([uri, list]) => list.filter((d) => d.source === 'stylelint').map((d) => `${path.relative(root, uri.fsPath)}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity === vscode.DiagnosticSeverity.Error ? 'error' : 'warning'} ${d.message} (${String(d.code)})`))
          .sort();
        // a.css: an invalid hex colour and an empty block; b.css: a duplicate property.
        assert.equal(expected.length, 3);
        assert.deepEqual(shown, expected);
        assert.equal((summary.errors ?? 0) + (summary.warnings ?? 0), expected.length);
        assert.equal(extension.view()?.snapshot.executor, 'command');

        // The contributed JSON schema checks the file as the user types.
        writeFileSync(tasksFile, JSON.stringify({ tasks: [{ ...task, concurency: 2 }] }, null, 2));
        const document = await vscode.workspace.openTextDocument(tasksFile);
        await vscode.window.showTextDocument(document);
        let schemaProblems: string[] = [];
        for (let i = 0; i < 100 && schemaProblems.length === 0; i++) {
          await settle(100);
          schemaProblems = vscode.languages.getDiagnostics(document.uri).map((d) => d.message);
        }
        assert.ok(schemaProblems.some((m) => /concurency/.test(m)), `the schema flags the misspelt key: ${schemaProblems.join('; ')}`);
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      } finally {
        rmSync(styles, { recursive: true, force: true });
        rmSync(tasksFile, { force: true });
        rmSync(path.join(root, 'stylelint.config.mjs'), { force: true });
      }
    });

    it('runs tasks.json tasks in parallel: a lane each with status and exit code, stop and restart from the panel, problems from their matchers', async () => {
      const tasksJson = path.join(root, '.vscode', 'tasks.json');
      // The task reports on a file of this test's own: VS Code keeps a task's problems after it ends, and no
      // other test must find them on its files.
      const reported = path.join(root, 'src', 'task-reported.js');
      writeFileSync(reported, 'export const reported = 1;\n');
      mkdirSync(path.dirname(tasksJson), { recursive: true });
      const node = JSON.stringify(process.execPath);
      const matcher = { owner: 'pt-test', fileLocation: ['relative', '${workspaceFolder}'], pattern: { regexp: '^(.*):(\\d+):(\\d+): (warning|error): (.*)$', file: 1, line: 2, column: 3, severity: 4, message: 5 } };
      const shellTask = (label: string, script: string) => ({ label, type: 'shell', command: `${node} -e ${JSON.stringify(script)}`, problemMatcher: matcher, presentation: { reveal: 'never' } });
      writeFileSync(
        tasksJson,
        JSON.stringify({
          version: '2.0.0',
          tasks: [
            shellTask('pt reports', "setTimeout(() => console.log('src/task-reported.js:2:1: warning: reported by a tasks.json task'), 300)"),
            shellTask('pt fails', 'setTimeout(() => process.exit(3), 300)'),
            shellTask('pt sleeps', 'setTimeout(() => {}, 60000)'),
          ],
        }),
      );
      try {
        // VS Code re-reads tasks.json on its own schedule after it changes.
        for (let i = 0; i < 100 && !(await vscode.tasks.fetchTasks()).some((t) => t.name === 'pt sleeps'); i++) await settle(100);
        const lanes = (await vscode.commands.executeCommand<{ name: string; state: string; exitCode?: number }[]>('parallelTasks.runVsCodeTasks', ['pt reports', 'pt fails'])) ?? [];
        assert.deepEqual(lanes.map((l) => [l.name, l.state, l.exitCode]).sort(), [['pt fails', 'failed', 3], ['pt reports', 'succeeded', 0]]);
        let problem: vscode.Diagnostic | undefined;
        for (let i = 0; i < 50 && !problem; i++) {
          problem = vscode.languages.getDiagnostics(vscode.Uri.file(reported)).find((d) => d.message === 'reported by a tasks.json task');
          if (!problem) await settle(100);
        }
        assert.equal(problem?.severity, vscode.DiagnosticSeverity.Warning, 'the task\'s problem matcher filled Problems');

        // A long task, stopped and restarted through the panel's messages.
        const running = vscode.commands.executeCommand('parallelTasks.runVsCodeTasks', ['pt sleeps']);
        let lane = extension.taskLanes().find((l) => l.name === 'pt sleeps');
        for (let i = 0; i < 50 && lane?.state !== 'running'; i++) {
          await settle(100);
          lane = extension.taskLanes().find((l) => l.name === 'pt sleeps');
        }
        assert.equal(lane?.state, 'running');
        assert.equal(await extension.panelMessage({ type: 'task', action: 'stop', id: lane?.id }), true);
        await running;
        assert.equal(extension.taskLanes().find((l) => l.id === lane?.id)?.state, 'stopped');
        assert.equal(await extension.panelMessage({ type: 'task', action: 'restart', id: lane?.id }), true);
        assert.equal(extension.taskLanes().find((l) => l.id === lane?.id)?.state, 'running');
        assert.equal(await extension.panelMessage({ type: 'task', action: 'stop', id: lane?.id }), true);
        assert.equal(await extension.panelMessage({ type: 'task', action: 'stop', id: 999_999 }), false, 'an unknown task id is refused');
      } finally {
        rmSync(tasksJson, { force: true });
        rmSync(reported, { force: true });
      }
    });

    it('refuses to load a codemod or ESLint config from outside the workspace, also through a symlink', async () => {
      const outside = mkdtempSync(path.join(os.tmpdir(), 'pt-outside-'));
      const marker = path.join(outside, 'it-ran');
      const link = path.join(root, 'codemods', 'linked-outside.js');
      try {
        // Code that would leave a trace if it were ever loaded.
        const evil = `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\nmodule.exports = (file) => file.source;\n`;
        writeFileSync(path.join(outside, 'evil.js'), evil);
        writeFileSync(path.join(outside, 'eslint.config.js'), evil);
        symlinkSync(path.join(outside, 'evil.js'), link);
        const target = [vscode.Uri.file(path.join(root, 'src'))];
        for (const codemod of [path.join(outside, 'evil.js'), link, path.join(root, '..', path.basename(outside), 'evil.js')]) {
          const summary = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.transform', target, { mode: 'codemod', codemod })) as RunSummary;
          assert.equal(summary.phase, 'refused', codemod);
          assert.match(summary.error ?? '', /outside the workspace/);
        }
        await setSetting('lint.configFile', path.join(outside, 'eslint.config.js'));
        const lint = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.lintWorkspace')) as RunSummary;
        assert.equal(lint.phase, 'refused');
        assert.equal(existsSync(marker), false, 'nothing from outside the workspace was executed');
      } finally {
        await setSetting('lint.configFile', undefined);
        rmSync(link, { force: true });
        rmSync(outside, { recursive: true, force: true });
      }
    });

    it('never reaches outside the workspace through the include setting, and a run that finds nothing is not a success', async () => {
      const outside = mkdtempSync(path.join(path.dirname(root), 'pt-fakehome-'));
      const bashrc = path.join(outside, '.bashrc');
      writeFileSync(bashrc, 'alias ls=ls\n');
      try {
        const rel = path.relative(root, outside);
        await setSetting('include', [`${rel}/.bashrc`, `${rel}/**`, '../**/.bashrc']);
        // The workspace folder as the scope (no scope would ask the user where).
        const replace = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.transform', [vscode.Uri.file(root)], { mode: 'replace', pattern: 'alias', replacement: 'PWNED' })) as RunSummary;
        assert.equal(replace.phase, 'failed', 'nothing inside the workspace matched, and nothing outside is taken');
        assert.match(replace.error ?? '', /No files matching "\." were found/);
        assert.equal(readFileSync(bashrc, 'utf8'), 'alias ls=ls\n', 'the file outside the workspace is untouched');
        await setSetting('include', ['**/*.nothing']);
        const lint = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.lintWorkspace')) as RunSummary;
        assert.equal(lint.phase, 'failed', 'a lint that checked nothing does not end as a clean pass');
        assert.equal(lint.errors ?? 0, 0);
      } finally {
        await setSetting('include', undefined);
        rmSync(outside, { recursive: true, force: true });
      }
    });

    it('drops malformed and hostile panel messages, including paths outside the workspace', async function () {
      const before = extension.panelRejected();
      const editors = vscode.window.visibleTextEditors.length;
      const hostile: unknown[] = [
        { type: 'open', path: '/etc/passwd', line: 1, column: 1 },
        { type: 'open', path: `${root}/../outside.js`, line: 1, column: 1 },
        { type: 'open', path: 'relative/path.js', line: 1, column: 1 },
        { type: 'command', command: 'workbench.action.terminal.new' },
        { type: 'command', command: 'cancel', extra: 1 },
        { type: 'transform', action: 'apply', paths: ['/etc/hosts'] },
        { type: 'request', id: 1, request: { kind: 'diff', path: '/etc/passwd' } },
        { type: 'ready', __proto__: { admin: true } },
        'not an object',
        null,
      ];
      const fuzzed = [...fuzzMessages(1000, root)];
      const sources = readFileSync(path.join(root, 'src', 'problems.js'), 'utf8');
      for (const message of [...hostile, ...fuzzed]) assert.equal(await extension.panelMessage(message), false, JSON.stringify(message)?.slice(0, 300));
      assert.equal(extension.panelRejected() - before, hostile.length + fuzzed.length);
      assert.equal(vscode.window.visibleTextEditors.length, editors, 'nothing was opened');
      assert.equal(readFileSync(path.join(root, 'src', 'problems.js'), 'utf8'), sources, 'nothing was written');
      if (this.test) this.test.title += ` [${hostile.length + fuzzed.length} hostile messages sent, all dropped]`;
      assert.equal(await extension.panelMessage({ type: 'open', path: path.join(root, 'src', 'problems.js'), line: 3, column: 9 }), true);
      const editor = vscode.window.activeTextEditor;
      assert.equal(editor?.document.uri.fsPath, path.join(root, 'src', 'problems.js'));
      assert.deepEqual([editor?.selection.active.line, editor?.selection.active.character], [2, 8]);
    });

    it('opens the panel as an editor tab (Open in Editor)', async () => {
      await vscode.commands.executeCommand('parallelTasks.openPanelInEditor');
      let tab: vscode.Tab | undefined;
      for (let i = 0; i < 50 && !tab; i++) {
        tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.label === 'Parallel Tasks');
        if (!tab) await settle(100);
      }
      assert.ok(tab, 'a Parallel Tasks editor tab is open');
      await vscode.window.tabGroups.close(tab);
    });

    it('runs the remaining commands on the fixture workspace', async () => {
      await vscode.commands.executeCommand('parallelTasks.showPanel');
      await vscode.commands.executeCommand('parallelTasks.showLog');
      assert.equal(await vscode.commands.executeCommand('parallelTasks.cancelRun'), false, 'nothing to cancel');
      const selection = (await vscode.commands.executeCommand<RunSummary>('parallelTasks.runOnSelection', vscode.Uri.file(path.join(root, 'src', 'problems.js')), undefined, 'lint')) as RunSummary;
      assert.equal(selection.files, 1);
      assert.equal(await vscode.commands.executeCommand('parallelTasks.retryFailed'), undefined, 'nothing failed, nothing to retry');
    });
  });
});
