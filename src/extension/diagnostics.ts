import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Linter } from 'eslint';
import type { FileRecord } from '../core/run-state';
import type { LintValue, RuleDocs } from '../tasks/lint/types';
import type { CommandValue } from '../tasks/custom/command-executor';

/**
 * Lint results in the Problems panel: one diagnostic per ESLint message, for
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

  /** Replaces the entries of every file in `records`; returns the number of error and warning diagnostics set. */
  update(records: readonly FileRecord<LintValue>[]): { errors: number; warnings: number } {
    return this.replace(this.collection, records, (value) => value.result.messages.map((m) => toDiagnostic(m, value.rules)), 'Parallel Tasks could not lint this file');
  }

  /**
   * A custom task's problems, in a collection of its own so that they live
   * beside ESLint's for the same file instead of replacing them.
   */
  updateCustom(task: string, records: readonly FileRecord<CommandValue>[]): { errors: number; warnings: number } {
    let collection = this.custom.get(task);
    if (!collection) {
      collection = vscode.languages.createDiagnosticCollection(`parallel-tasks: ${task}`);
      this.custom.set(task, collection);
    }
    const toProblem = (p: CommandValue['problems'][number]): vscode.Diagnostic => {
      const position = new vscode.Position(Math.max(0, p.line - 1), Math.max(0, p.column - 1));
      const severity = p.severity === 'error' ? vscode.DiagnosticSeverity.Error : p.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
      const diagnostic = new vscode.Diagnostic(new vscode.Range(position, position), p.message, severity);
      diagnostic.source = task;
      if (p.code) diagnostic.code = p.code;
      return diagnostic;
    };
    return this.replace(collection, records, (value) => value.problems.map(toProblem), `${task} failed on this file`);
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
        const diagnostic = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), `${failure}: ${outcome.message}`, vscode.DiagnosticSeverity.Error);
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

export function toDiagnostic(message: Linter.LintMessage, rules: Readonly<Record<string, RuleDocs>>): vscode.Diagnostic {
  // ESLint counts lines and columns from 1; a message without a position (line 0) goes at the start.
  const line = Math.max(0, (message.line ?? 1) - 1);
  const column = Math.max(0, (message.column ?? 1) - 1);
  const endLine = message.endLine !== undefined ? Math.max(0, message.endLine - 1) : line;
  const endColumn = message.endColumn !== undefined ? Math.max(0, message.endColumn - 1) : column;
  const diagnostic = new vscode.Diagnostic(
    new vscode.Range(line, column, endLine, endColumn),
    message.message,
    message.severity === 2 ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
  );
  diagnostic.source = 'eslint';
  if (message.ruleId) {
    const url = rules[message.ruleId]?.url;
    diagnostic.code = url ? { value: message.ruleId, target: vscode.Uri.parse(url) } : message.ruleId;
  }
  return diagnostic;
}
