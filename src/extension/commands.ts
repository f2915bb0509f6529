import * as os from 'node:os';
import * as vscode from 'vscode';
import { showAnalysisReport } from './analysis-report';
import type { DisposableStore } from './lifecycle';
import { reportProgress } from './progress';
import type { VsCodeTaskRunner } from './vscode-tasks';
import type { RunController } from './run-controller';
import { registerChangedCommands } from './changed-commands';
import { analyzeRequest, customTaskRequest, isTransformPreset, lintRequest, pickScope, pickTransform, presetRequest, selectionTargets, workspaceTargets } from './run-requests';
import type { RunKind, RunRequest, RunSummary } from './run-types';
import { SECTION } from './settings';

interface CommandContext {
  readonly controller: RunController;
  readonly log: vscode.LogOutputChannel;
  readonly storage: vscode.Uri;
  readonly openPanelInEditor: () => void;
  readonly tasks: VsCodeTaskRunner;
  /** `publisher.name`, as VS Code knows this extension. */
  readonly extensionId: string;
}

export type Register = (id: string, fn: (...args: never[]) => unknown) => void;
export type Start = (request: RunRequest | undefined) => Promise<RunSummary | undefined>;

export function registerCommands(store: DisposableStore, context: CommandContext): void {
  const { controller } = context;

  const start: Start = async (request) => {
    if (!request) return undefined;
    if (request.targets.length === 0) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Parallel Tasks needs a folder on disk: open a folder or workspace first.'));
      return undefined;
    }
    if (controller.running) {
      const cancelRun = vscode.l10n.t('Cancel Run');
      void vscode.window.showWarningMessage(vscode.l10n.t('Parallel Tasks is already running. Cancel the run first.'), cancelRun).then((c) => c === cancelRun && controller.cancel());
      return undefined;
    }
    const done = controller.run(request);
    reportProgress(controller, done);
    const summary = await done;
    announce(summary, context);
    return summary;
  };

  const register: Register = (id, fn) => {
    store.add(vscode.commands.registerCommand(id, fn));
  };
  registerRunCommands(register, start, context.log);
  registerChangedCommands(register, start, context.log);
  registerVsCodeTasksCommand(register, context);
  registerRunViewCommands(register, start, context);
}

/** The commands that start a run of a kind. */
function registerRunCommands(register: Register, start: Start, log: vscode.LogOutputChannel): void {
  register('parallelTasks.lintWorkspace', () => start(lintRequest(workspaceTargets())));
  register('parallelTasks.analyzeWorkspace', () => start(analyzeRequest(workspaceTargets())));
  register('parallelTasks.transform', async (scope?: vscode.Uri[], given?: unknown) => {
    // What to do first, then where (unless the caller says).
    const preset = isTransformPreset(given) ? given : await pickTransform();
    if (!preset) return undefined;
    const targets = Array.isArray(scope) && scope.length > 0 ? selectionTargets(scope) : await pickScope();
    return targets ? start(presetRequest(targets, preset)) : undefined;
  });
  register('parallelTasks.runOnSelection', async (clicked?: vscode.Uri, selected?: vscode.Uri[], kind?: RunKind) => {
    const uris = selected && selected.length > 0 ? selected : clicked ? [clicked] : [];
    const targets = selectionTargets(uris);
    if (targets.length === 0) return undefined;
    if (kind === 'lint') return start(lintRequest(targets));
    if (kind === 'analyze') return start(analyzeRequest(targets));
    const picked = await vscode.window.showQuickPick<vscode.QuickPickItem & { run: RunKind }>(
      [
        { label: `$(checklist) ${vscode.l10n.t({ message: 'Lint', comment: ['quick pick item: lint the selected files'] })}`, run: 'lint' },
        { label: `$(wand) ${vscode.l10n.t({ message: 'Transform…', comment: ['quick pick item: transform the selected files'] })}`, run: 'transform' },
        { label: `$(graph) ${vscode.l10n.t({ message: 'Analyze', comment: ['quick pick item: analyze the selected files'] })}`, run: 'analyze' },
      ],
      { title: uris.length === 1 ? vscode.l10n.t('Parallel Tasks: run on {0}', vscode.workspace.asRelativePath(uris[0] as vscode.Uri)) : vscode.l10n.t('Parallel Tasks: run on {0} items', uris.length) },
    );
    if (!picked) return undefined;
    if (picked.run === 'lint') return start(lintRequest(targets));
    if (picked.run === 'analyze') return start(analyzeRequest(targets));
    const preset = await pickTransform();
    return preset ? start(presetRequest(targets, preset)) : undefined;
  });
  register('parallelTasks.runCustomTask', async (name?: unknown) => {
    const request = await customTaskRequest(typeof name === 'string' ? name : undefined, log);
    return request ? start(request) : undefined;
  });
}

