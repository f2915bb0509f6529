import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChangedFiles } from '../core/changed-files';
import { errorMessage } from '../core/errors';
import { isInside } from '../core/paths';
import { loadEngine } from './load-engine';
import type { RunTarget } from './run-types';

/**
 * "Lint Changed Files" and "Transform Changed Files": which folders and
 * files, asked of git (the engine's changed-files.ts, as the CLI's
 * `--changed`). The messages are here, each in one place.
 */

/** The targets of a run over changed files, or why there is nothing to run. */
export type ChangedTargets = { readonly targets: RunTarget[]; readonly notes: string[] } | { readonly nothing: string; readonly error: boolean };

/**
 * The repository's root when the Source Control view passes its source
 * control (git's carries `rootUri`); undefined for anything else (the
 * palette passes nothing, a keybinding may pass anything).
 */
export function repositoryRoot(arg: unknown): vscode.Uri | undefined {
  if (typeof arg !== 'object' || arg === null || !('rootUri' in arg)) return undefined;
  const root = (arg as { rootUri: unknown }).rootUri;
  return root instanceof vscode.Uri && root.scheme === 'file' ? root : undefined;
}

/** Where to ask git, for each workspace folder the run covers, and which part of the folder (empty: all of it). */
interface Place {
  readonly folder: vscode.WorkspaceFolder;
  readonly gitCwd: string;
  readonly paths: string[];
}

/**
 * With a repository's root: the workspace folders inside it (each whole),
 * or the part of the one folder that holds it (a repository nested in a
 * folder). Without: every workspace folder on disk.
 */
function places(root: vscode.Uri | undefined): Place[] {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  if (!root) return folders.map((folder) => ({ folder, gitCwd: folder.uri.fsPath, paths: [] }));
  const repo = root.fsPath;
  const found: Place[] = [];
  for (const folder of folders) {
    const dir = folder.uri.fsPath;
    if (isInside(dir, repo)) found.push({ folder, gitCwd: dir, paths: [] });
    else if (isInside(repo, dir)) found.push({ folder, gitCwd: repo, paths: [path.relative(dir, repo)] });
  }
  return found;
}

/** How git's answer reads in a message: "3 changed files against HEAD (1a2b3c4d)". */
function describe(folder: vscode.WorkspaceFolder, changed: ChangedFiles): string {
  return `${folder.name}: ${loadEngine().describeChanged(changed)}${loadEngine().describeNested(changed)}`;
}

/**
 * The folders to run on, each with only its changed files. A folder that is
 * not in a git repository is left out with a note; when no folder is, or
 * none has a changed file, there is nothing to run, and the reason says why.
 */
export async function changedTargets(root: vscode.Uri | undefined): Promise<ChangedTargets> {
  const where = places(root);
  if (where.length === 0) {
    return {
      nothing: root
        ? vscode.l10n.t('The repository at {0} holds no workspace folder: open its folder to run on its changed files.', root.fsPath)
        : vscode.l10n.t('Parallel Tasks needs a folder on disk: open a folder or workspace first.'),
      error: true,
    };
  }
  const engine = loadEngine();
  const targets: RunTarget[] = [];
  const notes: string[] = [];
  const problems: string[] = [];
  let unchanged = 0;
  for (const place of where) {
    let changed: ChangedFiles;
    try {
      // The repository's changes, of which a run in this folder can take only those inside it.
      changed = engine.changedInside(await engine.changedFiles(place.gitCwd), place.folder.uri.fsPath);
    } catch (error) {
      problems.push(errorMessage(error));
      continue;
    }
    if (changed.files.length === 0) {
      unchanged++;
      // Submodules that changed are still worth a word: "no changed files" alone would hide them.
      if (changed.repositories.length > 0) problems.push(`${place.folder.name}${engine.describeNested(changed).replace(/^;/, ':')}.`);
    } else {
      targets.push({ folder: place.folder, paths: place.paths, only: changed.files });
      notes.push(describe(place.folder, changed));
    }
  }
  if (targets.length > 0) return { targets, notes: [...notes, ...problems] };
  if (problems.length > 0 && unchanged === 0) return { nothing: vscode.l10n.t('Nothing was run: {0}', problems.join(' ')), error: true };
  const names = where.map((p) => p.folder.name).join(', ');
  // {1}: why some folders were not asked, in the engine's words (git's errors, submodules not looked into).
  if (problems.length > 0) return { nothing: vscode.l10n.t('No changed files against HEAD in {0}: nothing was checked. ({1})', names, problems.join(' ')), error: false };
  return { nothing: vscode.l10n.t('No changed files against HEAD in {0}: nothing was checked.', names), error: false };
}
