import * as vscode from 'vscode';
import type { JobResult } from '../core/engine';
import { errorMessage } from '../core/errors';
import { RunState, type FileRecord, type RunEvent, type RunSnapshot } from '../core/run-state';
import type { AnyTaskKind } from '../core/task-api';
import type { QueueStatus } from '../queue/queue-executor';
import type { AnalysisResult } from './analysis-report';
import type { LintDiagnostics } from './diagnostics';
import { FolderRunner } from './folder-run';
import { loadEngine } from './load-engine';
import type { PoolManager } from './pool';
import { resultSink, type ResultSink } from './result-sinks';
import { RunTally } from './run-tally';
import type { RunRequest, RunSummary, RunTarget } from './run-types';
import type { Settings } from './settings';
import { throttle } from './throttle';
import type { TransformReview } from './transform-review';
import { firstOutside } from './workspace-paths';
import { meaningfulSpeedup } from '../core/speedup';

/** What the panel follows: every engine event of a run, between its start and its summary. */
export type ControllerEvent =
  | { readonly type: 'started'; readonly runId: number; readonly request: RunRequest; readonly results: AnyTaskKind['results'] }
  | { readonly type: 'event'; readonly runId: number; readonly event: RunEvent<unknown>; readonly state: RunState<unknown> }
  | { readonly type: 'finished'; readonly runId: number; readonly request: RunRequest; readonly summary: RunSummary }
  | { readonly type: 'remote'; readonly runId: number; readonly status: QueueStatus };

export interface RunView {
  readonly request: RunRequest;
  readonly snapshot: RunSnapshot;
  readonly folder: string;
  readonly running: boolean;
  readonly summary?: RunSummary;
  readonly failedFiles: readonly { path: string; message: string }[];
  /** When the run goes through a queue: where, and the workers that serve it now. */
  readonly remote?: QueueStatus;
}

/** How often the UI hears about a running job: often enough to look live, rarely enough to stay cheap. */
const UI_INTERVAL_MS = 100;

/**
 * Runs one job at a time, folder by folder, on the shared pool, and routes the
 * results: Problems for lint, a WorkspaceEdit for transforms, the report for
 * analyze. The status bar, progress notification and run view read `view()`.
 */
