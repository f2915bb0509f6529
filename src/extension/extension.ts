import * as path from 'node:path';
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { LintDiagnostics } from './diagnostics';
import { DisposableStore } from './lifecycle';
import { PoolManager } from './pool';
import { RunController, type RunView } from './run-controller';
import { RunTreeProvider } from './run-tree';
import { RunStatusBar } from './status-bar';

/** What `activate` returns: read-only access for tests and other extensions. */
export interface ParallelTasksApi {
  view(): RunView | undefined;
  poolStats(): { busy: number; pending: number; workers: number };
  diagnosticsCount(): number;
}

const store = new DisposableStore();
let pool: PoolManager | undefined;

/** Wires things up only; the worker pool starts with the first run. */
export function activate(context: vscode.ExtensionContext): ParallelTasksApi {
  const log = store.add(vscode.window.createOutputChannel('Parallel Tasks', { log: true }));
  pool = store.add(new PoolManager(path.join(context.extensionPath, 'dist', 'worker.js'), log));
  const diagnostics = store.add(new LintDiagnostics());
  const controller = store.add(new RunController(pool, diagnostics, log));
  store.add(new RunStatusBar(controller));
  store.add(vscode.window.registerTreeDataProvider('parallelTasks.run', store.add(new RunTreeProvider(controller))));
  registerCommands(store, { controller, log, storage: context.storageUri ?? context.globalStorageUri });
  const manager = pool;
  return {
    view: () => controller.view(),
    poolStats: () => manager.stats(),
    diagnosticsCount: () => diagnostics.count(),
  };
}

/** Returns the pool's shutdown so VS Code waits for it, within a time limit. */
export function deactivate(): Promise<void> {
  const closing = pool?.shutdown(3000) ?? Promise.resolve();
  pool = undefined;
  store.dispose();
  return closing;
}
