import * as vscode from 'vscode';
import { RemoteLanes } from './remote-lanes';
import type { RunSnapshot, RunState } from '../../core/run-state';
import type { BatchBar, TaskLane, HostMessage, Hotspot, LintFile, PanelState, RunHeader, RunKind, Sample, SkippedEntry, WorkerLane, AnalyzeRow } from '../../shared/protocol';
import { unreachable, type AnyTaskKind } from '../../core/task-api';
import type { ControllerEvent } from '../run-controller';
import type { TransformReview } from '../transform-review';
import { meaningfulSpeedup } from '../../core/speedup';
import { RunRecorder } from './run-recorder';
import type { StoredRun } from './run-history';

/** Bounds that keep a run over 10,000 files cheap to hold and to send. */
const MAX_SAMPLES = 600;
const MAX_BARS_PER_LANE = 300;
const FILES_PER_BAR = 20;
const HOTSPOTS = 20;

interface MutableBar {
  id: number;
  start: number;
  end?: number;
  outcome: BatchBar['outcome'];
  files: { path: string; ms: number }[];
  fileCount: number;
}

/**
 * The panel's view of runs, built incrementally from engine events: the run
 * header, worker lanes with their batch timelines, queue samples, results by
 * kind and the history. `snapshot()` gives everything (for a webview that just
 * loaded), `takeDelta()` what changed since the last call.
 */
export class PanelModel {
  private runId = 0;
  private kind: RunKind = '';
  /** How the running kind's results are shown: the panel lists problems, report rows, or (through the review) edits. */
  private results: AnyTaskKind['results'] | undefined;
  private label = '';
  private startedAt = 0;
  private state: RunState<unknown> | undefined;
  private header: RunHeader | undefined;
  private bars: MutableBar[][] = [];
  private samples: Sample[] = [];
  private lint: LintFile[] = [];
  private skipped: SkippedEntry[] = [];
  private analyze: AnalyzeRow[] = [];
  private functions: Hotspot[] = [];
  private hotspots: Hotspot[] = [];
  /** The history (kept across restarts by whoever `persist` hands it to) and the last run's timings. */
  private readonly recorder: RunRecorder;
  private lastSampleDone = 0;
  private lastSampleAt = 0;
  // What the next delta carries beyond the always-sent header and lanes.
  private pendingReset = false;
  private pendingSamples: Sample[] = [];
  private pendingLint: LintFile[] = [];
  private pendingSkipped: SkippedEntry[] = [];
  private pendingAnalyze: AnalyzeRow[] = [];
  private historyChanged = false;
  private readonly remote = new RemoteLanes();
  private transformChanged = false;

  constructor(
    private readonly review: TransformReview,
    persist: (runs: readonly StoredRun[]) => void = () => undefined,
  ) {
    this.recorder = new RunRecorder((file) => vscode.workspace.asRelativePath(file), persist);
  }

  /** The history read back from storage at start-up. */
  restoreHistory(stored: readonly StoredRun[]): void {
    this.recorder.restore(stored);
    this.historyChanged = true;
  }

  transformListChanged(): void {
    this.transformChanged = true;
  }

  /** A new run: the previous run's lanes, samples and results are cleared (the history stays). */
  private startRun(e: Extract<ControllerEvent, { type: 'started' }>): void {
    this.runId = e.runId;
    this.remote.reset();
    this.kind = e.request.kind;
    this.results = e.results;
    this.label = e.request.label;
    this.recorder.start(e.request, e.results);
    this.startedAt = Date.now();
    this.state = undefined;
    this.header = undefined;
    this.bars = [];
    this.samples = [];
    this.lint = [];
    this.skipped = [];
    this.analyze = [];
    this.functions = [];
    this.hotspots = [];
    this.lastSampleDone = 0;
    this.lastSampleAt = this.startedAt;
    this.clearPending();
    this.pendingReset = true;
  }

