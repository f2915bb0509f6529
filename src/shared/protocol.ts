/**
 * Messages between the extension host and the panel webview. Types only, no
 * runtime code: both sides import this file. The messages the webview sends
 * are inferred from their zod schemas (protocol-schema.ts), against which the
 * host validates every incoming message (src/extension/panel/validate.ts),
 * because the webview is untrusted input; they are re-exported here as types
 * only, so the webview bundle never pulls zod in.
 */

import type { RunPhase as EngineRunPhase, QueueCounts } from '../core/run-state';
import type { ResultView } from '../core/task-api';
import type { Hotspot as AnalyzeHotspot } from '../tasks/analyze/summary';

export type { PanelCommand, PanelRequest, WebviewMessage } from './protocol-schema';

/** A registered task kind's name (src/tasks/registry.ts): lint, transform, analyze, custom (a task from .vscode/parallel-tasks.json), or one added later. */
export type RunKind = string;
/** The engine's phases, plus `refused`: the editor would not start the run (workspace code in an untrusted workspace, a config or codemod outside the workspace, invalid options). */
export type RunPhase = EngineRunPhase | 'refused';

/** Queue counts, as the engine's run state keeps them. */
export type { QueueCounts } from '../core/run-state';
export type { ResultView } from '../core/task-api';

export interface RunHeader extends QueueCounts {
  readonly id: number;
  readonly kind: RunKind;
  /** How the kind's results are shown: the webview picks its result view by this, never by the kind's name. */
  readonly view: ResultView;
  readonly label: string;
  readonly phase: RunPhase;
  readonly error?: string;
  /** Files answered from the result cache (also counted in `done`). */
  readonly cached: number;
  readonly filesPerSecond: number;
  readonly elapsedMs: number;
  readonly etaMs?: number;
  /** The sum of the per-file times: what one worker would have needed, without the pool's overhead. */
  readonly serialEstimateMs: number;
  /** Worker lanes of the run (threads, processes, command slots, or batches in flight on a queue). */
  readonly workers: number;
  /** `serialEstimateMs` over the wall time; only where it means something (≥ 2 workers, ≥ 1 s of work: core/speedup.ts). */
  readonly speedup?: number;
  /** A finished run whose results are problems, against the previous run of the same kind and scope (as its history entry). */
  readonly compared?: { readonly newProblems: number; readonly fixedProblems: number };
}

export type BatchOutcome = 'running' | 'ok' | 'failed' | 'crashed' | 'timed out' | 'cancelled';

export interface BatchBar {
  readonly id: number;
  /** Milliseconds since the run started. */
  readonly start: number;
  readonly end?: number;
  readonly outcome: BatchOutcome;
  /** The first files of the batch with their processing time, for the tooltip. */
  readonly files: readonly { readonly path: string; readonly ms: number }[];
  readonly fileCount: number;
}

export interface WorkerLane {
  readonly slot: number;
  /** What the worker is: a thread, a child process, the extension host itself, or a slot for an external command. */
  readonly kind: 'thread' | 'process' | 'in-process' | 'command' | 'remote';
  readonly state: 'idle' | 'busy' | 'restarting';
  readonly file?: string;
  readonly filesDone: number;
  /** Busy time over elapsed time, 0..1. */
  readonly utilisation: number;
  readonly restarts: number;
  readonly batches: readonly BatchBar[];
}

export interface Sample {
  readonly t: number;
  /** Files waiting (pending). */
  readonly queued: number;
  readonly filesPerSecond: number;
}

export interface LintProblem {
  readonly line: number;
  readonly column: number;
  readonly severity: 1 | 2;
  readonly ruleId: string | null;
  readonly message: string;
}

export interface LintFile {
  readonly path: string;
  readonly rel: string;
  readonly problems: readonly LintProblem[];
}

/** A file the run did not process, and why (binary, too large, ignored by config, a link outside the folder…). */
export interface SkippedEntry {
  readonly path: string;
  readonly rel: string;
  readonly reason: string;
}

export type TransformState = 'pending' | 'applied' | 'discarded' | 'stale' | 'failed';

export interface TransformFile {
  readonly path: string;
  readonly rel: string;
  readonly state: TransformState;
  readonly message?: string;
}

export interface AnalyzeRow {
  readonly path: string;
  readonly rel: string;
  readonly lines: number;
  readonly code: number;
  readonly functions: number;
  readonly maxComplexity: number;
  readonly maxNesting: number;
  readonly todos: number;
}

/** One of the most complex functions of the run, as the analysis found it, with its path relative to the workspace for display. */
export interface Hotspot extends AnalyzeHotspot {
  readonly rel: string;
}

