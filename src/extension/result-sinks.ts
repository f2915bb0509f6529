import * as vscode from 'vscode';
import { errorMessage } from '../core/errors';
import type { FileRecord } from '../core/run-state';
import { unreachable, type AnyTaskKind, type FileEdit, type ReportRow } from '../core/task-api';
import { summarizeAnalysis, type AnalyzedFile } from '../tasks/analyze/summary';
import type { AnalysisResult } from './analysis-report';
import type { LintDiagnostics } from './diagnostics';
import type { RunSummary } from './run-types';
import { readSettings, type Settings } from './settings';
import type { TransformReview } from './transform-review';
import { applyTransformResults, editLabel } from './transform-edits';
import { outsideOf } from './workspace-paths';

/** What a run's results added up to, for its summary. */
export interface ResultCounts {
  errors: number;
  warnings: number;
  changed: number;
  applied: number;
  held: number;
  readonly leftAlone: string[];
}

/** Where a run's results go once they are in: the end of a run may still fail it (an edit that cannot be applied). */
export interface AfterRun {
  readonly phase?: RunSummary['phase'];
  readonly error?: string;
}

/**
 * Takes the results of a run, folder by folder, and routes them by the kind's
 * result view: problems to Problems, edits to a review or a WorkspaceEdit, a
 * report to the report document.
 */
export interface ResultSink {
  readonly counts: ResultCounts;
  folderDone(records: readonly FileRecord<unknown>[], settings: Settings): void;
  /** After every folder ran (`phase` is the run's so far). */
  finish(phase: RunSummary['phase']): Promise<AfterRun>;
}

export interface SinkContext {
  readonly label: string;
  readonly diagnostics: LintDiagnostics;
  readonly review: TransformReview;
  readonly log: vscode.LogOutputChannel;
  /** Where a finished report is kept for the report command. */
  publishReport(report: AnalysisResult): Promise<void>;
}

function emptyCounts(): ResultCounts {
  return { errors: 0, warnings: 0, changed: 0, applied: 0, held: 0, leftAlone: [] };
}

export function resultSink(kind: AnyTaskKind, options: unknown, context: SinkContext): ResultSink {
  const results = kind.results;
  switch (results.view) {
    case 'problems':
      return problemsSink((records) => context.diagnostics.update(results.diagnostics(options), records, (value) => results.problems(value)));
    case 'edits':
      return editsSink(context, (value) => results.edit(value));
    case 'report':
      return reportSink(context, (value) => results.row(value));
    default:
      return unreachable(results);
  }
}

function problemsSink(update: (records: readonly FileRecord<unknown>[]) => { errors: number; warnings: number }): ResultSink {
  const counts = emptyCounts();
  return {
    counts,
    folderDone(records) {
      const set = update(records);
      counts.errors += set.errors;
      counts.warnings += set.warnings;
    },
    finish: async () => ({}),
  };
}

function editsSink(context: SinkContext, edit: (value: unknown) => FileEdit): ResultSink {
  const counts = emptyCounts();
  const edits: FileRecord<FileEdit>[] = [];
  let review: Settings['transformReview'] = 'refactorPreview';
  return {
    counts,
    folderDone(records, settings) {
      for (const record of records) {
        const outcome = record.outcome;
        const value = outcome?.status === 'ok' ? edit(outcome.value) : undefined;
        if (value?.changed) counts.changed++;
        edits.push(value && outcome?.status === 'ok' ? { ...record, outcome: { status: 'ok', value } } : (record as FileRecord<FileEdit>));
      }
      // Skipping the preview is a workspace's choice only when the workspace is trusted.
      review = settings.transformReview === 'apply' && !vscode.workspace.isTrusted ? 'refactorPreview' : settings.transformReview;
    },
    async finish(phase) {
      // Nothing is written outside the workspace folders, whatever a setting or a message said.
      const outsideWorkspace = outsideOf((vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath));
      const inside = edits.filter((r) => {
        const where = outsideWorkspace(r.path);
        if (where) context.log.error(`${where} is outside the workspace; not written`);
        return where === undefined;
      });
      if (phase !== 'completed') return {};
      if (review === 'panel') {
        counts.held = context.review.hold(inside, context.label);
        void vscode.commands.executeCommand('parallelTasks.showPanel');
        return {};
      }
      // All folders go into one edit, so one undo takes the whole transform back.
      try {
        const outcome = await applyTransformResults(inside, editLabel(context.label), review === 'refactorPreview');
        counts.applied += outcome.applied;
        counts.leftAlone.push(...outcome.leftAlone);
        for (const file of outcome.leftAlone) context.log.warn(`${file} changed after it was transformed; left alone`);
        return {};
      } catch (caught) {
        // The summary's error is read in the editor; the log keeps English, for bug reports.
        context.log.error(`the edit could not be applied: ${errorMessage(caught)}`);
        const error = vscode.l10n.t('the edit could not be applied: {0}', errorMessage(caught));
        return { phase: 'failed', error };
      }
    },
  };
}

function reportSink(context: SinkContext, row: (value: unknown) => ReportRow): ResultSink {
  const files: AnalyzedFile[] = [];
  return {
    counts: emptyCounts(),
    folderDone(records) {
      for (const record of records) if (record.outcome?.status === 'ok') files.push({ path: record.path, ...row(record.outcome.value) });
    },
    async finish(phase) {
      if (phase !== 'failed') await context.publishReport({ generatedAt: new Date(), files, totals: summarizeAnalysis(files, readSettings().hotspots) });
      return {};
    },
  };
}
