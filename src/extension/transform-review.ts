import * as vscode from 'vscode';
import type { FileRecord } from '../core/run-state';
import type { TransformFile } from '../shared/protocol';
import type { FileEdit } from '../core/task-api';
import { unifiedDiff } from '../tasks/transform/apply';
import { applyTransformResults, editLabel } from './transform-edits';

interface Pending {
  readonly record: FileRecord<FileEdit>;
  state: TransformFile['state'];
  message?: string;
}

/**
 * Transform results held for review in the panel: each changed file can be
 * compared in VS Code's diff editor, applied or discarded, one by one or all
 * at once. Applying goes through a WorkspaceEdit with the same "unchanged
 * since read" check as every other path.
 */
export class TransformReview implements vscode.TextDocumentContentProvider, vscode.Disposable {
  static readonly scheme = 'parallel-tasks-proposed';
  private readonly pending = new Map<string, Pending>();
  private label = '';
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeList = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(TransformReview.scheme, this);

  /** Replaces what is under review with the changed files of a run. */
  hold(records: readonly FileRecord<FileEdit>[], label: string): number {
    this.pending.clear();
    this.label = label;
    for (const record of records) {
      if (record.outcome?.status === 'ok' && record.outcome.value.changed) this.pending.set(record.path, { record, state: 'pending' });
    }
    this.changed.fire();
    return this.pending.size;
  }

  has(path: string): boolean {
    return this.pending.has(path);
  }

  list(): TransformFile[] {
    return [...this.pending.entries()].map(([path, p]) => ({ path, rel: vscode.workspace.asRelativePath(path), state: p.state, message: p.message }));
  }

  async apply(paths: readonly string[]): Promise<void> {
    const chosen = paths.map((p) => this.pending.get(p)).filter((p): p is Pending => p !== undefined && p.state === 'pending');
    if (chosen.length === 0) return;
    const outcome = await applyTransformResults(chosen.map((p) => p.record), editLabel(this.label), false);
    const stale = new Set(outcome.leftAlone);
    for (const p of chosen) {
      if (stale.has(p.record.path)) {
        p.state = 'stale';
        p.message = vscode.l10n.t('changed since the transform read it; left alone');
      } else {
        p.state = outcome.applied > 0 ? 'applied' : 'failed';
      }
    }
    this.changed.fire();
  }

  discard(paths: readonly string[]): void {
    for (const path of paths) {
      const p = this.pending.get(path);
      if (p?.state === 'pending') p.state = 'discarded';
    }
    this.changed.fire();
  }

  /** A unified diff of the file's current text against the proposed one, for the panel's inline preview. */
  async patch(path: string): Promise<string> {
    const pending = this.pending.get(path);
    const value = pending?.record.outcome;
    if (!pending || value?.status !== 'ok' || value.value.output === undefined) throw new Error(vscode.l10n.t('not under review'));
    const current = (await vscode.workspace.openTextDocument(vscode.Uri.file(path))).getText();
    return unifiedDiff(vscode.workspace.asRelativePath(path), current, value.value.output);
  }

  async diff(path: string): Promise<void> {
    if (!this.pending.has(path)) return;
    const original = vscode.Uri.file(path);
    const proposed = vscode.Uri.from({ scheme: TransformReview.scheme, path });
    await vscode.commands.executeCommand('vscode.diff', original, proposed, `${vscode.workspace.asRelativePath(path)} ↔ ${this.label}`);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const value = this.pending.get(uri.path)?.record.outcome;
    return value?.status === 'ok' ? (value.value.output ?? '') : '';
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
