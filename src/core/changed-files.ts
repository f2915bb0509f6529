import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { UsageError } from './errors';
import { isInside } from './paths';

/**
 * The files changed against a commit, asked of git itself: the CLI's
 * `--changed [REF]` and the editor's "Lint Changed Files" both come here.
 */
export interface ChangedFiles {
  /** The revision as the user named it ("HEAD", "main", "HEAD~1"). */
  readonly ref: string;
  /** The commit it names, in full. */
  readonly commit: string;
  /** The top of the working tree: it may be above the folder asked about. */
  readonly repoRoot: string;
  /**
   * Absolute paths, anywhere in the repository (a path given may lead out of
   * the folder asked about, `../shared`), each resolved from that folder:
   * tracked files that differ from the commit (staged or not) and untracked
   * files that .gitignore does not exclude. Deleted files are not in it; a
   * renamed file is under its new name.
   */
  readonly files: readonly string[];
  /** Those of `files` that are untracked. */
  readonly untracked: readonly string[];
  /**
   * Changed submodules and untracked nested repositories (absolute): git
   * names only their folder, not the files changed in them, so they are not
   * looked into, and the run says so rather than that nothing changed.
   */
  readonly repositories: readonly string[];
}

/** A revision that names no commit: a UsageError, told apart by the CLI (a path typed after `--changed` lands here). */
export class UnknownRevisionError extends UsageError {}

/** The default revision: what is not committed yet. */
export const DEFAULT_CHANGED_REF = 'HEAD';

/** A generous ceiling for git's output: a list of paths in a huge monorepo, not file contents. */
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

/**
 * Programs a repository's own config names that listing changed files does
 * not need: the file-system monitor hook (here), external diff and textconv
 * drivers (`--no-ext-diff`, `--no-textconv`). Clean filters (Git LFS) still
 * run where git must hash a file, as for `git status`: the editor asks git
 * only in a trusted workspace.
 */
const SAFE_CONFIG = ['-c', 'core.fsmonitor=false'];

interface GitOutput {
  readonly stdout: Buffer;
  readonly stderr: string;
  /** Undefined when git ran and exited 0. */
  readonly exitCode?: number;
}

/** Runs git with the given arguments in `cwd`; never through a shell, so no name is ever parsed by one. */
function git(cwd: string, args: readonly string[]): Promise<GitOutput> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...SAFE_CONFIG, ...args],
      // English messages (the few we look at), no lock taken on the index while the user may be committing.
      { cwd, encoding: 'buffer', maxBuffer: MAX_OUTPUT_BYTES, env: { ...process.env, LC_ALL: 'C', LANGUAGE: 'C', GIT_OPTIONAL_LOCKS: '0' }, windowsHide: true },
      (error, stdout, stderr) => {
        const text = stderr.toString('utf8');
        if (!error) return resolve({ stdout, stderr: text });
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return reject(new UsageError(l10n.t('git was not found: finding the changed files needs git on the PATH')));
        if (typeof code === 'number') return resolve({ stdout, stderr: text, exitCode: code });
        reject(new UsageError(l10n.t('git could not be run: {0}', error.message)));
      },
    );
  });
}

/** NUL-separated names (`-z`), as they are: spaces, newlines, quotes and leading dashes need no unquoting. */
function splitNames(output: Buffer): string[] {
  const names: string[] = [];
  let start = 0;
  for (let end = output.indexOf(0); end >= 0; start = end + 1, end = output.indexOf(0, start)) {
    if (end > start) names.push(output.subarray(start, end).toString('utf8'));
  }
  return names;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.replace(/^fatal: /, '') ?? '';
}

/**
 * The top of the working tree that holds `folder`, and the folder's path
 * below it (`pkg/`, or empty at the top), or a UsageError that says why
 * there is none.
 */
async function workTree(folder: string): Promise<{ root: string; prefix: string }> {
  const top = await git(folder, ['rev-parse', '--show-toplevel']);
  if (top.exitCode === undefined) {
    // Asked apart: either may hold a newline (a folder's name), so one answer per call, less its last newline.
    const prefix = await git(folder, ['rev-parse', '--show-prefix']);
    if (prefix.exitCode !== undefined) throw new UsageError(l10n.t('git cannot read the repository of {0}: {1}', folder, firstLine(prefix.stderr)));
    return { root: top.stdout.toString('utf8').replace(/\n$/, ''), prefix: prefix.stdout.toString('utf8').replace(/\n$/, '') };
  }
  if (/not a git repository/i.test(top.stderr)) throw new UsageError(l10n.t('{0} is not in a git repository: changed files are those git reports, so there are none to find', folder));
  throw new UsageError(l10n.t('git cannot read the repository of {0}: {1}', folder, firstLine(top.stderr)));
}

/**
 * The commit `ref` names. `--end-of-options` keeps a name that starts with
 * a dash (`--output=/tmp/x`) a name, never an option of git's.
 */
