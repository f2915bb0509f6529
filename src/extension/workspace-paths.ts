import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isInside } from '../core/paths';

/**
 * A test for files that must lie inside one of `folders`, after resolving
 * symbolic links (a link inside the workspace to a file outside counts as
 * outside): undefined for a file inside, else its name (with the link's
 * target). The folders are resolved once, for every file asked about.
 */
export function outsideOf(folders: readonly string[]): (file: string) => string | undefined {
  const roots = folders.map(real);
  return (file) => {
    const target = real(file);
    if (roots.some((root) => isInside(target, root))) return undefined;
    // Read in the refusal a user is shown (run-controller.ts), as well as in the log.
    return target === path.resolve(file) ? file : vscode.l10n.t('{0} (a link to {1})', file, target);
  };
}

/** The first of `files` outside `folders` (see outsideOf); undefined when all are inside. */
export function firstOutside(files: readonly string[], folders: readonly string[]): string | undefined {
  const outside = outsideOf(folders);
  for (const file of files) {
    const why = outside(file);
    if (why) return why;
  }
  return undefined;
}

function real(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    // A file that does not exist yet is judged by its name; loading it will fail with its own error.
    return path.resolve(file);
  }
}
