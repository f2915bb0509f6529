import * as path from 'node:path';
import { isGitIgnored } from 'globby';
import picomatch from 'picomatch';
import { ALWAYS_EXCLUDED } from './discovery';
import { isInside } from './paths';

export interface WalkFilterOptions {
  readonly cwd: string;
  /** The globs a walked file must match (already the kind's own when the user gave none). */
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly gitignore: boolean;
}

/**
 * Whether a folder walk of `discoverFiles` would take a file, decided for one
 * file at a time: a saved file is checked as part of the workspace only when a
 * workspace run would have checked it. Built once per folder and settings (the
 * .gitignore files are read then), so that each save costs a few glob matches.
 */
export async function walkFilter(options: WalkFilterOptions): Promise<(file: string) => boolean> {
  // As discovery: dot:false (dotfiles and dot folders are not walked into), and globs that leave the folder match nothing.
  const usable = options.include.filter((glob) => !path.isAbsolute(glob) && !glob.split('/').includes('..'));
  const included = usable.length > 0 ? picomatch(usable, { dot: false }) : (): boolean => false;
  const excluded = picomatch([...ALWAYS_EXCLUDED, ...options.exclude], { dot: true });
  const ignored = options.gitignore ? await isGitIgnored({ cwd: options.cwd }) : undefined;
  return (file) => {
    if (!isInside(file, options.cwd) || file === options.cwd) return false;
    const relative = path.relative(options.cwd, file).split(path.sep).join('/');
    if (!included(relative) || excluded(relative)) return false;
    return !ignored?.(file);
  };
}
