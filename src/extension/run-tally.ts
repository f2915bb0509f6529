import * as vscode from 'vscode';
import type { FileRecord, RunSnapshot } from '../core/run-state';
import type { AnyTaskKind } from '../core/task-api';
import type { ResultCounts } from './result-sinks';
import type { RunRequest, RunSummary } from './run-types';

/** What the folders of one run add up to, and how it ended so far; `summary()` reads it at any point. */
export class RunTally {
  files = 0;
  done = 0;
  failed = 0;
  skipped = 0;
  cancelled = 0;
  cached = 0;
  restarts = 0;
  workers = 0;
  phase: RunSummary['phase'] = 'completed';
  error: string | undefined;
  /** The files that failed, by folder URI, for "Retry Failed". */
  readonly failedByFolder = new Map<string, string[]>();
  private readonly started = Date.now();

  constructor(
    private readonly request: RunRequest,
    private readonly kind: AnyTaskKind,
    private readonly counts: ResultCounts,
  ) {}

  addFolder(folderUri: string, snapshot: RunSnapshot, records: readonly FileRecord<unknown>[]): void {
    this.files += snapshot.counts.total;
    this.cached += snapshot.cached;
    this.done += snapshot.counts.done;
    this.failed += snapshot.counts.failed;
    this.skipped += snapshot.counts.skipped;
    this.cancelled += snapshot.counts.cancelled;
    this.restarts += snapshot.workers.reduce((n, w) => n + w.restarts, 0);
    const failedHere = records.filter((r) => r.status === 'failed').map((r) => r.path);
    if (failedHere.length > 0) this.failedByFolder.set(folderUri, failedHere);
  }

  fail(error: string): void {
    this.phase = 'failed';
    this.error = error;
  }

  /** A run that found nothing to do checked nothing: it must not look like a clean pass. */
  failIfNothingProcessed(): string | undefined {
    if (this.phase !== 'completed' || this.done + this.failed > 0) return undefined;
    const folders = this.request.targets.map((t) => t.folder.name).join(', ');
    // Whole sentences, with and without the skipped files: word order differs between languages.
    this.fail(
      this.skipped > 0
        ? vscode.l10n.t('{0} found no files to process in {1} (see the parallelTasks.include and parallelTasks.exclude settings; {2} skipped, listed in the panel with the reason)', this.request.label, folders, this.skipped)
        : vscode.l10n.t('{0} found no files to process in {1} (see the parallelTasks.include and parallelTasks.exclude settings)', this.request.label, folders),
    );
    return this.error;
  }

  summary(): RunSummary {
    const view = this.kind.results.view;
    const { errors, warnings, changed, applied, held, leftAlone } = this.counts;
    return {
      kind: this.request.kind,
      view,
      label: this.request.label,
      line: this.kind.summaryLine({ done: this.done, failed: this.failed, errors, warnings, changed }),
      phase: this.phase,
      error: this.error,
      files: this.files,
      done: this.done,
      failed: this.failed,
      skipped: this.skipped,
      cancelled: this.cancelled,
      cached: this.cached,
      restarts: this.restarts,
      wallMs: Date.now() - this.started,
      workers: this.workers,
      ...(view === 'problems' ? { errors, warnings } : {}),
      ...(view === 'edits' ? { changed, applied, held, leftAlone: [...leftAlone] } : {}),
    };
  }
}
