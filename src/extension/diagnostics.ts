import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FileRecord } from '../core/run-state';
import type { Problem, ProblemsTarget } from '../core/task-api';

/**
 * Problems of lint and custom tasks in the Problems panel: one diagnostic per problem, for
 * every file of the run whether it is open or not. A re-run replaces a file's
 * entries; a deleted file loses them.
 */
export class LintDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('parallel-tasks');
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly custom = new Map<string, vscode.DiagnosticCollection>();
  private watching = false;

  /**
   * Follows deletes only once there are entries to drop: a workspace-wide
   * file watcher is not free, and activation must stay cheap.
   */
  private watchDeletes(): void {
    if (this.watching) return;
    this.watching = true;
    const watcher = vscode.workspace.createFileSystemWatcher('**/*', true, true, false);
    this.subscriptions.push(
      watcher,
      // Deletes made outside VS Code reach us through the file watcher, which may lag;
      // deletes made in VS Code (explorer, refactorings) are also announced at once.
      watcher.onDidDelete((uri) => this.forget(uri)),
      vscode.workspace.onDidDeleteFiles((e) => e.files.forEach((uri) => this.forget(uri))),
    );
  }

  /**
   * Replaces the entries of every file in `records` with its problems, in the
   * collection the kind names (custom tasks have their own, so that their
   * problems live beside ESLint's for the same file instead of replacing
   * them); returns the number of error and warning diagnostics set.
   */
  update<V>(target: ProblemsTarget, records: readonly FileRecord<V>[], problems: (value: V) => readonly Problem[]): { errors: number; warnings: number } {
    return this.replace(this.collectionFor(target), records, (value) => problems(value).map((p) => toDiagnostic(p, target.source)), target.failure);
  }

  private collectionFor(target: ProblemsTarget): vscode.DiagnosticCollection {
    if (target.collection === undefined) return this.collection;
    let collection = this.custom.get(target.collection);
    if (!collection) {
      collection = vscode.languages.createDiagnosticCollection(target.collection);
      this.custom.set(target.collection, collection);
    }
    return collection;
  }

  /**
   * Sets each file's entries in `collection` from its result: its problems, a
   * single error naming why the file failed, or none when it was skipped.
   * Counts errors, and everything else as warnings.
   */
  private replace<V>(
    collection: vscode.DiagnosticCollection,
    records: readonly FileRecord<V>[],
    toDiagnostics: (value: V) => vscode.Diagnostic[],
    failure: string,
  ): { errors: number; warnings: number } {
    this.watchDeletes();
    let errors = 0;
    let warnings = 0;
    for (const record of records) {
      const uri = vscode.Uri.file(record.path);
      const outcome = record.outcome;
      if (outcome?.status === 'ok') {
        const diagnostics = toDiagnostics(outcome.value);
        for (const d of diagnostics) {
          if (d.severity === vscode.DiagnosticSeverity.Error) errors++;
          else warnings++;
        }
        collection.set(uri, diagnostics);
      } else if (outcome?.status === 'error') {
        // Ours, not the tool's: the kind's "could not lint this file" and the error, joined as the user's language joins them.
        const message = vscode.l10n.t({ message: '{0}: {1}', args: [failure, outcome.message], comment: ['a Problems entry for a file that failed: what failed, then the error'] });
        const diagnostic = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), message, vscode.DiagnosticSeverity.Error);
        diagnostic.source = 'parallel-tasks';
        errors++;
        collection.set(uri, [diagnostic]);
      } else if (record.status === 'skipped') {
        collection.delete(uri);
      }
    }
    return { errors, warnings };
  }

  private forget(deleted: vscode.Uri): void {
    // A deleted folder takes the entries of every file inside it along.
    const prefix = deleted.fsPath + path.sep;
    for (const collection of [this.collection, ...this.custom.values()]) {
      const gone: vscode.Uri[] = [];
      collection.forEach((uri) => {
        if (uri.fsPath === deleted.fsPath || uri.fsPath.startsWith(prefix)) gone.push(uri);
      });
      for (const uri of gone) collection.delete(uri);
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
    for (const collection of this.custom.values()) collection.dispose();
  }
}

const SEVERITY: Readonly<Record<Problem['severity'], vscode.DiagnosticSeverity>> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toDiagnostic(problem: Problem, source: string): vscode.Diagnostic {
  // Tools count lines and columns from 1; a problem without a position (line 0) goes at the start.
  const line = Math.max(0, problem.line - 1);
  const column = Math.max(0, problem.column - 1);
  const endLine = problem.endLine !== undefined ? Math.max(0, problem.endLine - 1) : line;
  const endColumn = problem.endColumn !== undefined ? Math.max(0, problem.endColumn - 1) : column;
  const diagnostic = new vscode.Diagnostic(new vscode.Range(line, column, endLine, endColumn), problem.message, SEVERITY[problem.severity]);
  diagnostic.source = source;
  if (problem.code) diagnostic.code = problem.codeUrl ? { value: problem.code, target: vscode.Uri.parse(problem.codeUrl) } : problem.code;
  return diagnostic;
}
