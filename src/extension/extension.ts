import * as path from 'node:path';
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { LintDiagnostics } from './diagnostics';
import { DisposableStore } from './lifecycle';
import { PoolManager } from './pool';
import { RunController, type RunView } from './run-controller';
import { PanelProvider } from './panel/panel-provider';
import { RunStatusBar } from './status-bar';
import { VsCodeTaskRunner } from './vscode-tasks';
import type { TaskLane } from '../shared/protocol';
import { TransformReview } from './transform-review';

/** What `activate` returns: read-only access for tests and other extensions. */
export interface ParallelTasksApi {
  view(): RunView | undefined;
  poolStats(): { busy: number; pending: number; workers: number };
  /** Sends a message to the panel's host side as if a webview had posted it; false when it was refused. */
  panelMessage(raw: unknown): Promise<boolean>;
  panelRejected(): number;
  /** The tasks.json tasks started together by Run VS Code Tasks…, as the panel shows them. */
  taskLanes(): TaskLane[];
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
  const controller = store.add(new RunController(pool, diagnostics, review, log, storage, workerScript));
  store.add(new RunStatusBar(controller));
  const tasks = store.add(new VsCodeTaskRunner());
  const panel = store.add(new PanelProvider(context.extensionUri, controller, review, log, tasks));
  store.add(vscode.window.registerWebviewViewProvider(PanelProvider.viewId, panel));
  registerCommands(store, { controller, log, storage, tasks, openPanelInEditor: () => panel.openInEditor() });
  const manager = pool;
  return {
    view: () => controller.view(),
    poolStats: () => manager.stats(),
    panelMessage: (raw) => panel.handleRaw(raw),
    panelRejected: () => panel.rejected,
    taskLanes: () => tasks.view(),
  };
}

/** Returns the pool's shutdown so VS Code waits for it, within a time limit. */
export function deactivate(): Promise<void> {
  const closing = pool?.shutdown(3000) ?? Promise.resolve();
  pool = undefined;
  store.dispose();
  return closing;
}
