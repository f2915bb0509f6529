import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../core/errors';
import { PassQueue } from '../core/pass-queue';
import type { LiveItem, LivePass } from './live-pass';
import type { LiveTargets } from './live-targets';
import type { RunController } from './run-controller';
import { lintRequest, workspaceTargets } from './run-requests';
import { SECTION } from './settings';

export type KeepCurrentMode = 'off' | 'onSave' | 'onType';

/** What the status bar and the panel show, and what tests and the benchmark read. */
export interface LiveState {
  readonly mode: KeepCurrentMode;
  /** Files waiting for a check or in the running one. */
  readonly pending: number;
  /** Passes finished in this window, and the last one's files and time (take to Problems set). */
  readonly passes: number;
  readonly lastPass?: { readonly files: number; readonly ms: number };
  /** Workspace lints run (to their end) because a config, a plugin or a lock file changed. */
  readonly relints: number;
}

/** The pause in typing after which the unsaved text is linted (`onType`). */
const TYPING_PAUSE_MS = 300;
/** Config edits and installs come in bursts (an editor's save, npm writing the lock file): one re-lint after them. */
const CONFIG_PAUSE_MS = 1000;
/** Files whose change can change every file's lint result: ESLint configs, manifests (plugins) and lock files. */
const LINT_CONFIG_GLOB = '**/{eslint.config.*,.eslintrc,.eslintrc.*,.eslintignore,package.json,package-lock.json,npm-shrinkwrap.json,yarn.lock,pnpm-lock.yaml,bun.lock,bun.lockb}';
/** A renamed folder's files are checked under their new names, up to this many. */
const RENAMED_FOLDER_FILES = 2000;

const keyOf = (item: LiveItem): string => JSON.stringify([item.task, item.file]);
const itemOf = (key: string): LiveItem => {
  const [task, file] = JSON.parse(key) as [LiveItem['task'], string];
  return { task, file };
};

/**
 * Keeps Problems current as the user works (parallelTasks.lint.keepCurrent):
 * a saved file, or with `onType` the unsaved text after a pause, is checked
 * again on the warm pool; created, deleted and renamed files gain, lose or
 * move their entries; a change to an ESLint config, a plugin or a lock file
 * lints the workspace again through the cache. A workspace run goes first:
 * passes wait for it, and it waits for the pass under way.
 */
export class KeepCurrent implements vscode.Disposable {
  private readonly queue = new PassQueue<string>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  /** Set by the first completed lint of the whole workspace: from then on the default is `onSave`. */
  private workspaceLinted = false;
  private readonly typing = new Map<string, NodeJS.Timeout>();
  private relintTimer: NodeJS.Timeout | undefined;
  private relintAfterRun = false;
  private pass: Promise<void> | undefined;
  private passes = 0;
  private relints = 0;
  private lastPass: LiveState['lastPass'];
  private disposed = false;
  private watching = false;

