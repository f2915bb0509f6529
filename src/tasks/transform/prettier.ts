import * as path from 'node:path';
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

/** Formats like the `prettier` CLI run from `root`: same ignore files, same config and editorconfig lookup. */
export async function formatWithPrettier(file: string, text: string, root: string): Promise<FileOutcome<{ output: string; tool: ToolInfo }>> {
  const { prettier, source } = await loadedFor(root);
  const info = await prettier.getFileInfo(file, { ignorePath: prettierIgnoreFiles(root) });
  if (info.ignored) return { status: 'skipped', reason: 'ignored by .prettierignore or .gitignore' };
  if (!info.inferredParser) return { status: 'skipped', reason: 'Prettier has no parser for this file type' };
  const config = (await prettier.resolveConfig(file, { editorconfig: true })) ?? {};
  const configFile = (await prettier.resolveConfigFile(file)) ?? undefined;
  const tool: ToolInfo = { name: 'Prettier', version: prettier.version, source, ...(configFile ? { config: configFile } : {}) };
  return { status: 'ok', value: { output: await prettier.format(text, { ...config, filepath: file }), tool } };
}