export interface HistoryEntry {
  readonly id: number;
  readonly kind: RunKind;
  /** As in `RunHeader`: the Results tab shows the last run's results by its view. */
  readonly view: ResultView;
  readonly label: string;
  readonly files: number;
  readonly durationMs: number;
  readonly phase: RunPhase;
  readonly problems?: number;
  /** Kinds whose results are problems: compared with the previous run of the same kind and scope (folders, paths, options). */
  readonly newProblems?: number;
  readonly fixedProblems?: number;
  /** When the run ended (ms since the epoch): the history outlives the window. */
  readonly finishedAt?: number;
  /** The folders it ran on, for display. */
  readonly folders?: string;
}

/** Where a finished run spent its time: its slowest files and, when the tool times them (lint with rule timings on), its rules. */
export interface RunTiming {
  /** Files processed in the run (answers from the cache are not timed). */
  readonly timed: number;
  readonly files: readonly { readonly path: string; readonly rel: string; readonly ms: number }[];
  /** Absent: the run did not collect rule times. */
  readonly rules?: readonly { readonly rule: string; readonly ms: number; readonly files: number }[];
}

/** A task from tasks.json that Parallel Tasks started alongside others. */
export interface TaskLane {
  readonly id: number;
  readonly name: string;
  /** Where the task comes from: "Workspace" for tasks.json, or the providing extension. */
  readonly source: string;
  readonly state: 'running' | 'succeeded' | 'failed' | 'stopped';
  readonly exitCode?: number;
  readonly durationMs: number;
}

/** A worker of the queue the run goes through (parallelTasks.queue.url), as its presence in Redis says. */
export interface RemoteLane {
  readonly id: string;
  readonly host: string;
  readonly name: string;
  readonly slots: number;
  /** Share of its slots' time spent on batches lately, 0–1. */
  readonly utilisation: number;
  /** The files it is on, relative to the workspace. */
  readonly busy: readonly string[];
  /** It stopped answering this long into the run (stopped, died, or cut off): its batches run elsewhere. */
  readonly goneAtMs?: number;
  /** When it held the run's batches, in ms into the run (from the batches' own events; the last may be open), merged where back to back. */
  readonly spans: readonly RemoteSpan[];
  /** When a batch it held was found stalled (its lock lapsed) and put back for another worker, in ms into the run. */
  readonly stalledAtMs: readonly number[];
}

export interface RemoteSpan {
  readonly startMs: number;
  readonly endMs?: number;
}

export interface RemoteState {
  /** The queue's Redis, without credentials. */
  readonly queue: string;
  readonly lanes: readonly RemoteLane[];
  /** Batches waiting in the queue for a worker, as last asked. */
  readonly waiting?: number;
}

/** Problems kept current as the user works (parallelTasks.lint.keepCurrent); absent when off. */
export interface LiveStatus {
  readonly mode: 'onSave' | 'onType';
  /** Files waiting for a check or being checked. */
  readonly pending: number;
}

export interface PanelState {
  readonly trusted: boolean;
  readonly live?: LiveStatus;
  readonly run?: RunHeader;
  readonly workers: readonly WorkerLane[];
  readonly series: readonly Sample[];
  readonly lint: readonly LintFile[];
  readonly skipped: readonly SkippedEntry[];
  readonly transform: readonly TransformFile[];
  readonly analyze: { readonly rows: readonly AnalyzeRow[]; readonly hotspots: readonly Hotspot[] };
  readonly history: readonly HistoryEntry[];
  /** The last finished run's slowest files and rules. */
  readonly timing?: RunTiming;
  readonly tasks: readonly TaskLane[];
  /** When the run goes through a queue. */
  readonly remote?: RemoteState;
}

export type PanelResult = { readonly kind: 'diff'; readonly path: string; readonly patch: string };

/** Host → webview. */
export type HostMessage =
  | { readonly type: 'response'; readonly id: number; readonly ok: true; readonly result: PanelResult }
  | { readonly type: 'response'; readonly id: number; readonly ok: false; readonly error: string }
  | { readonly type: 'snapshot'; readonly state: PanelState }
  | { readonly type: 'tasks'; readonly lanes: readonly TaskLane[] }
  | { readonly type: 'live'; readonly live?: LiveStatus }
  | {
      readonly type: 'delta';
      readonly run?: RunHeader;
      readonly workers: readonly WorkerLane[];
      readonly samples: readonly Sample[];
      /** A new run started: results of the previous one are cleared first. */
      readonly reset?: boolean;
      readonly lint?: readonly LintFile[];
      readonly skipped?: readonly SkippedEntry[];
      readonly analyze?: readonly AnalyzeRow[];
      readonly hotspots?: readonly Hotspot[];
      readonly transform?: readonly TransformFile[];
      readonly history?: readonly HistoryEntry[];
      readonly timing?: RunTiming;
      /** The queue's workers, when they changed (a run through a queue reports them every few seconds). */
      readonly remote?: RemoteState;
    };