  onControllerEvent(e: ControllerEvent): void {
    if (e.type === 'started') {
      this.startRun(e);
      return;
    }
    if (e.runId !== this.runId) return;
    if (e.type === 'finished') {
      this.finish(e.summary.phase, e.summary.files, e.summary.wallMs, e.summary.error);
      return;
    }
    if (e.type === 'remote') return this.remote.update(e.status, Date.now() - this.startedAt);
    this.state = e.state;
    const event = e.event;
    // The run's own clock starts here (run.elapsedMs, the lanes' axis), after a queue's wait for workers.
    if (event.type === 'run-start') this.startedAt = Date.now();
    const now = Date.now() - this.startedAt;
    switch (event.type) {
      case 'batch-start': {
        const lane = (this.bars[event.slot] ??= []);
        lane.push({ id: event.batchId, start: now, outcome: 'running', files: [], fileCount: event.files.length });
        if (lane.length > MAX_BARS_PER_LANE) lane.splice(0, lane.length - MAX_BARS_PER_LANE);
        return;
      }
      case 'file-done': {
        this.recorder.fileDone(event.file, event.durationMs, event.outcome);
        const bar = this.bars[event.slot]?.at(-1);
        if (bar && bar.outcome === 'running') {
          if (bar.files.length < FILES_PER_BAR) bar.files.push({ path: vscode.workspace.asRelativePath(event.file), ms: Math.round(event.durationMs) });
          if (event.outcome.status === 'error') bar.outcome = 'failed';
        }
        if (event.outcome.status === 'ok') this.collect(event.file, event.outcome.value);
        else if (event.outcome.status === 'skipped') this.skip(event.file, event.outcome.reason);
        return;
      }
      case 'skipped':
        for (const file of event.files) this.skip(file.path, file.reason);
        return;
      case 'cached':
        if (event.outcome.status === 'ok') this.collect(event.file, event.outcome.value);
        return;
      case 'batch-end': {
        const bar = this.bars[event.slot]?.at(-1);
        if (bar && bar.end === undefined) {
          bar.end = now;
          if (bar.outcome === 'running') bar.outcome = 'ok';
        }
        return;
      }
      case 'worker-failed': {
        const bar = this.bars[event.slot]?.at(-1);
        if (bar && bar.end === undefined) {
          bar.end = now;
          bar.outcome = event.reason;
        }
        return;
      }
      default:
        return;
    }
  }

  /** Every skipped file is listed with its reason: a run must say what it did not do. */
  private skip(file: string, reason: string): void {
    const entry: SkippedEntry = { path: file, rel: vscode.workspace.asRelativePath(file), reason };
    this.skipped.push(entry);
    this.pendingSkipped.push(entry);
  }

  private collect(file: string, value: unknown): void {
    const results = this.results;
    if (!results) return;
    const rel = vscode.workspace.asRelativePath(file);
    switch (results.view) {
      case 'problems': {
        const problems = results.problems(value).map((p) => ({ line: p.line, column: p.column, severity: p.severity === 'error' ? (2 as const) : (1 as const), ruleId: p.code ?? null, message: p.message }));
        if (problems.length === 0) return;
        const entry: LintFile = { path: file, rel, problems };
        this.lint.push(entry);
        this.pendingLint.push(entry);
        return;
      }
      case 'report': {
        const report = results.row(value);
        const row: AnalyzeRow = {
          path: file,
          rel,
          lines: report.lines.total,
          code: report.lines.code,
          functions: report.functions.length,
          maxComplexity: Math.max(0, ...report.functions.map((f) => f.complexity)),
          maxNesting: report.maxNesting,
          todos: report.todos,
        };
        this.analyze.push(row);
        this.pendingAnalyze.push(row);
        for (const fn of report.functions) this.functions.push({ path: file, rel, name: fn.name, line: fn.line, column: fn.column, complexity: fn.complexity });
        return;
      }
      case 'edits':
        // Edits reach the panel through the transform review, once the run is over.
        return;
      default:
        unreachable(results);
    }
  }

  private finish(phase: RunHeader['phase'], files: number, durationMs: number, error?: string): void {
    if (this.state) this.header = this.makeHeader(this.state.snapshot(), phase, error);
    this.remote.endRun();
    if (this.results?.view === 'report') {
      this.hotspots = [...this.functions].sort((a, b) => b.complexity - a.complexity).slice(0, HOTSPOTS);
      this.functions = [];
    }
    const view = this.results?.view ?? 'problems';
    const entry = this.recorder.finish({ kind: this.kind, view, label: this.label, files, durationMs, phase }, view === 'problems' ? this.lint : undefined);
    // The header says it too: the finished run's problems against the previous run of its scope.
    if (this.header && entry.newProblems !== undefined && entry.fixedProblems !== undefined) this.header = { ...this.header, compared: { newProblems: entry.newProblems, fixedProblems: entry.fixedProblems } };
    this.historyChanged = true;
  }

