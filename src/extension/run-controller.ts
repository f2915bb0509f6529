import { readFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { JobResult, JobSpec } from '../core/engine';
import type { Isolation } from '../core/pool-executor';
import type { CommandExecutor, CommandValue } from '../tasks/custom/command-executor';
import type { ResolvedTask } from '../tasks/custom/definition';
import { errorMessage } from '../core/errors';
import { RunState, type FileRecord, type RunEvent, type RunSnapshot } from '../core/run-state';
import { summarizeAnalysis, type AnalyzedFile } from '../tasks/analyze/summary';
import type { FileAnalysis } from '../tasks/analyze/types';
import type { LintValue } from '../tasks/lint/types';
import type { TransformValue } from '../tasks/transform/types';
import type { AnalysisResult } from './analysis-report';
import type { LintDiagnostics } from './diagnostics';
import type { PoolManager } from './pool';
import type { TransformReview } from './transform-review';
import type { RunRequest, RunSummary } from './run-types';
import { readSettings, type Settings } from './settings';
import { throttle } from './throttle';
import { loadEngine } from './load-engine';
import { executedPaths, firstOutside, outsideOf } from './workspace-paths';
import { applyTransformResults, openDocumentSources } from './transform-edits';

/** What the panel follows: every engine event of a run, between its start and its summary. */
export type ControllerEvent =
  | { readonly type: 'started'; readonly runId: number; readonly request: RunRequest }
  | { readonly type: 'event'; readonly runId: number; readonly event: RunEvent<unknown>; readonly state: RunState<unknown> }
  | { readonly type: 'finished'; readonly runId: number; readonly request: RunRequest; readonly summary: RunSummary };

export interface RunView {
  readonly request: RunRequest;
  readonly snapshot: RunSnapshot;
  readonly folder: string;
  readonly running: boolean;
  readonly summary?: RunSummary;
  readonly failedFiles: readonly { path: string; message: string }[];
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
  private active: { request: RunRequest; state: RunState<unknown>; abort: AbortController; folder: string } | undefined;
  private last: RunView | undefined;
  private lastFailed = new Map<string, string[]>();
  analysis: AnalysisResult | undefined;

  constructor(
    private readonly pool: PoolManager,
    private readonly diagnostics: LintDiagnostics,
    private readonly review: TransformReview,
    private readonly log: vscode.LogOutputChannel,
    /** Where result caches live: the extension's workspace storage. */
    private readonly storage: vscode.Uri,
    /** Our own worker bundle: its hash is part of every cache key, so a new version of the extension invalidates every cached result. */
    private readonly workerScript: string,
  ) {}

  private engineBuild: string | undefined;

  private async cacheFor(request: RunRequest, folder: vscode.WorkspaceFolder, enabled: boolean): Promise<JobSpec['cache']> {
    if (!enabled) return undefined;
    const { ResultCache, sha256, cacheKeyFor, cachedValueSchema } = loadEngine();
    this.engineBuild ??= sha256(await readFile(this.workerScript));
    const name = `${request.kind}-${sha256(`${folder.uri.toString()}\n${JSON.stringify(request.options)}`).slice(0, 16)}.json`;
    const store = await ResultCache.open(vscode.Uri.joinPath(this.storage, 'cache', name).fsPath, cachedValueSchema(request.kind));
    if (store.discarded) this.log.warn(store.discarded);
    return { store, keyFor: await cacheKeyFor(request.kind, request.options, folder.uri.fsPath, this.engineBuild) };
  }

  /** The named task of a folder's .vscode/parallel-tasks.json and an executor for it; undefined (logged) when the folder has none. */
  private async customTask(request: RunRequest, folder: vscode.WorkspaceFolder): Promise<{ task: ResolvedTask; executor: CommandExecutor } | undefined> {
    const { loadTasks, resolveTask, CommandExecutor } = loadEngine();
    const name = (request.options as { task?: unknown }).task;
    const definition = (await loadTasks(folder.uri.fsPath)).find((t) => t.name === name);
    if (!definition) {
      this.log.warn(`${folder.name} has no custom task named "${String(name)}"; skipped`);
      return undefined;
    }
    const task = resolveTask(definition, os.availableParallelism());
    return { task, executor: new CommandExecutor(task, folder.uri.fsPath) };
  }

  get running(): boolean {
    return this.active !== undefined;
  }

  view(): RunView | undefined {
    if (this.active) {
      const snapshot = this.active.state.snapshot();
      return { request: this.active.request, snapshot, folder: this.active.folder, running: true, failedFiles: failedFiles(this.active.state.results()) };
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
    if (this.active) throw new Error(`${this.active.request.label} is still running; cancel it first`);
    if (request.needsTrust && !vscode.workspace.isTrusted) {
      return this.refuse(request, `${request.label} loads code from the workspace (configs, plugins, transforms), so it does not run in an untrusted workspace.`);
    }
    // A setting or a command argument must not make us execute a file from elsewhere on the machine.
    const outside = firstOutside(executedPaths(request.options), (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath));
    if (outside) return this.refuse(request, `${request.label} would load ${outside}, which is outside the workspace; only configs and codemods inside the workspace folders are run.`, false);
    const abort = new AbortController();
    const started = Date.now();
    const runId = ++this.runCounter;
    this.events.fire({ type: 'started', runId, request });
    const failed = new Map<string, string[]>();
    const totals = { files: 0, done: 0, failed: 0, skipped: 0, cancelled: 0, cached: 0, restarts: 0, errors: 0, warnings: 0, changed: 0, applied: 0, held: 0 };
    const leftAlone: string[] = [];
    const analyzed: AnalyzedFile[] = [];
    const transformed: FileRecord<TransformValue>[] = [];
    let review: 'refactorPreview' | 'panel' | 'apply' = 'refactorPreview';
    let phase: RunSummary['phase'] = 'completed';
    let error: string | undefined;
    let workers = 0;
    let lastState: RunState<unknown> | undefined;
    this.log.info(`${request.label}: starting on ${request.targets.map((t) => t.folder.name).join(', ')}`);
    await vscode.commands.executeCommand('setContext', 'parallelTasks.running', true);

    try {
      for (const target of request.targets) {
        if (abort.signal.aborted) break;
        const settings = readSettings(target.folder.uri);
        // A custom task runs an external program: its own executor over child processes, not the pool.
        const custom = request.kind === 'custom' ? await this.customTask(request, target.folder) : undefined;
        if (request.kind === 'custom' && !custom) continue;
        const executor = custom ? custom.executor : await this.pool.acquire(settings.workers, isolationFor(request, settings), [target.folder.uri.fsPath]);
        workers = executor.concurrency;
        const state = new RunState<unknown>();
        lastState = state;
        this.active = { request, state, abort, folder: target.folder.name };
        const subscription = state.subscribe((event) => {
          this.events.fire({ type: 'event', runId, event, state });
          if (event.type === 'worker-failed') this.log.warn(`Worker ${event.slot + 1} ${event.reason}${event.file ? ` on ${event.file}` : ''}: ${event.detail}; it is replaced`);
          else if (event.type === 'file-retry') this.log.info(`Retrying ${event.file} on a fresh worker (attempt ${event.attempt})`);
          else if (event.type === 'output') this.log.info(`[worker ${event.stream}] ${event.text.trimEnd()}`);
          this.notify();
        });
        let result: JobResult<unknown>;
        try {
          const { runJob } = loadEngine();
          result = await runJob<unknown>(
            executor,
            {
              kind: request.kind,
              root: target.folder.uri.fsPath,
              options: request.options,
              discovery: {
                cwd: target.folder.uri.fsPath,
                paths: target.paths,
                include: custom ? custom.task.include : settings.include.length > 0 ? settings.include : request.defaultInclude,
                exclude: custom ? [...settings.exclude, ...custom.task.exclude] : settings.exclude,
                gitignore: settings.useGitignore,
                maxFileSize: settings.maxFileSize,
                // Settings and panel messages name these paths, not a person at a prompt: never leave the folder.
                confine: true,
                symlinks: request.kind === 'transform' ? 'skip' : 'follow',
              },
              // A selection that matches nothing is an error; a whole folder without such files is counted below.
              failOnUnmatched: target.paths.length > 0,
              // An external command enforces its own time limit and kills its process group; the watchdog is the backstop.
              scheduler: { fileTimeoutMs: custom ? custom.task.timeoutMs + 10_000 : settings.fileTimeoutMs, cancelGraceMs: 2000 },
              ...(custom ? { batchBytes: Number.MAX_SAFE_INTEGER, batchMaxFiles: custom.task.batchSize } : { batchBytes: settings.batchBytes }),
              signal: abort.signal,
              // External programs read the files on disk, so unsaved editor text cannot reach them.
              sources: request.kind === 'analyze' || custom ? undefined : openDocumentSources(),
              cache: custom ? undefined : await this.cacheFor(request, target.folder, settings.cache),
            },
            state,
          );
        } finally {
          subscription.dispose();
          if (custom) {
            // The program's own words for an invocation that failed: Problems shows the files, the log what it said.
            for (const invocation of custom.executor.invocations()) {
              if (invocation.status !== 'ok') this.log.error(`${custom.task.name} on ${invocation.files.length} file(s) ${invocation.error ?? invocation.status}:\n${invocation.output.trimEnd()}`);
            }
            await custom.executor.terminate();
          }
        }
        const snapshot = result.state.snapshot();
        const records = result.state.results();
        this.log.info(
          `${request.label} on ${target.folder.name}: ${snapshot.counts.done} done, ${snapshot.counts.failed} failed, ${snapshot.counts.skipped} skipped, ${snapshot.counts.cancelled} cancelled in ${(snapshot.timings.wallMs / 1000).toFixed(2)} s (${snapshot.timings.filesPerSecond.toFixed(1)} files/s, speedup ${snapshot.timings.speedup.toFixed(2)}×)`,
        );
        for (const record of records) if (record.outcome?.status === 'error') this.log.error(`${record.path}: ${record.outcome.message}`);
        totals.files += snapshot.counts.total;
        totals.cached += snapshot.cached;
        totals.done += snapshot.counts.done;
        totals.failed += snapshot.counts.failed;
        totals.skipped += snapshot.counts.skipped;
        totals.cancelled += snapshot.counts.cancelled;
        totals.restarts += snapshot.workers.reduce((n, w) => n + w.restarts, 0);
        const failedHere = records.filter((r) => r.status === 'failed').map((r) => r.path);
        if (failedHere.length > 0) failed.set(target.folder.uri.toString(), failedHere);

        if (result.outcome.phase === 'failed') {
          phase = 'failed';
          error = result.outcome.error;
          break;
        }
        if (result.outcome.phase === 'cancelled') phase = 'cancelled';
        if (request.kind === 'lint') {
          const counts = this.diagnostics.update(records as readonly FileRecord<LintValue>[]);
          totals.errors += counts.errors;
          totals.warnings += counts.warnings;
        } else if (custom) {
          const counts = this.diagnostics.updateCustom(custom.task.name, records as readonly FileRecord<CommandValue>[]);
          totals.errors += counts.errors;
          totals.warnings += counts.warnings;
        } else if (request.kind === 'analyze') {
          for (const record of records as readonly FileRecord<FileAnalysis>[]) {
            if (record.outcome?.status === 'ok') analyzed.push({ path: record.path, ...record.outcome.value });
          }
        } else {
          const transformRecords = records as readonly FileRecord<TransformValue>[];
          totals.changed += transformRecords.filter((r) => r.outcome?.status === 'ok' && r.outcome.value.changed).length;
          transformed.push(...transformRecords);
          // Skipping the preview is a workspace's choice only when the workspace is trusted.
          review = settings.transformReview === 'apply' && !vscode.workspace.isTrusted ? 'refactorPreview' : settings.transformReview;
        }
      }
    } catch (caught) {
      phase = 'failed';
      error = errorMessage(caught);
      this.log.error(`${request.label} failed: ${error}`);
    } finally {
      this.active = undefined;
    }
    // A run that found nothing to do checked nothing: it must not look like a clean pass.
    if (phase === 'completed' && totals.done + totals.failed === 0) {
      phase = 'failed';
      const skipped = totals.skipped > 0 ? `; ${totals.skipped} skipped, listed in the panel with the reason` : '';
      error = `${request.label} found no files to process in ${request.targets.map((t) => t.folder.name).join(', ')} (see the parallelTasks.include and parallelTasks.exclude settings${skipped})`;
      this.log.warn(error);
    }
    const state = lastState ?? new RunState<unknown>();
    const folders = request.targets.map((t) => t.folder.name).join(', ');
    const summarize = (): RunSummary => {
      const base = {
        kind: request.kind,
        label: request.label,
        phase,
        error,
        files: totals.files,
        done: totals.done,
        failed: totals.failed,
        skipped: totals.skipped,
        cancelled: totals.cancelled,
        cached: totals.cached,
        restarts: totals.restarts,
        wallMs: Date.now() - started,
        workers,
      };
      if (request.kind === 'lint' || request.kind === 'custom') return { ...base, errors: totals.errors, warnings: totals.warnings };
      if (request.kind === 'transform') return { ...base, changed: totals.changed, applied: totals.applied, held: totals.held, leftAlone: [...leftAlone] };
      return base;
    };
    const publish = (summary: RunSummary): void => {
      this.last = { request, snapshot: state.snapshot(), folder: folders, running: false, summary, failedFiles: failedFiles(state.results()) };
      this.notify.flush();
    };
    this.lastFailed = failed;
    publish(summarize());
    await vscode.commands.executeCommand('setContext', 'parallelTasks.running', false);
    await vscode.commands.executeCommand('setContext', 'parallelTasks.hasFailed', failed.size > 0);
    await vscode.commands.executeCommand('setContext', 'parallelTasks.hasRun', true);

    // The workers are done; what remains is the user's review. All folders go
    // into one edit, so one undo takes the whole transform back.
    // Nothing is written outside the workspace folders, whatever a setting or a message said.
    const outsideWorkspace = outsideOf((vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath));
    const inside = transformed.filter((r) => {
      const where = outsideWorkspace(r.path);
      if (where) this.log.error(`${where} is outside the workspace; not written`);
      return where === undefined;
    });
    transformed.splice(0, transformed.length, ...inside);
    if (request.kind === 'transform' && phase === 'completed' && review === 'panel') {
      totals.held = this.review.hold(transformed, request.label);
      void vscode.commands.executeCommand('parallelTasks.showPanel');
    } else if (request.kind === 'transform' && phase === 'completed') {
      try {
        const outcome = await applyTransformResults(transformed, `Parallel Tasks: ${request.label}`, review === 'refactorPreview');
        totals.applied += outcome.applied;
        leftAlone.push(...outcome.leftAlone);
        for (const file of outcome.leftAlone) this.log.warn(`${file} changed after it was transformed; left alone`);
      } catch (caught) {
        phase = 'failed';
        error = `the edit could not be applied: ${errorMessage(caught)}`;
        this.log.error(error);
      }
    }
    if (request.kind === 'analyze' && phase !== 'failed') {
      this.analysis = { generatedAt: new Date(), files: analyzed, totals: summarizeAnalysis(analyzed, readSettings().hotspots) };
      await vscode.commands.executeCommand('setContext', 'parallelTasks.hasAnalysis', true);
    }
    const summary = summarize();
    publish(summary);
    this.events.fire({ type: 'finished', runId, request, summary });
    this.log.info(`${request.label}: ${phase} in ${(summary.wallMs / 1000).toFixed(2)} s`);
    return summary;
  }

  private async refuse(request: RunRequest, reason: string, offerTrust = true): Promise<RunSummary> {
    this.log.warn(reason);
    if (offerTrust) {
      void vscode.window.showWarningMessage(reason, 'Manage Workspace Trust').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
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

/** Codemods have their own isolation setting; everything else goes by kind. */
function isolationFor(request: RunRequest, settings: Settings): Isolation {
  const mode = (request.options as { mode?: unknown } | undefined)?.mode;
  if (request.kind === 'transform' && mode === 'codemod') return settings.isolation.codemod;
  return request.kind === 'custom' ? 'thread' : settings.isolation[request.kind];
}
