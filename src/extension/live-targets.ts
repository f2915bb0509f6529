import * as vscode from 'vscode';
import { errorMessage } from '../core/errors';
import type { LiveItem, LiveTask } from './live-pass';
import { loadEngine } from './load-engine';
import { lintRequest } from './run-requests';
import { readSettings, SECTION } from './settings';

/** A task that keeps its Problems current, with the test of which files a workspace run of it takes. */
interface LiveFilter {
  readonly task: LiveTask;
  readonly takes: (file: string) => boolean;
}

/**
 * Which checks a changed file calls for: lint when a workspace lint would
 * take it (include, exclude, .gitignore: an excluded file gets no Problems),
 * and each custom task that opted in with `"keepCurrent": true` and whose
 * files it is among. The tests are built once per folder and kept until a
 * setting, a .gitignore or the custom tasks' file changes.
 */
export class LiveTargets implements vscode.Disposable {
  private readonly filters = new Map<string, Promise<LiveFilter[]>>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private watching = false;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SECTION)) this.filters.clear();
      }),
    );
  }

  /** Made with the first check, not at activation: a workspace-wide watcher is not free. */
  private watch(): void {
    if (this.watching) return;
    this.watching = true;
    const watcher = vscode.workspace.createFileSystemWatcher('**/{.gitignore,.vscode/parallel-tasks.json}');
    const forget = (): void => this.filters.clear();
    this.subscriptions.push(watcher, watcher.onDidChange(forget), watcher.onDidCreate(forget), watcher.onDidDelete(forget));
  }

  /** The checks `uri` calls for; custom tasks only when `custom` (they read the file on disk: on save, not as the user types). */
  async itemsFor(uri: vscode.Uri, custom: boolean): Promise<LiveItem[]> {
    if (uri.scheme !== 'file') return [];
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return [];
    this.watch();
    const key = folder.uri.toString();
    let filters = this.filters.get(key);
    if (!filters) {
      filters = this.build(folder);
      this.filters.set(key, filters);
      // A failure is said by the caller; the next change tries again.
      filters.catch(() => this.filters.delete(key));
    }
    const file = uri.fsPath;
    return (await filters).filter((f) => (custom || f.task.kind === 'lint') && f.takes(file)).map((f) => ({ task: f.task, file }));
  }

  private async build(folder: vscode.WorkspaceFolder): Promise<LiveFilter[]> {
    const engine = loadEngine();
    const settings = readSettings(folder.uri);
    const cwd = folder.uri.fsPath;
    const lint = engine.taskKind('lint');
    const include = settings.include.length > 0 ? settings.include : lint.defaultInclude(engine.parseOptions(lint, lintRequest([{ folder, paths: [] }]).options));
    const filters: LiveFilter[] = [{ task: { kind: 'lint' }, takes: await engine.walkFilter({ cwd, include, exclude: settings.exclude, gitignore: settings.useGitignore }) }];
    try {
      for (const task of await engine.loadTasks(cwd)) {
        if (task.keepCurrent !== true) continue;
        const takes = await engine.walkFilter({ cwd, include: task.include, exclude: [...(task.exclude ?? []), ...settings.exclude], gitignore: settings.useGitignore });
        filters.push({ task: { kind: 'custom', name: task.name }, takes });
      }
    } catch (error) {
      // A broken task file says so when a task is run; here it only keeps custom tasks out.
      this.log.warn(`Keeping Problems current: custom tasks of ${folder.name} left out: ${errorMessage(error)}`);
    }
    return filters;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
