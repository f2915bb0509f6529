import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { Executor } from '../core/executor';
import type { TunedPool } from '../core/tuned-pool';
import type { IsolationChoice } from '../core/worker-tuning';
// Only the glob: the stamp's code is in the engine bundle, loaded with the first run.
import { CONFIG_FILES_GLOB } from '../tasks/config-files';
import { loadEngine } from './load-engine';

/**
 * Owns the worker pools, one per isolation setting (threads, processes, or auto:
 * both, by the size of each run; see src/core/tuned-pool.ts). Each
 * is created on the first run that needs it, not at activation, kept warm
 * between runs, and replaced when the worker count changes or when a tool's
 * configuration may have changed: warm workers keep the config they loaded
 * (and Node keeps the modules it imported), so a result computed with the old
 * one would be shown, and cached under the new config's key.
 */
export class PoolManager implements vscode.Disposable {
  private readonly executors = new Map<IsolationChoice, TunedPool>();
  /** Why the warm workers must not be used again, once something made them so. */
  private stale: string | undefined;
  /** The config stamp of each folder when its last run started. */
  private readonly stamps = new Map<string, string>();
  private watcher: vscode.FileSystemWatcher | undefined;
  /** When the oldest warm pool started (ms since the epoch): configs written before it are what it loaded. */
  private startedAt = Date.now();

  constructor(
    private readonly workerScript: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Created with the first pool, not at activation: until then no worker holds a config. */
  private watchConfigs(): void {
    if (this.watcher) return;
    this.watcher = vscode.workspace.createFileSystemWatcher(CONFIG_FILES_GLOB);
    const changed = (uri: vscode.Uri, deleted = false): void => {
      // Events can arrive late: a write from before the workers started is in what they loaded.
      void stat(uri.fsPath).then(
        (info) => {
          if (deleted || info.mtimeMs >= this.startedAt) this.stale ??= `${vscode.workspace.asRelativePath(uri)} changed`;
        },
        () => {
          this.stale ??= `${vscode.workspace.asRelativePath(uri)} was removed`;
        },
      );
    };
    this.watcher.onDidChange((uri) => changed(uri));
    this.watcher.onDidCreate((uri) => changed(uri));
    this.watcher.onDidDelete((uri) => changed(uri, true));
  }

  /**
   * Compares each folder's config stamp with the one of its last run; true (and the warm workers marked
   * stale) when it changed. Separate from `acquire` for the passes that keep Problems current, which
   * check after their few files (the stamp parses the config's imports: most of a one-file pass).
   */
  async configsChanged(folders: readonly string[]): Promise<boolean> {
    let changed = false;
    for (const folder of folders) {
      const stamp = await loadEngine().configStamp([folder]);
      const before = this.stamps.get(folder);
      if (before !== undefined && stamp !== before) {
        this.stale ??= `a config file in ${folder}, or a module it imports, changed`;
        changed = true;
      }
      this.stamps.set(folder, stamp);
    }
    return changed;
  }

  /** Ends every warm worker when a config they may hold has changed since they started (checked first unless `stamp` is false). */
  private async dropStaleWorkers(folders: readonly string[], stamp: boolean): Promise<void> {
    if (stamp) await this.configsChanged(folders);
    if (!this.stale || this.executors.size === 0) {
      this.stale = undefined;
      return;
    }
    this.log.info(`Restarting the workers: ${this.stale}, and warm workers keep the config they loaded`);
    this.stale = undefined;
    const executors = [...this.executors.values()];
    this.executors.clear();
    await Promise.all(executors.map((e) => e.terminate()));
  }

  /**
   * The pool for the next run over `folders` (a planned job's workers, isolation and heap cap); call only between runs.
   * `stamp` false skips comparing config stamps (see configsChanged); configs the watcher saw change still count.
   */
  async acquire(workers: number, isolation: IsolationChoice, folders: readonly string[], heapMb: number, stamp = true): Promise<Executor> {
    await this.dropStaleWorkers(folders, stamp);
    this.watchConfigs();
    let executor = this.executors.get(isolation);
    if (executor && executor.concurrency !== workers) {
      this.log.info(`Worker count changed to ${workers}: replacing the ${isolation} pool of ${executor.concurrency}`);
      this.executors.delete(isolation);
      await executor.terminate();
      executor = undefined;
    }
    if (!executor) {
      // Each worker's heap is capped at its share of the memory there is now, as in the CLI.
      const where = isolation === 'auto' ? 'threads or processes, by the size of each run' : isolation === 'process' ? 'processes' : 'threads';
      this.log.info(`Starting a pool of ${workers} worker${workers === 1 ? '' : 's'} (${where}; heap cap ${heapMb} MB each)`);
      const { TunedPool } = loadEngine();
      executor = new TunedPool({
        script: this.workerScript,
        workers,
        isolation,
        maxOldGenerationSizeMb: heapMb,
        messagesFile: vscode.l10n.uri?.fsPath,
        onLifecycle: (event) => this.log.info(`${event.type}: ${event.detail}`),
      });
      if (this.executors.size === 0) this.startedAt = Date.now();
      this.executors.set(isolation, executor);
    }
    return executor;
  }

  /**
   * A pool for one run, which the engine terminates after it: fewer workers than the warm pool, when each
   * needs more memory than the machine has for all of them (type-aware lint). Not kept warm: it exists
   * because memory is short, and idle workers holding TypeScript programs would keep it short.
   */
  forOneRun(workers: number, isolation: IsolationChoice, heapMb: number): Executor {
    this.log.info(`Starting a pool of ${workers} worker${workers === 1 ? '' : 's'} (${isolation}) for this run only (heap cap ${heapMb} MB each)`);
    const { TunedPool } = loadEngine();
    return new TunedPool({ script: this.workerScript, workers, isolation, maxOldGenerationSizeMb: heapMb, messagesFile: vscode.l10n.uri?.fsPath, onLifecycle: (event) => this.log.info(`${event.type}: ${event.detail}`) });
  }

  /** Both pools together: what tests check for busy or leaked workers. */
  stats(): { busy: number; pending: number; workers: number } {
    const total = { busy: 0, pending: 0, workers: 0 };
    for (const executor of this.executors.values()) {
      const stats = executor.stats();
      total.busy += stats.busy;
      total.pending += stats.pending;
      total.workers += stats.workers;
    }
    return total;
  }

  /** Terminates the pools, giving up after `timeoutMs` so that shutting down the editor never hangs on us. */
  async shutdown(timeoutMs: number): Promise<void> {
    const executors = [...this.executors.values()];
    this.executors.clear();
    if (executors.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(executors.map((e) => e.terminate().catch(() => undefined))),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    if (timer) clearTimeout(timer);
  }

  dispose(): void {
    this.watcher?.dispose();
    void this.shutdown(2000);
  }
}
