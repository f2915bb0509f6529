import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import type * as Prettier from 'prettier';
import type { FileOutcome } from '../../core/types';
import { importModule, resolveTool } from '../resolve-tool';
import type { ToolInfo } from '../tool-info';

type PrettierModule = typeof Prettier;

interface LoadedPrettier {
  readonly prettier: PrettierModule;
  readonly source: ToolInfo['source'];
}

/** Warm state: the Prettier module per root (the project's own, or ours). */
const modules = new Map<string, Promise<LoadedPrettier>>();

function loadedFor(root: string): Promise<LoadedPrettier> {
  let mod = modules.get(root);
  if (!mod) {
    const tool = resolveTool('prettier', root);
    mod = importModule<PrettierModule>(tool.entry).then((prettier) => ({ prettier, source: tool.source }));
    modules.set(root, mod);
  }
  return mod;
}

/** The Prettier that formats for `root`; the result cache keys on what this same module resolves. */
export async function prettierFor(root: string): Promise<PrettierModule> {
  return (await loadedFor(root)).prettier;
}

/** The ignore files the `prettier` CLI run from `root` honours. */
export function prettierIgnoreFiles(root: string): string[] {
  return [path.join(root, '.gitignore'), path.join(root, '.prettierignore')];
}

/**
 * The config file that applies in each folder, for reports. Prettier caches what `resolveConfig` finds but not
 * `resolveConfigFile`, which searched every folder up to the root for a dozen names on every file: 3.5 s of
 * `stat` calls for the 790 files of the benchmark corpus, a fifth of a worker's time. The answer depends on the
 * folder only; like Prettier's own cache it lives as long as the worker, which the front ends restart when a
 * config file changes.
 */
const configFiles = new Map<string, Promise<string | null>>();

function configFileFor(prettier: PrettierModule, file: string): Promise<string | null> {
  const folder = path.dirname(file);
  let found = configFiles.get(folder);
  if (!found) {
    found = prettier.resolveConfigFile(file);
    configFiles.set(folder, found);
    // A failed search is not kept: the next file asks again.
    found.catch(() => configFiles.delete(folder));
  }
  return found;
}

/** Formats like the `prettier` CLI run from `root`: same ignore files, same config and editorconfig lookup. */
export async function formatWithPrettier(file: string, text: string, root: string): Promise<FileOutcome<{ output: string; tool: ToolInfo }>> {
  const { prettier, source } = await loadedFor(root);
  const info = await prettier.getFileInfo(file, { ignorePath: prettierIgnoreFiles(root) });
  if (info.ignored) return { status: 'skipped', reason: l10n.t('ignored by .prettierignore or .gitignore') };
  if (!info.inferredParser) return { status: 'skipped', reason: l10n.t('Prettier has no parser for this file type') };
  const config = (await prettier.resolveConfig(file, { editorconfig: true })) ?? {};
  const configFile = (await configFileFor(prettier, file)) ?? undefined;
  const tool: ToolInfo = { name: 'Prettier', version: prettier.version, source, ...(configFile ? { config: configFile } : {}) };
  return { status: 'ok', value: { output: await prettier.format(text, { ...config, filepath: file }), tool } };
}
