import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunController, RunView } from './run-controller';

type Node =
  | { kind: 'header'; view: RunView }
  | { kind: 'group'; id: 'queue' | 'workers' | 'failed'; view: RunView }
  | { kind: 'leaf'; label: string; description?: string; tooltip?: string; icon?: string; file?: string };

/**
 * The "Run" view of the Parallel Tasks container: the current or last run, its
 * queue counts, one row per worker and the files that failed. Empty before the
 * first run, so the welcome content with its buttons shows instead.
 */
export class RunTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly controller: RunController) {
    this.subscription = controller.onDidChange(() => this.changed.fire(undefined));
  }

  getChildren(node?: Node): Node[] {
    const view = this.controller.view();
    if (!view) return [];
    if (!node) {
      const groups: Node[] = [{ kind: 'header', view }, { kind: 'group', id: 'queue', view }, { kind: 'group', id: 'workers', view }];
      if (view.failedFiles.length > 0) groups.push({ kind: 'group', id: 'failed', view });
      return groups;
    }
    if (node.kind !== 'group') return [];
    const { counts, workers, timings } = view.snapshot;
    if (node.id === 'queue') {
      return (['pending', 'running', 'done', 'failed', 'skipped', 'cancelled'] as const).map((key) => ({ kind: 'leaf', label: key, description: String(counts[key]) }));
    }
    if (node.id === 'workers') {
      return workers.map((w) => ({
        kind: 'leaf',
        label: `Worker ${w.slot + 1}: ${w.state}`,
        description: `${w.filesDone} file${w.filesDone === 1 ? '' : 's'} · ${timings.wallMs > 0 ? Math.round((w.busyMs / timings.wallMs) * 100) : 0}% busy${w.restarts ? ` · ${w.restarts} restarts` : ''}${w.currentFile ? ` · ${path.basename(w.currentFile)}` : ''}`,
        tooltip: w.currentFile,
        icon: w.state === 'busy' ? 'sync~spin' : w.state === 'restarting' ? 'debug-restart' : 'circle-outline',
      }));
    }
    return view.failedFiles.map((f) => ({ kind: 'leaf', label: vscode.workspace.asRelativePath(f.path), description: f.message, tooltip: f.message, icon: 'error', file: f.path }));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'header') {
      const { counts, timings } = node.view.snapshot;
      const state = node.view.running ? 'running' : (node.view.summary?.phase ?? 'done');
      const item = new vscode.TreeItem(`${node.view.request.label} — ${state}`);
      const finished = counts.done + counts.failed + counts.skipped + counts.cancelled;
      item.description = `${finished}/${counts.total} files · ${timings.filesPerSecond.toFixed(1)} files/s · speedup ${timings.speedup.toFixed(2)}×`;
      item.iconPath = new vscode.ThemeIcon(node.view.running ? 'sync~spin' : state === 'completed' ? 'pass' : 'warning');
      return item;
    }
    if (node.kind === 'group') {
      const label = node.id === 'queue' ? 'Queue' : node.id === 'workers' ? 'Workers' : `Failed files (${node.view.failedFiles.length})`;
      const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.id;
      return item;
    }
    const item = new vscode.TreeItem(node.label);
    item.description = node.description;
    item.tooltip = node.tooltip;
    if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon);
    if (node.file) item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(node.file)] };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
