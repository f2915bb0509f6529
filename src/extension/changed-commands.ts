import * as vscode from 'vscode';
import { changedTargets, repositoryRoot } from './changed-targets';
import type { Register, Start } from './commands';
import { isTransformPreset, lintRequest, pickTransform, presetRequest } from './run-requests';
import type { RunRequest, RunSummary } from './run-types';

/**
 * Git runs programs a repository's config names (clean filters, as for `git status`): as VS Code's own Git, not in Restricted Mode.
 * A function, not a constant: the translation is looked up when the message is shown.
 */
function untrusted(): string {
  return vscode.l10n.t('Parallel Tasks asks git for the changed files only in a trusted workspace: git runs programs that a repository\'s config names, such as clean filters.');
}

/** The label of a run over changed files, so the panel, the log and the messages say which files. */
function changedLabel(label: string): string {
  return vscode.l10n.t({ message: '{0} (changed files)', args: [label], comment: ['the name of a run over the files git reports changed, as in "Lint (changed files)"'] });
}

/**
 * "Lint Changed Files" and "Transform Changed Files", from the palette (every
 * workspace folder) or the Source Control view (its repository). Nothing runs
 * where git finds no repository or no change; a message says which.
 */
export function registerChangedCommands(register: Register, start: Start, log: vscode.LogOutputChannel): void {
  register('parallelTasks.lintChangedFiles', (sourceControl?: unknown) => runChanged(sourceControl, log, start, (targets) => {
    const request = lintRequest(targets);
    return { ...request, label: changedLabel(request.label) };
  }));
  register('parallelTasks.transformChangedFiles', async (sourceControl?: unknown, given?: unknown) => {
    // What to do first (unless the caller says), as Transform does: git is asked only once the user has chosen.
    const preset = isTransformPreset(given) ? given : await pickTransform();
    if (!preset) return undefined;
    return runChanged(sourceControl, log, start, (targets) => {
      const request = presetRequest(targets, preset);
      return { ...request, label: changedLabel(request.label) };
    });
  });
}

async function runChanged(sourceControl: unknown, log: vscode.LogOutputChannel, start: Start, request: (targets: RunRequest['targets']) => RunRequest): Promise<RunSummary | undefined> {
  const found = vscode.workspace.isTrusted ? await changedTargets(repositoryRoot(sourceControl)) : { nothing: untrusted(), error: true };
  if ('nothing' in found) {
    log.info(found.nothing);
    if (found.error) void vscode.window.showWarningMessage(found.nothing);
    else void vscode.window.showInformationMessage(found.nothing);
    const refused = request([]);
    return { kind: refused.kind, label: refused.label, phase: 'refused', error: found.nothing, files: 0, done: 0, failed: 0, skipped: 0, cancelled: 0, cached: 0, wallMs: 0, workers: 0, restarts: 0 };
  }
  for (const note of found.notes) log.info(note);
  return start(request(found.targets));
}