function registerVsCodeTasksCommand(register: Register, context: CommandContext): void {
  register('parallelTasks.runVsCodeTasks', async (names?: unknown) => {
    // tasks.json can run anything: like VS Code itself, not in an untrusted workspace.
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Parallel Tasks runs tasks.json tasks only in a trusted workspace.'));
      return undefined;
    }
    const available = await vscode.tasks.fetchTasks();
    let chosen: vscode.Task[];
    if (Array.isArray(names)) {
      chosen = available.filter((t) => names.includes(t.name));
    } else {
      const picked = await vscode.window.showQuickPick(
        available.map((task) => ({ label: task.name, description: task.source, detail: task.detail, task })),
        { title: vscode.l10n.t('Parallel Tasks: run tasks at once'), placeHolder: vscode.l10n.t('Pick the tasks to run in parallel'), canPickMany: true },
      );
      chosen = picked?.map((p) => p.task) ?? [];
    }
    if (chosen.length === 0) return undefined;
    await vscode.commands.executeCommand('parallelTasks.panel.focus');
    const lanes = await context.tasks.run(chosen);
    const failed = lanes.filter((l) => l.state === 'failed');
    if (failed.length > 0) {
      const names = failed.map((l) => vscode.l10n.t({ message: '{0} (exit {1})', args: [l.name, l.exitCode ?? '?'], comment: ['a task and its exit code'] }));
      void vscode.window.showWarningMessage(vscode.l10n.t('Parallel Tasks: {0} failed.', names.join(', ')));
    }
    return lanes;
  });
}

/** Commands about the current or last run, and the views. */
function registerRunViewCommands(register: Register, start: Start, context: CommandContext): void {
  const { controller } = context;
  register('parallelTasks.cancelRun', () => controller.cancel());
  register('parallelTasks.retryFailed', async () => {
    const request = controller.retryRequest();
    if (!request) {
      void vscode.window.showInformationMessage(vscode.l10n.t('The last run has no failed files to retry.'));
      return undefined;
    }
    return start(request);
  });
  register('parallelTasks.showPanel', () => vscode.commands.executeCommand('parallelTasks.panel.focus'));
  register('parallelTasks.openPanelInEditor', () => context.openPanelInEditor());
  register('parallelTasks.runAgain', async () => {
    const request = controller.lastRequest();
    return request ? start(request) : vscode.commands.executeCommand('parallelTasks.lintWorkspace');
  });
  register('parallelTasks.showLog', () => context.log.show());
  // The walkthrough is contributed in package.json; VS Code opens it by "<extension id>#<walkthrough id>".
  register('parallelTasks.openWalkthrough', () => vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extensionId}#gettingStarted`, false));
  register('parallelTasks.showAnalysisReport', async () => {
    if (!controller.analysis) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Run Analyze Workspace first.'));
      return undefined;
    }
    return showAnalysisReport(controller.analysis, context.storage);
  });
  register('parallelTasks.setWorkerCount', async (count?: unknown) => {
    let value = typeof count === 'number' && Number.isInteger(count) && count >= 0 ? count : undefined;
    if (value === undefined) {
      const cores = os.availableParallelism();
      const items = [
        { label: vscode.l10n.t({ message: 'Automatic', comment: ['a worker count chosen by the extension'] }), description: vscode.l10n.t('one less than the {0} cores', cores), value: 0 },
        ...Array.from({ length: Math.max(cores, 4) }, (_, i) => ({ label: String(i + 1), description: i + 1 === cores ? vscode.l10n.t('one per core') : '', value: i + 1 })),
      ];
      const now = String(vscode.workspace.getConfiguration(SECTION).get('maxWorkers'));
      const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Parallel Tasks: worker threads'), placeHolder: vscode.l10n.t({ message: 'Now: {0}', args: [now], comment: ['the worker count set now'] }) });
      if (!picked) return undefined;
      value = picked.value;
    }
    const target = vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration(SECTION).update('maxWorkers', value, target);
    return value;
  });
}

function announce(summary: RunSummary, context: CommandContext): void {
  if (summary.phase === 'refused') return;
  // Buttons are compared with the same translated labels they were shown with.
  const showLog = vscode.l10n.t('Show Log');
  if (summary.phase === 'failed') {
    const error = summary.error ?? vscode.l10n.t('unknown error');
    void vscode.window.showErrorMessage(vscode.l10n.t('Parallel Tasks: {0} failed: {1}', summary.label, error), showLog).then((c) => c === showLog && context.log.show());
    return;
  }
  if (summary.view === 'report' && summary.phase === 'completed') {
    const openReport = vscode.l10n.t('Open Report');
    void vscode.window.showInformationMessage(vscode.l10n.t('Parallel Tasks: analyzed {0} files.', summary.done), openReport).then((c) => c === openReport && vscode.commands.executeCommand('parallelTasks.showAnalysisReport'));
  }
  if (summary.view === 'edits' && summary.leftAlone && summary.leftAlone.length > 0) {
    const message = vscode.l10n.t('Parallel Tasks: {0} file(s) changed while the transform ran and were left alone.', summary.leftAlone.length);
    void vscode.window.showWarningMessage(message, showLog).then((c) => c === showLog && context.log.show());
  }
  if (summary.failed > 0) {
    const retryFailed = vscode.l10n.t('Retry Failed');
    void vscode.window.showWarningMessage(vscode.l10n.t('Parallel Tasks: {0} file(s) failed in {1}.', summary.failed, summary.label), retryFailed, showLog).then((c) => {
      if (c === retryFailed) void vscode.commands.executeCommand('parallelTasks.retryFailed');
      else if (c === showLog) context.log.show();
    });
  }
}