export class RunController implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly notify = throttle(() => this.changed.fire(), UI_INTERVAL_MS);
  private readonly events = new vscode.EventEmitter<ControllerEvent>();
  /** Unthrottled: for consumers that keep their own incremental state (the panel). */
  readonly onRunEvent = this.events.event;
  private runCounter = 0;
  /** The queue the current run goes through, as last heard (kept for the finished run's view). */
  private remote: QueueStatus | undefined;
  private active: { request: RunRequest; state: RunState<unknown>; abort: AbortController; folder: string; remote?: QueueStatus } | undefined;
  private last: RunView | undefined;
  private lastFailed = new Map<string, string[]>();
  analysis: AnalysisResult | undefined;

  private readonly folders: FolderRunner;

  constructor(
    pool: PoolManager,
    private readonly diagnostics: LintDiagnostics,
    private readonly review: TransformReview,
    private readonly log: vscode.LogOutputChannel,
    /** Where result caches live: the extension's workspace storage. */
    storage: vscode.Uri,
    /** Our own worker bundle: its hash is part of every cache key, so a new version of the extension invalidates every cached result. */
    workerScript: string,
    /** The queue's password (parallelTasks.queue.url), from VS Code's secret storage. */
    secrets: vscode.SecretStorage,
  ) {
    this.folders = new FolderRunner({ pool, log, storage, workerScript, secrets });
  }

  /**
   * Set from a run's request until its workers are done, also while it waits for `gate`; not while the
   * user reviews a transform's edits (a refactor preview may stay open for long, and blocks nothing).
   */
  private claim: object | undefined;
  /** What a run waits for before it takes the pool: the pass that keeps Problems current, when one runs (keep-current.ts). */
  private gate: () => Promise<void> = () => Promise.resolve();

  get running(): boolean {
    return this.active !== undefined || this.claim !== undefined;
  }

  /** Runs wait for `gate` before they start. */
  waitBeforeRuns(gate: () => Promise<void>): void {
    this.gate = gate;
  }

  view(): RunView | undefined {
    if (this.active) {
      const snapshot = this.active.state.snapshot();
      const { request, folder, remote } = this.active;
      return { request, snapshot, folder, running: true, failedFiles: failedFiles(this.active.state.results()), ...(remote ? { remote } : {}) };
    }
    return this.last;
  }

  cancel(): boolean {
    if (!this.active) return false;
    this.log.info(`Cancelling ${this.active.request.label}`);
    this.active.abort.abort();
    return true;
  }

  /** The last run again, on the files that failed in it only. */
  retryRequest(): RunRequest | undefined {
    if (!this.last || this.lastFailed.size === 0) return undefined;
    const targets = this.last.request.targets
      .map((t) => ({ folder: t.folder, paths: this.lastFailed.get(t.folder.uri.toString()) ?? [] }))
      .filter((t) => t.paths.length > 0);
    return { ...this.last.request, targets };
  }

  /** The last run's request, to run it again. */
  lastRequest(): RunRequest | undefined {
    return this.last?.request;
  }

  async run(request: RunRequest): Promise<RunSummary> {
    if (this.running) throw new Error(this.active ? vscode.l10n.t('{0} is still running; cancel it first', this.active.request.label) : vscode.l10n.t('A run is still running; cancel it first'));
    const claim = {};
    this.claim = claim;
    const release = (): void => {
      // Only its own claim: another run may have started during this one's review.
      if (this.claim === claim) this.claim = undefined;
    };
    try {
      await this.gate();
      return await this.runNow(request, release);
    } finally {
      release();
    }
  }

  private async runNow(request: RunRequest, release: () => void): Promise<RunSummary> {
    const planned = this.check(request);
    if ('refused' in planned) return planned.refused;
    const { kind, options } = planned;
    const runId = ++this.runCounter;
    this.remote = undefined;
    const abort = new AbortController();
    const sink = resultSink(kind, options, {
      label: request.label,
      diagnostics: this.diagnostics,
      review: this.review,
      log: this.log,
      publishReport: async (report) => {
        this.analysis = report;
        await vscode.commands.executeCommand('setContext', 'parallelTasks.hasAnalysis', true);
      },
    });
    const tally = new RunTally(request, kind, sink.counts);
    this.events.fire({ type: 'started', runId, request, results: kind.results });
    this.log.info(`${request.label}: starting on ${request.targets.map((t) => t.folder.name).join(', ')}`);
    await vscode.commands.executeCommand('setContext', 'parallelTasks.running', true);
    const state = await this.runFolders({ request, kind, options, runId, abort, sink, tally });
    release();
    const nothing = tally.failIfNothingProcessed();
    if (nothing) this.log.warn(nothing);
    this.lastFailed = tally.failedByFolder;
    this.publish(request, state, tally.summary());
    await vscode.commands.executeCommand('setContext', 'parallelTasks.running', false);
    await vscode.commands.executeCommand('setContext', 'parallelTasks.hasFailed', tally.failedByFolder.size > 0);
    await vscode.commands.executeCommand('setContext', 'parallelTasks.hasRun', true);
    // The workers are done; what remains is the user's review, or the report.
    const after = await sink.finish(tally.phase);
    if (after.error) tally.fail(after.error);
    const summary = tally.summary();
    this.publish(request, state, summary);
    this.events.fire({ type: 'finished', runId, request, summary });
    this.log.info(`${request.label}: ${summary.phase} in ${(summary.wallMs / 1000).toFixed(2)} s`);
    return summary;
  }

  /** The request's kind and parsed options, or why it must not run here (trust, a file outside the workspace, an unknown kind). */
  private check(request: RunRequest): { kind: AnyTaskKind; options: unknown } | { refused: Promise<RunSummary> } {
    let kind: AnyTaskKind;
    let options: unknown;
    try {
      const engine = loadEngine();
      kind = engine.taskKind(request.kind);
      options = engine.parseOptions(kind, request.options);
    } catch (error) {
      return { refused: this.refuse(request, vscode.l10n.t('{0} cannot run: {1}', request.label, errorMessage(error)), false) };
    }
    if (kind.loadsWorkspaceCode(options) && !vscode.workspace.isTrusted) {
      return { refused: this.refuse(request, vscode.l10n.t('{0} loads code from the workspace (configs, plugins, transforms), so it does not run in an untrusted workspace.', request.label)) };
    }
    // A setting or a command argument must not make us execute a file from elsewhere on the machine.
    const outside = firstOutside(kind.executedFiles(options), (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath));
    if (outside) return { refused: this.refuse(request, vscode.l10n.t('{0} would load {1}, which is outside the workspace; only configs and codemods inside the workspace folders are run.', request.label, outside), false) };
    return { kind, options };
  }

  /** Runs the folders of a run one after the other; returns the last folder's state, for the view. */
  private async runFolders(run: ActiveRun): Promise<RunState<unknown>> {
    const { request, tally, sink } = run;
    let last = new RunState<unknown>();
    try {
      for (const target of request.targets) {
        if (run.abort.signal.aborted) break;
        const state = new RunState<unknown>();
        const ran = await this.runFolder(run, target, state, () => (last = state));
        if (!ran) continue;
        const { result, settings } = ran;
        const snapshot = result.state.snapshot();
        const records = result.state.results();
        this.logFolder(request, target, snapshot, records);
        tally.addFolder(target.folder.uri.toString(), snapshot, records);
        if (result.outcome.phase === 'failed') {
          tally.fail(result.outcome.error ?? vscode.l10n.t({ message: 'failed', comment: ['how a run ended'] }));
          break;
        }
        if (result.outcome.phase === 'cancelled') tally.phase = 'cancelled';
        sink.folderDone(records, settings);
      }
    } catch (caught) {
      tally.fail(errorMessage(caught));
      this.log.error(`${request.label} failed: ${tally.error}`);
    } finally {
      this.active = undefined;
    }
    return last;
  }

  private async runFolder(run: ActiveRun, target: RunTarget, state: RunState<unknown>, begin: () => void): Promise<{ result: JobResult<unknown>; settings: Settings } | undefined> {
    const { request, runId } = run;
    this.active = { request, state, abort: run.abort, folder: target.folder.name };
    const subscription = state.subscribe((event) => {
      this.events.fire({ type: 'event', runId, event, state });
      if (event.type === 'run-start') run.tally.workers = event.workers;
      if (event.type === 'worker-failed') this.log.warn(`Worker ${event.slot + 1} ${event.reason}${event.file ? ` on ${event.file}` : ''}: ${event.detail}; it is replaced`);
      else if (event.type === 'file-retry') this.log.info(`Retrying ${event.file} on a fresh worker (attempt ${event.attempt})`);
      else if (event.type === 'output') this.log.info(`[worker ${event.stream}] ${event.text.trimEnd()}`);
      this.notify();
    });
    try {
      const onRemote = (status: QueueStatus): void => {
        this.remote = status;
        if (this.active) this.active.remote = status;
        this.events.fire({ type: 'remote', runId, status });
        this.notify();
      };
      return await this.folders.run({ kind: run.kind, options: run.options, target, state, signal: run.abort.signal, begin, onRemote });
    } finally {
      subscription.dispose();
    }
  }

  private logFolder(request: RunRequest, target: RunTarget, snapshot: RunSnapshot, records: readonly FileRecord<unknown>[]): void {
    const { counts, timings } = snapshot;
    const speedup = meaningfulSpeedup(snapshot);
    this.log.info(
      `${request.label} on ${target.folder.name}: ${counts.done} done, ${counts.failed} failed, ${counts.skipped} skipped, ${counts.cancelled} cancelled in ${(timings.wallMs / 1000).toFixed(2)} s (${timings.filesPerSecond.toFixed(1)} files/s${speedup === undefined ? '' : `, speedup ${speedup.toFixed(2)}× over one worker`})`,
    );
    for (const record of records) if (record.outcome?.status === 'error') this.log.error(`${record.path}: ${record.outcome.message}`);
  }

  private publish(request: RunRequest, state: RunState<unknown>, summary: RunSummary): void {
    const folders = request.targets.map((t) => t.folder.name).join(', ');
    this.last = { request, snapshot: state.snapshot(), folder: folders, running: false, summary, failedFiles: failedFiles(state.results()), ...(this.remote ? { remote: this.remote } : {}) };
    this.notify.flush();
  }

  private async refuse(request: RunRequest, reason: string, offerTrust = true): Promise<RunSummary> {
    this.log.warn(reason);
    if (offerTrust) {
      const manageTrust = vscode.l10n.t('Manage Workspace Trust');
      void vscode.window.showWarningMessage(reason, manageTrust).then((choice) => {
        if (choice === manageTrust) void vscode.commands.executeCommand('workbench.trust.manage');
      });
    } else {
      void vscode.window.showWarningMessage(reason);
    }
    return { kind: request.kind, label: request.label, phase: 'refused', error: reason, files: 0, done: 0, failed: 0, skipped: 0, cancelled: 0, cached: 0, wallMs: 0, workers: 0, restarts: 0 };
  }

  dispose(): void {
    this.active?.abort.abort();
    this.notify.cancel();
    this.changed.dispose();
    this.events.dispose();
  }
}

function failedFiles(records: readonly FileRecord<unknown>[]): { path: string; message: string }[] {
  return records.flatMap((r) => (r.outcome?.status === 'error' ? [{ path: r.path, message: r.outcome.message }] : []));
}

/** One run between its checks and its summary: what its folders share. */
interface ActiveRun {
  readonly request: RunRequest;
  readonly kind: AnyTaskKind;
  readonly options: unknown;
  readonly runId: number;
  readonly abort: AbortController;
  readonly sink: ResultSink;
  readonly tally: RunTally;
}
