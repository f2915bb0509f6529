import { realpathSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The files a run would load and execute: an ESLint config given by setting,
 * a codemod. Options are the run's own (see RunRequest.options).
 */
export function executedPaths(options: unknown): string[] {
  if (typeof options !== 'object' || options === null) return [];
  const { configFile, codemod } = options as { configFile?: unknown; codemod?: unknown };
  return [configFile, codemod].filter((p): p is string => typeof p === 'string' && p.length > 0);
}

/**
 * The first of `files` that does not lie inside one of `folders`, after
 * resolving symbolic links (a link inside the workspace to a file outside
 * counts as outside), named with the link's target; undefined when all are inside.
 */
export function firstOutside(files: readonly string[], folders: readonly string[]): string | undefined {
  const roots = folders.map(real);
  for (const file of files) {
    const target = real(file);
    const inside = roots.some((root) => {
      const relative = path.relative(root, target);
      return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
    });
    if (!inside) return target === path.resolve(file) ? file : `${file} (a link to ${target})`;
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
