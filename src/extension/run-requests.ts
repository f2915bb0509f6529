import * as path from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../core/errors';
import type { TransformOptions } from '../tasks/transform/types';
import { loadEngine } from './load-engine';
import type { RunRequest, RunTarget } from './run-types';
import { readSettings } from './settings';

/**
 * The requests the commands make: which kind, with which options and label,
 * over which folders and paths; asking the user (quick picks) where a
 * command was not told.
 */

/** Every workspace folder, whole. */
export function workspaceTargets(): RunTarget[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((folder) => ({ folder, paths: [] }));
}

/** Selected explorer items grouped by the workspace folder that holds them. */
export function selectionTargets(uris: readonly vscode.Uri[]): RunTarget[] {
  const byFolder = new Map<string, { folder: vscode.WorkspaceFolder; paths: string[] }>();
  for (const uri of uris) {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder || uri.scheme !== 'file') continue;
    const key = folder.uri.toString();
    const entry = byFolder.get(key) ?? { folder, paths: [] };
    entry.paths.push(path.relative(folder.uri.fsPath, uri.fsPath) || '.');
    byFolder.set(key, entry);
  }
  return [...byFolder.values()];
}

/** The `lint.configFile` setting of the run's first folder, made absolute; undefined when unset. */
function lintConfigFile(targets: readonly RunTarget[]): string | undefined {
  const configFile = readSettings(targets[0]?.folder.uri).lintConfigFile;
  return configFile ? path.resolve(targets[0]?.folder.uri.fsPath ?? '', configFile) : undefined;
}

export function lintRequest(targets: readonly RunTarget[]): RunRequest {
  const configFile = lintConfigFile(targets);
  // ESLint's per-rule times cost a little on every file: collected only when the setting asks.
  const stats = readSettings(targets[0]?.folder.uri).lintRuleTimings;
  return { kind: 'lint', label: vscode.l10n.t({ message: 'Lint', comment: ['the name of a lint run, as in "Lint: 3 problems"'] }), options: { ...(configFile ? { configFile } : {}), ...(stats ? { stats: true } : {}) }, targets };
}

export function analyzeRequest(targets: readonly RunTarget[]): RunRequest {
  return { kind: 'analyze', label: vscode.l10n.t({ message: 'Analyze', comment: ['the name of an analyze run, as in "Analyze: 3 files analyzed"'] }), options: {}, targets };
}

/** A transform given by a caller (keybinding arguments, tests) instead of picked from the quick pick. */
export type TransformPreset =
  | { readonly mode: 'prettier' | 'eslint-fix' }
  | { readonly mode: 'codemod'; readonly codemod: string }
  | { readonly mode: 'replace'; readonly pattern: string; readonly replacement: string };

export function isTransformPreset(value: unknown): value is TransformPreset {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v.mode === 'prettier' || v.mode === 'eslint-fix') return true;
  if (v.mode === 'codemod') return typeof v.codemod === 'string';
  return v.mode === 'replace' && typeof v.pattern === 'string' && typeof v.replacement === 'string';
}

export function presetRequest(targets: readonly RunTarget[], preset: TransformPreset): RunRequest {
  const base = { kind: 'transform' as const, targets };
  switch (preset.mode) {
    case 'prettier':
      // A tool's name: the same in every language.
      return { ...base, label: prettierName(), options: { mode: 'prettier' } };
    case 'eslint-fix':
      return { ...base, label: vscode.l10n.t('ESLint autofix'), options: { mode: 'eslint-fix', configFile: lintConfigFile(targets) } };
    case 'codemod':
      return { ...base, label: vscode.l10n.t('Codemod {0}', path.basename(preset.codemod)), options: { mode: 'codemod', codemod: preset.codemod } };
    case 'replace':
      return { ...base, label: vscode.l10n.t({ message: 'Replace /{0}/', args: [preset.pattern], comment: ['the name of a search and replace run; {0} is the regular expression'] }), options: { mode: 'replace', pattern: preset.pattern, flags: 'g', replacement: preset.replacement } };
  }
}

/** Asks which transform to run; undefined when the user backs out. */
export async function pickTransform(): Promise<TransformPreset | undefined> {
  type Pick = vscode.QuickPickItem & { mode: TransformOptions['mode'] };
  const picked = await vscode.window.showQuickPick<Pick>(
    [
      { label: `$(symbol-color) ${prettierName()}`, description: vscode.l10n.t('format with the project\'s Prettier and its config'), mode: 'prettier' },
      { label: `$(wrench) ${vscode.l10n.t('ESLint autofix')}`, description: vscode.l10n.t('apply the fixes ESLint can make'), mode: 'eslint-fix' },
      { label: `$(file-code) ${vscode.l10n.t('Codemod file…')}`, description: vscode.l10n.t('a jscodeshift transform (JS or TS)'), mode: 'codemod' },
      { label: `$(replace-all) ${vscode.l10n.t('Search and replace…')}`, description: vscode.l10n.t('a regular expression'), mode: 'replace' },
    ],
    { title: vscode.l10n.t('Parallel Tasks: Transform'), placeHolder: vscode.l10n.t('What should change?') },
  );
  if (!picked) return undefined;
  switch (picked.mode) {
    case 'prettier':
    case 'eslint-fix':
      return { mode: picked.mode };
    case 'codemod': {
      const folder = vscode.workspace.workspaceFolders?.[0];
      const configured = readSettings(folder?.uri).codemod;
      const chosen = configured && folder
        ? vscode.Uri.file(path.resolve(folder.uri.fsPath, configured))
        : (await vscode.window.showOpenDialog({ title: vscode.l10n.t('Choose a codemod'), canSelectMany: false, defaultUri: folder?.uri, filters: { [vscode.l10n.t('JavaScript or TypeScript')]: ['js', 'cjs', 'mjs', 'ts', 'cts', 'mts'] } }))?.[0];
      return chosen ? { mode: 'codemod', codemod: chosen.fsPath } : undefined;
    }
    case 'replace': {
      const pattern = await vscode.window.showInputBox({
        title: vscode.l10n.t('Search and replace (1/2)'),
        prompt: vscode.l10n.t('Regular expression to search for'),
        validateInput: (value) => {
          try {
            new RegExp(value, 'g');
            return value ? undefined : vscode.l10n.t('Enter a pattern');
          } catch (error) {
            return (error as Error).message;
          }
        },
      });
      if (pattern === undefined) return undefined;
      const replacement = await vscode.window.showInputBox({ title: vscode.l10n.t('Search and replace (2/2)'), prompt: vscode.l10n.t('Replacement ($1 or $<name> refer to groups)') });
      return replacement === undefined ? undefined : { mode: 'replace', pattern, replacement };
    }
  }
}

