import * as path from 'node:path';
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
import type { PanelState, TaskLane } from '../shared/protocol';
import type { AnyTaskKind } from '../core/task-api';
import { loadEngine } from './load-engine';
import type { RunSummary } from './run-types';
import { TransformReview } from './transform-review';

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
}

const store = new DisposableStore();
let pool: PoolManager | undefined;

/** Wires things up only; the worker pool starts with the first run. */
export function activate(context: vscode.ExtensionContext): ParallelTasksApi {
  const log = store.add(vscode.window.createOutputChannel('Parallel Tasks', { log: true }));
  const workerScript = path.join(context.extensionPath, 'dist', 'worker.js');
  pool = store.add(new PoolManager(workerScript, log));
  const diagnostics = store.add(new LintDiagnostics());
  const review = store.add(new TransformReview());
  const storage = context.storageUri ?? context.globalStorageUri;
  const controller = store.add(new RunController(pool, diagnostics, review, log, storage, workerScript, context.secrets));
  store.add(registerQueuePassword(context.secrets));
  store.add(new RunStatusBar(controller));
  const tasks = store.add(new VsCodeTaskRunner());
  const panel = store.add(new PanelProvider(context.extensionUri, controller, review, log, tasks));
  store.add(vscode.window.registerWebviewViewProvider(PanelProvider.viewId, panel));
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
    runTask: (kind, label, options) => controller.run({ kind, label, options, targets: (vscode.workspace.workspaceFolders ?? []).map((folder) => ({ folder, paths: [] })) }),
  };
}

/** Returns the pool's shutdown so VS Code waits for it, within a time limit. */
export function deactivate(): Promise<void> {
  const closing = pool?.shutdown(3000) ?? Promise.resolve();
  pool = undefined;
  store.dispose();
  return closing;
}
