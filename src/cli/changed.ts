import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { isDynamicPattern } from 'globby';
import { changedFiles, DEFAULT_CHANGED_REF, describeChanged, describeNested, UnknownRevisionError, type ChangedFiles } from '../core/changed-files';
import { UsageError } from '../core/errors';

/** `--changed` without a value is `true` (commander's way for an optional value): against HEAD. */
export type ChangedFlag = string | boolean | undefined;

/**
 * The files `--changed [REF]` selects, asked of git in the current folder,
 * or undefined without the flag. Says on stderr what was selected, so that a
 * log shows which files a CI step looked at.
 */
export async function changedSelection(flag: ChangedFlag, cwd: string): Promise<ChangedFiles | undefined> {
  if (flag === undefined || flag === false) return undefined;
  const ref = flag === true ? DEFAULT_CHANGED_REF : flag;
  const changed = await changedFiles(cwd, ref).catch((error: unknown) => {
    // `lint --changed src`: commander gives an optional value the next word, so the folder became the revision.
    if (error instanceof UnknownRevisionError && (existsSync(path.resolve(cwd, ref)) || isDynamicPattern(ref))) {
      const what = existsSync(path.resolve(cwd, ref)) ? 'a file or folder here' : 'a glob';
      throw new UsageError(`--changed took "${ref}" as the revision to compare with, but it is ${what}: name the paths first (${ref} --changed), or the revision too (--changed HEAD ${ref})`);
    }
    throw error;
  });
  if (changed.files.length > 0) process.stderr.write(`parallel-tasks: ${describeChanged(changed)}${describeNested(changed)}\n`);
  return changed;
}

/** `--changed` found no file to check, and the run was not told that this is fine: exit code 2. */
export class NothingCheckedError extends Error {
  override readonly name = 'NothingCheckedError';
}

/**
 * A run of changed files that found none to check says plainly that it
 * checked nothing and why: nothing changed, or nothing that changed is a file
 * of this run. Like any run that checked nothing, it is not a pass (exit 2),
 * unless `--pass-on-no-changes` says that nothing to check is fine here (a CI
 * step on a change that touched only documentation), as ESLint's
 * `--pass-on-no-patterns` does; then it exits 0, still saying so.
 */
export function reportNothingChecked(changed: ChangedFiles | undefined, filesInRun: number, passOnNoChanges: boolean): void {
  if (!changed || filesInRun > 0) return;
  const why =
    changed.files.length === 0
      ? `no changed files against ${changed.ref} (${changed.commit.slice(0, 8)})`
      : `none of the ${describeChanged(changed)} is among the files to check here (the paths given, --include, --exclude, .gitignore)`;
  const message = `${why}: nothing was checked${describeNested(changed)}`;
  if (!passOnNoChanges) throw new NothingCheckedError(`${message} (--pass-on-no-changes makes this exit 0)`);
  process.stderr.write(`parallel-tasks: ${message}\n`);
}
