import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { registerQueuePassword } from './queue-password';
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { LintDiagnostics } from './diagnostics';
import { DisposableStore } from './lifecycle';
import { PoolManager } from './pool';
import { RunController, type RunView } from './run-controller';
import { PanelProvider } from './panel/panel-provider';
import { RunStatusBar } from './status-bar';
import { VsCodeTaskRunner } from './vscode-tasks';
import type { LiveStatus, PanelState, TaskLane } from '../shared/protocol';
import type { AnyTaskKind } from '../core/task-api';
import { loadEngine } from './load-engine';
import type { RunSummary } from './run-types';
import { TransformReview } from './transform-review';
import { FolderRunner } from './folder-run';
import { KeepCurrent, type LiveState } from './keep-current';
import { LivePass } from './live-pass';
import { LiveTargets } from './live-targets';

/** What `activate` returns: for tests and other extensions (a new task kind, a run of one). */
export interface ParallelTasksApi {
  view(): RunView | undefined;
  poolStats(): { busy: number; pending: number; workers: number };
  /** Sends a message to the panel's host side as if a webview had posted it; false when it was refused. */
  panelMessage(raw: unknown): Promise<boolean>;
  panelRejected(): number;
  /** The tasks.json tasks started together by Run VS Code Tasks…, as the panel shows them. */
  taskLanes(): TaskLane[];
  /** What the panel shows (what a webview that loads now is sent). */
  panelState(): PanelState;
  /**
   * Adds a task kind beside the built-in ones (src/tasks/registry.ts) until disposed. Its handler
   * cannot reach our workers (their bundle has the built-in kinds only), so such a kind brings its own executor.
   */
  registerTaskKind(kind: AnyTaskKind): vscode.Disposable;
  /** Runs a registered kind over every workspace folder, as the commands do for theirs. */
  runTask(kind: string, label: string, options: unknown): Promise<RunSummary>;
  /** Keeping Problems current (parallelTasks.lint.keepCurrent): the mode, the files pending, the passes done. */
  liveState(): LiveState;
}

const store = new DisposableStore();
let pool: PoolManager | undefined;
/** The last write of the run history: a reload right after a run must not lose it. */
let historySaved: (() => Promise<void>) | undefined;

/** Wires things up only; the worker pool starts with the first run. */
export function activate(context: vscode.ExtensionContext): ParallelTasksApi {
  // The engine cannot import vscode: its messages come from @vscode/l10n, given the same bundle here.
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
  const log = store.add(vscode.window.createOutputChannel('Parallel Tasks', { log: true }));
  const workerScript = path.join(context.extensionPath, 'dist', 'worker.js');
  pool = store.add(new PoolManager(workerScript, log));
  const diagnostics = store.add(new LintDiagnostics());
  const review = store.add(new TransformReview());
  const storage = context.storageUri ?? context.globalStorageUri;
  const controller = store.add(new RunController(pool, diagnostics, review, log, storage, workerScript, context.secrets));
  store.add(registerQueuePassword(context.secrets));
  const passes = new LivePass(pool, new FolderRunner({ pool, log, storage, workerScript, secrets: context.secrets }), diagnostics, log);
  const live = store.add(new KeepCurrent(controller, store.add(new LiveTargets(log)), passes, log));
  controller.waitBeforeRuns(() => live.idle());
  store.add(new RunStatusBar(controller, live));
  const tasks = store.add(new VsCodeTaskRunner());
  const panel = store.add(new PanelProvider(context.extensionUri, controller, review, log, tasks, context.storageUri));
  store.add(vscode.window.registerWebviewViewProvider(PanelProvider.viewId, panel));
  store.add(panel.followLive({ onDidChange: live.onDidChange, live: () => liveStatus(live.state()) }));
  historySaved = () => panel.historySaved();
  registerCommands(store, { controller, log, storage, tasks, openPanelInEditor: () => panel.openInEditor(), extensionId: context.extension.id });
  const manager = pool;
  return {
    view: () => controller.view(),
    poolStats: () => manager.stats(),
    panelMessage: (raw) => panel.handleRaw(raw),
    panelRejected: () => panel.rejected,
    taskLanes: () => tasks.view(),
    panelState: () => panel.state(),
    registerTaskKind: (kind) => new vscode.Disposable(loadEngine().registerTaskKind(kind)),
    liveState: () => live.state(),
    runTask: (kind, label, options) => controller.run({ kind, label, options, targets: (vscode.workspace.workspaceFolders ?? []).map((folder) => ({ folder, paths: [] })) }),
  };
}

/** What the panel shows of keeping Problems current: nothing when it is off. */
function liveStatus(state: LiveState): LiveStatus | undefined {
  return state.mode === 'off' ? undefined : { mode: state.mode, pending: state.pending };
}

/** Returns the pool's shutdown so VS Code waits for it, within a time limit. */
export function deactivate(): Promise<void> {
  const closing = Promise.all([pool?.shutdown(3000), historySaved?.()]).then(() => undefined);
  pool = undefined;
  historySaved = undefined;
  store.dispose();
  return closing;
}