export async function pickScope(): Promise<RunTarget[] | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const items: (vscode.QuickPickItem & { scope: 'workspace' | 'file' | 'folder' })[] = [{ label: `$(root-folder) ${vscode.l10n.t('Whole workspace')}`, scope: 'workspace' }];
  if (active?.scheme === 'file' && vscode.workspace.getWorkspaceFolder(active)) {
    items.push({ label: `$(file) ${vscode.l10n.t('Current file')}`, description: vscode.workspace.asRelativePath(active), scope: 'file' });
  }
  items.push({ label: `$(folder) ${vscode.l10n.t('Folder…')}`, scope: 'folder' });
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Parallel Tasks: Transform — where?') });
  if (!picked) return undefined;
  if (picked.scope === 'workspace') return workspaceTargets();
  if (picked.scope === 'file' && active) return selectionTargets([active]);
  const folders = await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, canSelectMany: true, defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri });
  return folders ? selectionTargets(folders) : undefined;
}

/**
 * A custom task from the folders' .vscode/parallel-tasks.json: the one named,
 * or picked from a quick pick. Runs on every folder that defines it.
 */
export async function customTaskRequest(name: string | undefined, log: vscode.LogOutputChannel): Promise<RunRequest | undefined> {
  const { loadTasks, TASKS_FILE } = loadEngine();
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  const byName = new Map<string, { folders: vscode.WorkspaceFolder[]; include: readonly string[] }>();
  for (const folder of folders) {
    try {
      for (const task of await loadTasks(folder.uri.fsPath)) {
        const entry = byName.get(task.name) ?? { folders: [], include: task.include };
        entry.folders.push(folder);
        byName.set(task.name, entry);
      }
    } catch (error) {
      log.error(errorMessage(error));
      void vscode.window.showErrorMessage(vscode.l10n.t('Parallel Tasks: {0}', errorMessage(error)));
      return undefined;
    }
  }
  if (byName.size === 0) {
    const createFile = vscode.l10n.t('Create File');
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('No custom tasks: define them in {0} of a workspace folder.', TASKS_FILE), createFile);
    if (choice === createFile && folders[0]) {
      const uri = vscode.Uri.joinPath(folders[0].uri, '.vscode', 'parallel-tasks.json');
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(tasksTemplate()));
      await vscode.window.showTextDocument(uri);
    }
    return undefined;
  }
  let chosen = name;
  if (chosen === undefined) {
    const picked = await vscode.window.showQuickPick(
      [...byName].map(([label, entry]) => ({ label, description: entry.include.join(', '), detail: folders.length > 1 ? entry.folders.map((f) => f.name).join(', ') : undefined })),
      { title: vscode.l10n.t('Parallel Tasks: Run Custom Task'), placeHolder: vscode.l10n.t('Which task?') },
    );
    chosen = picked?.label;
  }
  const entry = chosen === undefined ? undefined : byName.get(chosen);
  if (!entry || chosen === undefined) {
    if (chosen !== undefined) void vscode.window.showWarningMessage(vscode.l10n.t('Parallel Tasks: no custom task named "{0}".', chosen));
    return undefined;
  }
  return { kind: 'custom', label: chosen, options: { task: chosen }, targets: entry.folders.map((folder) => ({ folder, paths: [] })) };
}

/**
 * What "Create File" writes: a working example to edit, checked by the contributed schema. Its two
 * comments are prose in the user's language (each kept on its line: a line break would end the comment).
 */
function tasksTemplate(): string {
  const line = (text: string): string => text.replace(/[\r\n]+/g, ' ');
  return `{
  // ${line(vscode.l10n.t('Each task runs a command over the matching files, in parallel.'))}
  // ${line(vscode.l10n.t('{0} is replaced by a batch of files, {1} by one file (each its own argument).', '${files}', '${file}'))}
  "tasks": [
    {
      "name": "shellcheck",
      "command": ["shellcheck", "--format=gcc", "\${files}"],
      "include": ["**/*.sh"],
      "batchSize": 20,
      "problemMatcher": "$gcc"
    }
  ]
}
`;
}

/** The tool's name, which a language may still write its own way (or in its own script). */
function prettierName(): string {
  return vscode.l10n.t({ message: 'Prettier', comment: ["the code formatter's name"] });
}
