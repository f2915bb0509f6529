import * as path from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../core/errors';
import { RunState, type FileRecord } from '../core/run-state';
import type { LintDiagnostics } from './diagnostics';
import type { FolderRunner } from './folder-run';
import { loadEngine } from './load-engine';
import type { PoolManager } from './pool';
import { lintRequest } from './run-requests';
import { firstOutside } from './workspace-paths';

/** One file to check again with one task: `lint`, or a custom task's name. */
export interface LiveItem {
  readonly task: LiveTask;
  readonly file: string;
}

export type LiveTask = { readonly kind: 'lint' } | { readonly kind: 'custom'; readonly name: string };

/**
 * Runs one pass of keeping Problems current: the changed files, grouped by
 * task and workspace folder, through the same planner, cache, warm pool and
 * Problems as a workspace run (a few files go to threads), but quietly: no
 * progress, no panel run, the last run's view kept.
 */
export class LivePass {
  constructor(
    private readonly pool: PoolManager,
    private readonly folders: FolderRunner,
    private readonly diagnostics: LintDiagnostics,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /**
   * Checks `items`; their results are set by `apply` (told which still stand: a file deleted during
   * the pass does not), so that the caller can end its queue's pass first.
   */
  async run(items: readonly LiveItem[]): Promise<{ apply: (stands: (item: LiveItem) => boolean) => void; configsChanged: () => Promise<boolean> }> {
    const groups = new Map<string, { task: LiveTask; folder: vscode.WorkspaceFolder; items: LiveItem[] }>();
    for (const item of items) {
      const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(item.file));
      if (!folder) continue;
      const key = `${JSON.stringify(item.task)}\n${folder.uri.toString()}`;
      const group = groups.get(key) ?? { task: item.task, folder, items: [] };
      group.items.push(item);
      groups.set(key, group);
    }
    const done: { records: FileRecord<unknown>[]; set: (records: readonly FileRecord<unknown>[]) => void; items: LiveItem[] }[] = [];
    for (const group of groups.values()) {
      try {
        const ran = await this.runGroup(group.task, group.folder, group.items);
        if (ran) done.push({ ...ran, items: group.items });
      } catch (error) {
        this.log.error(`Keeping Problems current failed on ${group.items.map((i) => vscode.workspace.asRelativePath(i.file)).join(', ')}: ${errorMessage(error)}`);
      }
    }
    const warm = [...new Set([...groups.values()].filter((g) => g.task.kind === 'lint').map((g) => g.folder.uri.fsPath))];
    return {
      // Asked after the Problems are set: whether the warm workers held an old config (see FolderJob.quick).
      configsChanged: () => this.pool.configsChanged(warm),
      apply: (stands) => {
        for (const { records, set, items: asked } of done) {
          const byFile = new Map(asked.map((i) => [i.file, i]));
          set(records.filter((r) => {
            const item = byFile.get(r.path);
            return item !== undefined && stands(item);
          }));
        }
      },
    };
  }

  private async runGroup(task: LiveTask, folder: vscode.WorkspaceFolder, items: readonly LiveItem[]): Promise<{ records: FileRecord<unknown>[]; set: (records: readonly FileRecord<unknown>[]) => void } | undefined> {
    const engine = loadEngine();
    const request = task.kind === 'lint' ? lintRequest([{ folder, paths: [] }]) : { kind: 'custom', options: { task: task.name } };
    const kind = engine.taskKind(request.kind);
    const options = engine.parseOptions(kind, request.options);
    const results = kind.results;
    if (results.view !== 'problems') return undefined;
    // As a workspace run: a setting must not make us load a config from elsewhere on the machine.
    const outside = firstOutside(kind.executedFiles(options), (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath));
    if (outside) throw new Error(`it would load ${outside}, which is outside the workspace`);
    const paths = items.map((i) => path.relative(folder.uri.fsPath, i.file));
    const state = new RunState<unknown>();
    const ran = await this.folders.run({ kind, options, target: { folder, paths }, state, signal: new AbortController().signal, begin: () => undefined, asWalked: true, quick: true });
    if (!ran) return undefined;
    if (ran.result.outcome.phase === 'failed') this.log.warn(`Keeping Problems current: ${ran.result.outcome.error ?? 'the pass failed'}`);
    const target = results.diagnostics(options);
    return { records: [...ran.result.state.results()], set: (records) => this.diagnostics.update(target, records, (value) => results.problems(value)) };
  }
}