  constructor(
    private readonly controller: RunController,
    private readonly targets: LiveTargets,
    private readonly runner: LivePass,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidSaveTextDocument((document) => this.saved(document)),
      vscode.workspace.onDidChangeTextDocument((e) => this.typed(e)),
      vscode.workspace.onDidDeleteFiles((e) => e.files.forEach((uri) => this.dropped(uri))),
      vscode.workspace.onDidRenameFiles((e) => e.files.forEach(({ oldUri, newUri }) => void this.renamed(oldUri, newUri))),
      controller.onRunEvent((event) => {
        if (event.type !== 'finished') return;
        // The whole workspace: no paths, and not only its changed files (Lint Changed Files).
        const whole = event.request.kind === 'lint' && event.request.targets.every((t) => t.paths.length === 0 && t.only === undefined);
        if (whole && event.summary.phase === 'completed' && !this.workspaceLinted) {
          this.workspaceLinted = true;
          this.modeChanged();
        }
        // Saves during the run waited for it.
        setTimeout(() => (this.relintAfterRun ? this.scheduleRelint() : this.kick()), 0);
      }),
      // A run that was refused or failed before it finished still frees the pool: passes that waited go on.
      controller.onDidChange(() => this.kick()),
      vscode.workspace.onDidCloseTextDocument((document) => this.closed(document)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.lint.keepCurrent`)) this.modeChanged();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.modeChanged()),
    );
    this.modeChanged();
  }

  private modeChanged(): void {
    if (this.mode() === 'off') this.queue.clear();
    else this.watch();
    this.changed.fire();
  }

  /**
   * Made when keeping current turns on, not at activation: workspace-wide watchers are not free. Created
   * files are linted, deleted ones dropped (a rename outside VS Code is both); config changes re-lint.
   */
  private watch(): void {
    if (this.watching) return;
    this.watching = true;
    const files = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    const configs = vscode.workspace.createFileSystemWatcher(LINT_CONFIG_GLOB);
    const relint = (): void => this.scheduleRelint();
    this.subscriptions.push(
      files,
      files.onDidCreate((uri) => void this.enqueue(uri, true)),
      files.onDidDelete((uri) => this.dropped(uri)),
      configs,
      configs.onDidChange(relint),
      configs.onDidCreate(relint),
      configs.onDidDelete(relint),
    );
  }

  /** The setting when the user set it; else `onSave` once the workspace was linted in this window, `off` before. Lint loads workspace code: never untrusted. */
  mode(): KeepCurrentMode {
    if (!vscode.workspace.isTrusted) return 'off';
    const inspected = vscode.workspace.getConfiguration(SECTION).inspect<unknown>('lint.keepCurrent');
    const set = inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
    if (set === 'off' || set === 'onSave' || set === 'onType') return set;
    return this.workspaceLinted ? 'onSave' : 'off';
  }

  state(): LiveState {
    return { mode: this.mode(), pending: this.queue.pending, passes: this.passes, relints: this.relints, ...(this.lastPass ? { lastPass: this.lastPass } : {}) };
  }

  /** Resolves once no pass runs: a workspace run waits for this before it takes the pool. */
  async idle(): Promise<void> {
    while (this.pass) await this.pass;
  }

  private saved(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.typing.get(key));
    this.typing.delete(key);
    void this.enqueue(document.uri, true);
  }

  private typed(e: vscode.TextDocumentChangeEvent): void {
    if (e.contentChanges.length === 0 || e.document.uri.scheme !== 'file' || this.mode() !== 'onType') return;
    const key = e.document.uri.toString();
    clearTimeout(this.typing.get(key));
    const uri = e.document.uri;
    this.typing.set(
      key,
      setTimeout(() => {
        this.typing.delete(key);
        // Unsaved text has no size on disk to check: a huge paste is skipped as a huge file is, until it is saved.
        const limit = vscode.workspace.getConfiguration(SECTION).get<number>('maxFileSizeBytes') ?? Infinity;
        if (Buffer.byteLength(e.document.getText()) > limit) return;
        void this.enqueue(uri, false);
      }, TYPING_PAUSE_MS),
    );
  }

  /** Closed without saving ("Don't Save"): Problems came from text that is gone; check the file on disk again. */
  private closed(document: vscode.TextDocument): void {
    if (document.uri.scheme !== 'file' || this.mode() !== 'onType') return;
    clearTimeout(this.typing.get(document.uri.toString()));
    this.typing.delete(document.uri.toString());
    void this.enqueue(document.uri, false);
  }

  private dropped(uri: vscode.Uri): void {
    const gone = uri.fsPath;
    this.queue.dropWhere((key) => {
      const file = itemOf(key).file;
      return file === gone || file.startsWith(`${gone}${path.sep}`);
    });
    this.changed.fire();
  }

  private async renamed(oldUri: vscode.Uri, newUri: vscode.Uri): Promise<void> {
    this.dropped(oldUri);
    const info = await stat(newUri.fsPath).catch(() => undefined);
    if (!info?.isDirectory()) return this.enqueue(newUri, true);
    // Dependencies and git's own files are never linted, and would use up the cap before the folder's sources.
    const inside = await vscode.workspace.findFiles(new vscode.RelativePattern(newUri, '**/*'), '{**/node_modules/**,**/.git/**}', RENAMED_FOLDER_FILES);
    for (const uri of inside) await this.enqueue(uri, true);
  }

  /** Queues the checks `uri` calls for, when keeping current is on. */
  private async enqueue(uri: vscode.Uri, custom: boolean): Promise<void> {
    if (uri.scheme !== 'file' || this.disposed || this.mode() === 'off') return;
    let items: LiveItem[];
    try {
      items = await this.targets.itemsFor(uri, custom);
    } catch (error) {
      this.log.warn(`Keeping Problems current: cannot tell whether ${vscode.workspace.asRelativePath(uri)} is checked: ${errorMessage(error)}`);
      return;
    }
    if (items.length === 0) return;
    for (const item of items) this.queue.add(keyOf(item));
    this.changed.fire();
    this.kick();
  }

  /** Starts the next pass unless one runs or a workspace run has the pool. */
  private kick(): void {
    if (this.pass || this.disposed || this.controller.running) return;
    const keys = this.queue.take();
    if (!keys) return;
    this.pass = this.runPass(keys).finally(() => {
      this.pass = undefined;
      this.changed.fire();
      this.kick();
    });
  }

  private async runPass(keys: readonly string[]): Promise<void> {
    const started = performance.now();
    let ran: Awaited<ReturnType<LivePass['run']>> | undefined;
    try {
      ran = await this.runner.run(keys.map(itemOf));
    } catch (error) {
      this.log.error(`Keeping Problems current failed: ${errorMessage(error)}`);
    } finally {
      const stands = this.queue.finish();
      ran?.apply((item) => stands(keyOf(item)));
    }
    this.passes++;
    this.lastPass = { files: keys.length, ms: performance.now() - started };
    this.log.info(`Problems kept current: ${keys.length} file${keys.length === 1 ? '' : 's'} checked in ${this.lastPass.ms.toFixed(0)} ms`);
    if (await ran?.configsChanged().catch(() => false)) {
      // A module the config imports changed under the warm workers: the workspace is linted again on fresh ones.
      this.log.info('A config changed under the warm workers: linting the workspace again');
      for (const key of keys) this.queue.add(key);
      this.scheduleRelint();
    }
  }

  private scheduleRelint(): void {
    this.relintAfterRun = false;
    if (this.disposed || this.mode() === 'off') return;
    clearTimeout(this.relintTimer);
    this.relintTimer = setTimeout(() => void this.relintWorkspace(), CONFIG_PAUSE_MS);
  }

  /** Lints the workspace again after a config change: through the result cache, whose keys hold the configs' fingerprints. */
  private async relintWorkspace(): Promise<void> {
    if (this.controller.running) {
      this.relintAfterRun = true;
      return;
    }
    const targets = workspaceTargets();
    if (targets.length === 0) return;
    this.log.info('An ESLint config, a plugin or a lock file changed: linting the workspace again (files whose results cannot change come from the cache)');
    try {
      await this.controller.run(lintRequest(targets));
      this.relints++;
    } catch (error) {
      this.log.warn(`Linting the workspace again failed: ${errorMessage(error)}`);
    }
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.relintTimer);
    for (const timer of this.typing.values()) clearTimeout(timer);
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