  private makeHeader(snapshot: RunSnapshot, phase?: RunHeader['phase'], error?: string): RunHeader {
    const { counts, timings } = snapshot;
    const speedup = meaningfulSpeedup(snapshot);
    return {
      id: this.runId,
      kind: this.kind,
      view: this.results?.view ?? 'problems',
      label: this.label,
      phase: phase ?? 'running',
      error,
      ...counts,
      cached: snapshot.cached,
      filesPerSecond: timings.filesPerSecond,
      elapsedMs: timings.wallMs,
      etaMs: timings.etaMs,
      serialEstimateMs: timings.serialEstimateMs,
      workers: snapshot.workers.length,
      ...(speedup === undefined ? {} : { speedup }),
    };
  }

  private lanes(snapshot: RunSnapshot | undefined): WorkerLane[] {
    if (!snapshot) return [];
    const wall = Math.max(1, snapshot.timings.wallMs);
    const kind = snapshot.executor === 'process' || snapshot.executor === 'in-process' || snapshot.executor === 'command' || snapshot.executor === 'remote' ? snapshot.executor : 'thread';
    return snapshot.workers.map((w) => ({
      slot: w.slot,
      kind,
      state: w.state,
      file: w.currentFile ? vscode.workspace.asRelativePath(w.currentFile) : undefined,
      filesDone: w.filesDone,
      utilisation: Math.min(1, w.busyMs / wall),
      restarts: w.restarts,
      batches: (this.bars[w.slot] ?? []).map((b) => ({ ...b, files: [...b.files] })),
    }));
  }

  /** Called on every flush while a run goes: one point of queue depth and throughput. */
  private sample(snapshot: RunSnapshot | undefined): void {
    if (!snapshot || this.header?.phase !== 'running') return;
    const { counts } = snapshot;
    const now = Date.now();
    const finished = counts.done + counts.failed + counts.skipped + counts.cancelled;
    const seconds = Math.max(0.001, (now - this.lastSampleAt) / 1000);
    const point: Sample = { t: now - this.startedAt, queued: counts.pending, filesPerSecond: Math.max(0, (finished - this.lastSampleDone) / seconds) };
    this.lastSampleAt = now;
    this.lastSampleDone = finished;
    this.samples.push(point);
    this.pendingSamples.push(point);
    if (this.samples.length > MAX_SAMPLES) this.samples = this.samples.filter((_, i) => i % 2 === 0);
  }

  private refreshHeader(snapshot: RunSnapshot | undefined): void {
    if (snapshot && (!this.header || this.header.phase === 'running')) this.header = this.makeHeader(snapshot);
  }

  /** Everything, for a webview that just loaded. It does not consume the pending delta: other webviews still need it. */
  snapshot(trusted: boolean, tasks: readonly TaskLane[] = []): PanelState {
    const snapshot = this.state?.snapshot();
    this.refreshHeader(snapshot);
    return {
      trusted,
      tasks,
      run: this.header,
      workers: this.lanes(snapshot),
      series: [...this.samples],
      lint: [...this.lint],
      skipped: [...this.skipped],
      transform: this.review.list(),
      analyze: { rows: [...this.analyze], hotspots: [...this.hotspots] },
      history: this.recorder.entries(),
      ...(this.recorder.lastTiming() ? { timing: this.recorder.lastTiming() } : {}),
      ...(this.remote.state() ? { remote: this.remote.state() } : {}),
    };
  }

  takeDelta(): HostMessage {
    const remote = this.remote.changed ? this.remote.state() : undefined;
    const snapshot = this.state?.snapshot();
    this.refreshHeader(snapshot);
    this.sample(snapshot);
    const delta: HostMessage = {
      type: 'delta',
      run: this.header,
      workers: this.lanes(snapshot),
      samples: this.pendingSamples,
      ...(this.pendingReset ? { reset: true } : {}),
      ...(this.pendingLint.length ? { lint: this.pendingLint } : {}),
      ...(this.pendingSkipped.length ? { skipped: this.pendingSkipped } : {}),
      ...(this.pendingAnalyze.length ? { analyze: this.pendingAnalyze } : {}),
      ...(this.results?.view === 'report' && this.header?.phase !== 'running' ? { hotspots: this.hotspots } : {}),
      ...(this.transformChanged ? { transform: this.review.list() } : {}),
      ...(this.historyChanged ? { history: this.recorder.entries(), timing: this.recorder.lastTiming() } : {}),
      ...(remote ? { remote } : {}),
    };
    this.clearPending();
    return delta;
  }

  private clearPending(): void {
    this.pendingReset = false;
    this.pendingSamples = [];
    this.pendingLint = [];
    this.pendingSkipped = [];
    this.pendingAnalyze = [];
    this.historyChanged = false;
    this.transformChanged = false;
    this.remote.changed = false;
  }
}