async function resolveCommit(folder: string, ref: string): Promise<string> {
  if (ref === '' || ref.includes('\0')) throw new UsageError(l10n.t('--changed needs a revision (a branch, a tag, a commit), or none for HEAD'));
  const parsed = await git(folder, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  if (parsed.exitCode === undefined) return parsed.stdout.toString('utf8').trim();
  if (ref === DEFAULT_CHANGED_REF) throw new UsageError(l10n.t('HEAD has no commit yet (a new repository): commit once, or name the revision to compare with'));
  throw new UnknownRevisionError(l10n.t('unknown revision "{0}": not a commit in this repository', ref));
}

/** Runs a git command that lists names, or fails with what git said. */
async function listNames(folder: string, args: readonly string[]): Promise<string[]> {
  const listed = await git(folder, args);
  if (listed.exitCode !== undefined) throw new UsageError(l10n.t('git {0} failed: {1}', args[0] ?? '', firstLine(listed.stderr)));
  return splitNames(listed.stdout);
}

/**
 * The files of the repository that holds `folder` changed against `ref`
 * (default HEAD), plus the untracked ones, honouring .gitignore. The whole
 * repository, not only the folder: the paths a run is given may lead out of
 * the folder (`lint ../shared --changed` in a package of a monorepo), and
 * discovery narrows the list to the files the run covers anyway.
 */
export async function changedFiles(folder: string, ref: string = DEFAULT_CHANGED_REF): Promise<ChangedFiles> {
  const { root: repoRoot, prefix } = await workTree(folder);
  const commit = await resolveCommit(folder, ref);
  // The commit's full hash goes to git diff: nothing the user typed is an argument there. Both list
  // names from the top (diff's default, `--full-name` with the top's pathspec `:/` for ls-files).
  const [tracked, untracked] = await Promise.all([
    listNames(folder, ['diff', '--name-only', '-z', '--no-renames', '--diff-filter=d', '--no-ext-diff', '--no-textconv', commit, '--']),
    listNames(folder, ['ls-files', '--others', '--exclude-standard', '--full-name', '-z', '--', ':/']),
  ]);
  // Resolved from the folder as given, not from `repoRoot` (git's real path): discovery names files
  // from the folder, which may be reached through a symbolic link (a workspace opened by a link).
  const fromFolder = (name: string): string => path.resolve(folder, path.posix.relative(prefix, name));
  const all = [...new Set([...tracked, ...untracked].map(fromFolder))].sort();
  // A submodule is listed by its folder (a gitlink), an untracked nested repository as "dir/".
  const repositories = all.filter(isFolder);
  const files = all.filter((file) => !repositories.includes(file));
  return { ref, commit, repoRoot, files, untracked: untracked.map(fromFolder).filter((file) => !repositories.includes(file)), repositories };
}

function isFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** Only the changed files inside `dir` (a workspace folder below the repository's root): what a run there can take. */
export function changedInside(changed: ChangedFiles, dir: string): ChangedFiles {
  const inside = (file: string): boolean => isInside(file, dir);
  return { ...changed, files: changed.files.filter(inside), untracked: changed.untracked.filter(inside), repositories: changed.repositories.filter(inside) };
}

/** "5 changed files against HEAD (1a2b3c4d), 2 of them untracked": for a summary line. */
export function describeChanged(changed: ChangedFiles): string {
  const [n, ref, commit, untracked] = [changed.files.length, changed.ref, changed.commit.slice(0, 8), changed.untracked.length];
  if (untracked > 0) {
    return n === 1
      ? l10n.t('{0} changed file against {1} ({2}), {3} of them untracked', n, ref, commit, untracked)
      : l10n.t('{0} changed files against {1} ({2}), {3} of them untracked', n, ref, commit, untracked);
  }
  return n === 1 ? l10n.t('{0} changed file against {1} ({2})', n, ref, commit) : l10n.t('{0} changed files against {1} ({2})', n, ref, commit);
}

/** "; not looked into: 1 changed submodule or nested repository (vendor/lib)", or nothing: ends a message about the changed files. */
export function describeNested(changed: ChangedFiles): string {
  const n = changed.repositories.length;
  if (n === 0) return '';
  const names = changed.repositories.map((r) => path.relative(changed.repoRoot, r) || '.').join(', ');
  // A clause that ends the sentence before it. Its "; " stays out of the translation: the editor turns it into ": "
  // (src/extension/changed-targets.ts), which a translated separator would defeat.
  const clause =
    n === 1
      ? l10n.t({ message: 'not looked into: {0} changed submodule or nested repository ({1})', args: [n, names], comment: ['ends a sentence about the changed files, after a semicolon'] })
      : l10n.t({ message: 'not looked into: {0} changed submodules or nested repositories ({1})', args: [n, names], comment: ['ends a sentence about the changed files, after a semicolon'] });
  return `; ${clause}`;
}
