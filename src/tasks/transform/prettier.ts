import * as path from 'node:path';
import type * as Prettier from 'prettier';
import type { FileOutcome } from '../../core/types';
import { importModule, resolveTool } from '../resolve-tool';

type PrettierModule = typeof Prettier;

/** Warm state: the Prettier module per root (the project's own, or ours). */
const modules = new Map<string, Promise<PrettierModule>>();

/** The Prettier that formats for `root`; the result cache keys on what this same module resolves. */
export function prettierFor(root: string): Promise<PrettierModule> {
  let mod = modules.get(root);
  if (!mod) {
    mod = importModule<PrettierModule>(resolveTool('prettier', root).entry);
    modules.set(root, mod);
  }
  return mod;
}

/** The ignore files the `prettier` CLI run from `root` honours. */
export function prettierIgnoreFiles(root: string): string[] {
  return [path.join(root, '.gitignore'), path.join(root, '.prettierignore')];
}

/** Formats like the `prettier` CLI run from `root`: same ignore files, same config and editorconfig lookup. */
export async function formatWithPrettier(file: string, text: string, root: string): Promise<FileOutcome<string>> {
  const prettier = await prettierFor(root);
  const info = await prettier.getFileInfo(file, { ignorePath: prettierIgnoreFiles(root) });
  if (info.ignored) return { status: 'skipped', reason: 'ignored by .prettierignore or .gitignore' };
  if (!info.inferredParser) return { status: 'skipped', reason: 'Prettier has no parser for this file type' };
  const config = (await prettier.resolveConfig(file, { editorconfig: true })) ?? {};
  return { status: 'ok', value: await prettier.format(text, { ...config, filepath: file }) };
}
