import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PanelState, HostMessage, LiveStatus, WebviewMessage } from '../../shared/protocol';
import { loadEngine } from '../load-engine';
import type { RunController } from '../run-controller';
import { throttle } from '../throttle';
import type { TransformReview } from '../transform-review';
import { panelHtml, webviewRoot } from './panel-html';
import { PanelModel } from './panel-model';
import { HistoryFile } from './history-file';
import type { VsCodeTaskRunner } from '../vscode-tasks';

/** At most about ten updates a second reach a webview, however many files finish. */
const UPDATE_INTERVAL_MS = 100;

/** Refusals logged in full before the log switches to a count. */
const LOGGED_REFUSALS = 20;

/** The member of the webview's message union with the given type, for the per-type handlers. */
type MessageOf<T extends WebviewMessage['type']> = Extract<WebviewMessage, { readonly type: T }>;

/**
 * The Parallel Tasks panel: a webview view in the activity-bar container, and
 * the same app in an editor tab ("Open in Editor"). Each webview posts
 * `ready` when it loads; it then gets a full snapshot, and throttled deltas
 * after that. A hidden view is not kept alive: it reloads and asks again.
 */

export class PanelProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'parallelTasks.panel';
  private readonly model: PanelModel;
  private readonly historyFile: HistoryFile;
  /** Settles once the stored history has been read (or found missing or unusable). */
  readonly historyLoaded: Promise<void>;
  private readonly ready = new Set<vscode.Webview>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly flush = throttle(() => this.postDelta(), UPDATE_INTERVAL_MS);
  /** For tests: messages dropped by validation. */
  rejected = 0;
  /** Whether Problems are kept current, and how many files wait (see followLive). */
  private live: () => LiveStatus | undefined = () => undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly controller: RunController,
    private readonly review: TransformReview,
    private readonly log: vscode.LogOutputChannel,
    private readonly tasks: VsCodeTaskRunner,
    /** The workspace's storage, where the run history is kept; undefined without a folder. */
    storage: vscode.Uri | undefined,
  ) {
    this.historyFile = new HistoryFile(storage, log);
    this.model = new PanelModel(review, (runs) => void this.historyFile.save(runs));
    // Read after activation, never awaited by it: a slow or broken file cannot hold up or fail the extension.
    this.historyLoaded = this.historyFile
      .load()
      .then((stored) => {
        if (stored.length === 0) return;
        this.model.restoreHistory(stored);
        this.flush();
      })
      .catch((error: unknown) => log.warn(`The run history could not be restored: ${error instanceof Error ? error.message : String(error)}`));
    this.disposables.push(
      // Task lanes are few and change rarely: sent whole on every change.
      tasks.onDidChange(() => {
        const lanes = tasks.view();
        for (const webview of this.ready) void this.post(webview, { type: 'tasks', lanes });
      }),
      controller.onRunEvent((e) => {
        this.model.onControllerEvent(e);
        this.flush();
      }),
      review.onDidChangeList(() => {
        this.model.transformListChanged();
        this.flush();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.postSnapshotToAll()),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.attach(view.webview, view.onDidDispose);
    view.onDidChangeVisibility(() => {
      // Hidden webviews are torn down; the next load sends `ready` again.
      if (!view.visible) this.ready.delete(view.webview);
    });
  }

  openInEditor(): void {
    const panel = vscode.window.createWebviewPanel('parallelTasks.panelEditor', 'Parallel Tasks', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [webviewRoot(this.extensionUri)],
    });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.svg');
    this.attach(panel.webview, panel.onDidDispose);
    panel.onDidChangeViewState(() => {
      if (!panel.visible) this.ready.delete(panel.webview);
    });
  }

  private attach(webview: vscode.Webview, onDidDispose: vscode.Event<void>): void {
    webview.options = { enableScripts: true, localResourceRoots: [webviewRoot(this.extensionUri)] };
    webview.html = panelHtml(webview, this.extensionUri);
    const subscription = webview.onDidReceiveMessage((raw: unknown) => void this.receive(webview, raw));
    onDidDispose(() => {
      this.ready.delete(webview);
      subscription.dispose();
    });
  }

  private async receive(webview: vscode.Webview | undefined, raw: unknown): Promise<boolean> {
    // Through the engine bundle, which holds zod: the first message (`ready`, when the panel opens) loads it.
    const parsed = loadEngine().parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.refusal(`Dropped a malformed message from the panel: ${parsed.reason}`);
      return false;
    }
    try {
      return await this.handle(webview, parsed.message);
    } catch (error) {
      // A well-formed message can still fail (a file deleted meanwhile): log it, never throw into the webview's channel.
      this.log.error(`Panel message ${parsed.message.type} failed: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }

  /**
   * Counts a dropped message and logs why: the first few in full, then one
   * line per hundred, so a webview that floods us cannot flood the log as well.
   */
  private refusal(reason: string): void {
    this.rejected++;
    if (this.rejected <= LOGGED_REFUSALS) this.log.warn(reason);
    else if (this.rejected % 100 === 0) this.log.warn(`${this.rejected} panel messages dropped so far; the latest: ${reason}`);
  }

  /** Exposed for tests, which send hostile messages through the same path as a webview. */
  handleRaw(raw: unknown): Promise<boolean> {
    return this.receive(undefined, raw);
  }

  /** One handler per message type; each answers whether the message was acted on. */
  private async handle(webview: vscode.Webview | undefined, message: WebviewMessage): Promise<boolean> {
    switch (message.type) {
      case 'ready':
        return this.onReady(webview);
      case 'command':
        return this.onCommand(message);
      case 'open':
        return this.onOpen(message);
      case 'request':
        return this.onRequest(webview, message);
      case 'task':
        return this.onTask(message);
      case 'transform':
        return this.onTransform(message);
    }
  }

  /** Shows whether Problems are kept current (keep-current.ts), sent whole on each change: it is two numbers. */
  followLive(source: { readonly onDidChange: vscode.Event<void>; live(): LiveStatus | undefined }): vscode.Disposable {
    this.live = () => source.live();
    return source.onDidChange(() => {
      const live = source.live();
      for (const webview of this.ready) void this.post(webview, { type: 'live', ...(live ? { live } : {}) });
    });
  }

  private fullState(): PanelState {
    const live = this.live();
    return { ...this.model.snapshot(vscode.workspace.isTrusted, this.tasks.view()), ...(live ? { live } : {}) };
  }

  private async onReady(webview: vscode.Webview | undefined): Promise<boolean> {
    if (!webview) return true;
    this.postDelta();
    await this.post(webview, { type: 'snapshot', state: this.fullState() });
    this.ready.add(webview);
    return true;
  }

  private async onCommand(message: MessageOf<'command'>): Promise<boolean> {
    switch (message.command) {
      case 'cancel':
        this.controller.cancel();
        return true;
      case 'openInEditor':
        this.openInEditor();
        return true;
      default:
        await vscode.commands.executeCommand(`parallelTasks.${message.command}`);
        return true;
    }
  }

  private async onOpen(message: MessageOf<'open'>): Promise<boolean> {
    // Only files inside the workspace, whatever the webview asks for.
    const uri = vscode.Uri.file(path.resolve(message.path));
    if (!vscode.workspace.getWorkspaceFolder(uri) || path.resolve(message.path) !== message.path) {
      this.refusal(`Refused to open a path outside the workspace: ${message.path.slice(0, 200)}`);
      return false;
    }
    const position = new vscode.Position(Math.max(0, message.line - 1), Math.max(0, message.column - 1));
    await vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position), preview: true });
    return true;
  }

  private async onRequest(webview: vscode.Webview | undefined, message: MessageOf<'request'>): Promise<boolean> {
    if (!this.review.has(message.request.path)) {
      this.refusal('Refused a diff request for a file that is not under review');
      if (webview) await this.post(webview, { type: 'response', id: message.id, ok: false, error: vscode.l10n.t('This file is not under review.') });
      return false;
    }
    try {
      const patch = await this.review.patch(message.request.path);
      if (webview) await this.post(webview, { type: 'response', id: message.id, ok: true, result: { kind: 'diff', path: message.request.path, patch } });
    } catch (error) {
      if (webview) await this.post(webview, { type: 'response', id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
    return true;
  }

  private async onTask(message: MessageOf<'task'>): Promise<boolean> {
    const done = message.action === 'stop' ? this.tasks.stop(message.id) : await this.tasks.restart(message.id);
    if (!done) {
      this.refusal(`Refused to ${message.action} task ${message.id}: no such task${message.action === 'stop' ? ' running' : ''}`);
    }
    return done;
  }

  private async onTransform(message: MessageOf<'transform'>): Promise<boolean> {
    if (!message.paths.every((p) => this.review.has(p))) {
      this.refusal('Refused a transform action on files that are not under review');
      return false;
    }
    if (message.action === 'apply') await this.review.apply(message.paths);
    else if (message.action === 'discard') this.review.discard(message.paths);
    else await this.review.diff(message.paths[0] as string);
    return true;
  }

  private postDelta(): void {
    if (this.ready.size === 0) {
      // Nobody is looking: drain the delta so it does not pile up; a webview that loads gets a snapshot.
      this.model.takeDelta();
      return;
    }
    const delta = this.model.takeDelta();
    for (const webview of this.ready) void this.post(webview, delta);
  }

  /** What a webview that loads now would be sent. */
  state(): PanelState {
    return this.fullState();
  }

  private postSnapshotToAll(): void {
    const state = this.fullState();
    for (const webview of this.ready) void this.post(webview, { type: 'snapshot', state });
  }

  private async post(webview: vscode.Webview, message: HostMessage): Promise<void> {
    try {
      await webview.postMessage(message);
    } catch {
      this.ready.delete(webview);
    }
  }

  /** The last history write, for deactivation (and tests that restart the host). */
  historySaved(): Promise<void> {
    return this.historyFile.flushed();
  }

  dispose(): void {
    this.flush.cancel();
    for (const d of this.disposables) d.dispose();
  }
}
