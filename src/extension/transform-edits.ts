import { diffLines } from 'diff';
import * as vscode from 'vscode';
import type { FileRecord } from '../core/run-state';
import type { FileEdit } from '../core/task-api';
import { sha256 } from '../core/hash';

export interface EditOutcome {
  readonly applied: number;
  /** Files whose text changed after the transform read it: never overwritten. */
  readonly leftAlone: string[];
}

/**
 * Turns transform results into one WorkspaceEdit, so the change is one undo
 * step and, with `preview`, goes through VS Code's refactor preview. Each
 * file's current text (the editor buffer if open, else the disk) must still
 * be what the transform read; otherwise the file is left alone.
 */
export async function applyTransformResults(records: readonly FileRecord<FileEdit>[], label: string, preview: boolean): Promise<EditOutcome> {
  const edit = new vscode.WorkspaceEdit();
  const leftAlone: string[] = [];
  let applied = 0;
  for (const record of records) {
    if (record.outcome?.status !== 'ok') continue;
    const { changed, output, hash } = record.outcome.value;
    if (!changed || output === undefined) continue;
    const uri = vscode.Uri.file(record.path);
    const document = await vscode.workspace.openTextDocument(uri);
    if (sha256(document.getText()) !== hash) {
      leftAlone.push(record.path);
      continue;
    }
    // Line-level hunks rather than one whole-file replacement: the preview then
    // shows what actually changes, and markers and folds elsewhere survive.
    const metadata = { label, needsConfirmation: preview, description: vscode.workspace.asRelativePath(uri) };
    for (const hunk of changedHunks(document.getText(), output)) {
      edit.replace(uri, new vscode.Range(document.positionAt(hunk.start), document.positionAt(hunk.end)), hunk.text, metadata);
    }
    applied++;
  }
  if (applied === 0) return { applied, leftAlone };
  const ok = await vscode.workspace.applyEdit(edit, { isRefactoring: preview });
  return { applied: ok ? applied : 0, leftAlone };
}

/** How the refactor preview and the undo stack name a transform's edit. */
export function editLabel(label: string): string {
  return vscode.l10n.t({ message: 'Parallel Tasks: {0}', args: [label], comment: ['the name of a transform\'s edit in the refactor preview and Undo; {0} is the transform, as in "Prettier"'] });
}

/** Unsaved text of open file documents, which workers use instead of the disk. */
export function openDocumentSources(): Map<string, string> {
  const sources = new Map<string, string>();
  for (const document of vscode.workspace.textDocuments) {
    if (document.uri.scheme === 'file' && document.isDirty) sources.set(document.uri.fsPath, document.getText());
  }
  return sources;
}

/** The changed regions between two texts, as offsets into `before` and their replacement text. */
export function changedHunks(before: string, after: string): { start: number; end: number; text: string }[] {
  const hunks: { start: number; end: number; text: string }[] = [];
  let offset = 0;
  let current: { start: number; end: number; text: string } | undefined;
  for (const part of diffLines(before, after)) {
    if (!part.added && !part.removed) {
      current = undefined;
      offset += part.value.length;
      continue;
    }
    if (!current) {
      current = { start: offset, end: offset, text: '' };
      hunks.push(current);
    }
    if (part.removed) {
      current.end += part.value.length;
      offset += part.value.length;
    } else {
      current.text += part.value;
    }
  }
  return hunks;
}
