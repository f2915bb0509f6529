import * as os from 'node:os';
import * as vscode from 'vscode';
import { showAnalysisReport } from './analysis-report';
import type { DisposableStore } from './lifecycle';
import { reportProgress } from './progress';
import type { VsCodeTaskRunner } from './vscode-tasks';
import type { RunController } from './run-controller';
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

type Register = (id: string, fn: (...args: never[]) => unknown) => void;
type Start = (request: RunRequest | undefined) => Promise<RunSummary | undefined>;

export function registerCommands(store: DisposableStore, context: CommandContext): void {
  const { controller } = context;

  const start: Start = async (request) => {
    if (!request) return undefined;
    if (request.targets.length === 0) {
      void vscode.window.showWarningMessage('Parallel Tasks needs a folder on disk: open a folder or workspace first.');
      return undefined;
    }
    if (controller.running) {
      void vscode.window.showWarningMessage('Parallel Tasks is already running. Cancel the run first.', 'Cancel Run').then((c) => c && controller.cancel());
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
        { label: '$(checklist) Lint', run: 'lint' },
        { label: '$(wand) Transform…', run: 'transform' },
        { label: '$(graph) Analyze', run: 'analyze' },
      ],
      { title: `Parallel Tasks: run on ${uris.length === 1 ? vscode.workspace.asRelativePath(uris[0] as vscode.Uri) : `${uris.length} items`}` },
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
      void vscode.window.showWarningMessage('Parallel Tasks runs tasks.json tasks only in a trusted workspace.');
      return undefined;
    }
    const available = await vscode.tasks.fetchTasks();
    let chosen: vscode.Task[];
    if (Array.isArray(names)) {
      chosen = available.filter((t) => names.includes(t.name));
    } else {
      const picked = await vscode.window.showQuickPick(
        available.map((task) => ({ label: task.name, description: task.source, detail: task.detail, task })),
        { title: 'Parallel Tasks: run tasks at once', placeHolder: 'Pick the tasks to run in parallel', canPickMany: true },
      );
      chosen = picked?.map((p) => p.task) ?? [];
    }
    if (chosen.length === 0) return undefined;
    await vscode.commands.executeCommand('parallelTasks.panel.focus');
    const lanes = await context.tasks.run(chosen);
    const failed = lanes.filter((l) => l.state === 'failed');
    if (failed.length > 0) void vscode.window.showWarningMessage(`Parallel Tasks: ${failed.map((l) => `${l.name} (exit ${l.exitCode ?? '?'})`).join(', ')} failed.`);
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
      void vscode.window.showInformationMessage('The last run has no failed files to retry.');
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
      void vscode.window.showInformationMessage('Run Analyze Workspace first.');
      return undefined;
    }
    return showAnalysisReport(controller.analysis, context.storage);
  });
  register('parallelTasks.setWorkerCount', async (count?: unknown) => {
    let value = typeof count === 'number' && Number.isInteger(count) && count >= 0 ? count : undefined;
    if (value === undefined) {
      const cores = os.availableParallelism();
      const items = [{ label: 'Automatic', description: `one less than the ${cores} cores`, value: 0 }, ...Array.from({ length: Math.max(cores, 4) }, (_, i) => ({ label: String(i + 1), description: i + 1 === cores ? 'one per core' : '', value: i + 1 }))];
      const picked = await vscode.window.showQuickPick(items, { title: 'Parallel Tasks: worker threads', placeHolder: `Now: ${vscode.workspace.getConfiguration(SECTION).get('maxWorkers')}` });
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
  if (summary.phase === 'failed') {
    void vscode.window.showErrorMessage(`Parallel Tasks: ${summary.label} failed: ${summary.error ?? 'unknown error'}`, 'Show Log').then((c) => c && context.log.show());
    return;
  }
  if (summary.view === 'report' && summary.phase === 'completed') {
    void vscode.window.showInformationMessage(`Parallel Tasks: analyzed ${summary.done} files.`, 'Open Report').then((c) => c && vscode.commands.executeCommand('parallelTasks.showAnalysisReport'));
  }
  if (summary.view === 'edits' && summary.leftAlone && summary.leftAlone.length > 0) {
    void vscode.window.showWarningMessage(`Parallel Tasks: ${summary.leftAlone.length} file(s) changed while the transform ran and were left alone.`, 'Show Log').then((c) => c && context.log.show());
  }
  if (summary.failed > 0) {
    void vscode.window.showWarningMessage(`Parallel Tasks: ${summary.failed} file(s) failed in ${summary.label}.`, 'Retry Failed', 'Show Log').then((c) => {
      if (c === 'Retry Failed') void vscode.commands.executeCommand('parallelTasks.retryFailed');
      else if (c) context.log.show();
    });
  }
}

