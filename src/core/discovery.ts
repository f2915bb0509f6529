import { lstat, realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { globby, isDynamicPattern, convertPathToPattern } from 'globby';
import * as l10n from '@vscode/l10n';
import { isBinaryFile } from 'isbinaryfile';
import pMap from 'p-map';
import { isInside } from './paths';
import { binaryFileReason } from './source-file';
import { TEMP_FILE_GLOB } from './temp-files';
import type { DiscoveredFile, SkippedFile } from './types';

/**
 * What to do with a symbolic link to a file. `follow`: take it under its own
 * name when its target is inside the folder, as ESLint does; `skip`: never
 * (transforms: a link is never written through; its target is transformed
 * only when it is among the files the run found). A link to something outside
 * the folder is never followed, nor a folder reached through a linked folder
 * that leads outside.
 */
export type SymlinkPolicy = 'follow' | 'skip';

export interface DiscoveryOptions {
  /**
   * The one base: relative paths, globs, `include` and `exclude` are all
   * resolved against this folder; .gitignore files are read from here down.
   */
  readonly cwd: string;
  /** Files, folders or globs. An empty list means the whole `cwd`. */
  readonly paths: readonly string[];
  /** Globs (relative to `cwd`) a file must match when found inside a folder. */
  readonly include: readonly string[];
  /** Globs (relative to `cwd`) that remove files, applied everywhere. */
  readonly exclude: readonly string[];
  readonly gitignore: boolean;
  /** Files larger than this are skipped, not processed. */
  readonly maxFileSize: number;
  readonly symlinks?: SymlinkPolicy;
  /**
   * Never take a file outside `cwd`, even one named explicitly (the editor:
   * its paths come from settings and messages, not from a person typing a
   * command line).
   */
  readonly confine?: boolean;
  /**
   * Absolute paths: of the files found, only these are taken (`--changed`:
   * git's list of changed files, narrowed by the paths, globs and settings as
   * usual). A path that matches files, none of them in the list, is not an
   * error: it checked nothing because nothing in it changed.
   */
  readonly only?: readonly string[];
  /**
   * Files in `paths` count as found by walking their folder, not as named on purpose (keeping Problems
   * current: a saved file gets the answer a workspace run gives, so ESLint's ignores drop it silently).
   * The caller has checked them against `include`, `exclude` and .gitignore (see walk-filter.ts).
   */
  readonly asWalked?: boolean;
}

/** A path or glob the user gave that yielded no file at all, with why. */
export interface UnmatchedPath {
  readonly path: string;
  readonly reason: string;
}

export interface DiscoveryResult {
  readonly files: DiscoveredFile[];
  readonly skipped: SkippedFile[];
  /** Paths and globs that matched nothing: a run over them would check nothing, so front ends treat them as errors. */
  readonly unmatched: UnmatchedPath[];
}

/** Folders no task should ever walk into. */
export const ALWAYS_EXCLUDED = ['**/node_modules/**', '**/.git/**', TEMP_FILE_GLOB];

/** How many files are probed for binary content at once: I/O bound, so a modest limit is enough. */
const PROBE_CONCURRENCY = 32;

/** A candidate found for one requested path, before it is probed. */
interface Candidate {
  readonly path: string;
  /** Named on purpose (not found by walking a folder or expanding a glob). */
  readonly explicit: boolean;
  /** Set when the candidate is a symbolic link. */
  readonly link?: boolean;
  /** Set when a folder on its path is a symbolic link to outside the folder: where it really is. */
  readonly outsideAt?: string;
}

type Entry = { readonly candidates: Candidate[]; readonly unmatched?: string };

/** The options of one discovery, with what every step needs worked out once. */
interface Context extends DiscoveryOptions {
  /** `cwd` with its symbolic links resolved: what "inside the folder" is checked against. */
  readonly realCwd: string;
}

export async function discoverFiles(given: DiscoveryOptions): Promise<DiscoveryResult> {
  const options: Context = { ...given, realCwd: await realpath(given.cwd) };
  const requested = options.paths.length > 0 ? options.paths : ['.'];
  const expanded = await Promise.all(requested.map((entry) => expandEntry(entry, options)));
  const unmatched: UnmatchedPath[] = [];
  expanded.forEach((entry, i) => {
    const name = requested[i] as string;
    if (entry.unmatched !== undefined) unmatched.push({ path: name, reason: entry.unmatched });
    else if (entry.candidates.length === 0) unmatched.push({ path: name, reason: noMatchReason(name, options) });
  });
  const entries = options.only ? await keepOnly(expanded, options.only) : expanded;
  const byPath = new Map<string, Candidate>();
  entries.forEach((entry) => {
    for (const candidate of entry.candidates) {
      // Named on purpose wins over found by walking: it decides how ignored files are reported.
      if (!byPath.get(candidate.path)?.explicit) byPath.set(candidate.path, candidate);
    }
  });

  const unique = [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const verdicts = await pMap(unique, (candidate) => probeFile(candidate, options), { concurrency: PROBE_CONCURRENCY });
  const files: DiscoveredFile[] = [];
  const skipped: SkippedFile[] = [];
  const skipReason = new Map<string, string>();
  for (const verdict of verdicts) {
    if ('reason' in verdict) {
      skipped.push(verdict);
      skipReason.set(verdict.path, verdict.reason);
    } else {
      files.push(verdict);
    }
  }
  // A path all of whose files are skipped here (binary, too large, links) would be checked not at all.
  entries.forEach((entry, i) => {
    if (entry.unmatched !== undefined || entry.candidates.length === 0) return;
    const reasons = entry.candidates.map((c) => skipReason.get(c.path));
    if (reasons.every((r) => r !== undefined)) unmatched.push({ path: requested[i] as string, reason: l10n.t('every file it matched was skipped ({0})', countReasons(reasons as string[])) });
  });
  return { files, skipped, unmatched };
}

/**
 * Each entry's candidates that are in `only`; an entry left without any has
 * nothing more to report. Compared by where each file's folder really is: a
 * path given through a linked folder (a shell's logical `$PWD`), or a folder
 * opened through a link, names the same files git names by their real path.
 */
async function keepOnly(entries: readonly Entry[], only: readonly string[]): Promise<Entry[]> {
  const realFolders = new Map<string, Promise<string>>();
  const realName = async (file: string): Promise<string> => {
    const dir = path.dirname(file);
    let real = realFolders.get(dir);
    if (!real) realFolders.set(dir, (real = realpath(dir).catch(() => dir)));
    return path.join(await real, path.basename(file));
  };
  const wanted = new Set([...only, ...(await Promise.all(only.map(realName)))]);
  // Only a file whose own name is a changed file's is looked up by its folder's real path: most are not.
  const names = new Set(only.map((file) => path.basename(file)));
  const keep = async (file: string): Promise<boolean> => wanted.has(file) || (names.has(path.basename(file)) && wanted.has(await realName(file)));
  return Promise.all(
    entries.map(async (entry) => {
      if (entry.unmatched !== undefined) return entry;
      const kept = await Promise.all(entry.candidates.map((c) => keep(c.path)));
      return { candidates: entry.candidates.filter((_, i) => kept[i]) };
    }),
  );
}

/**
 * "2 binary file, 1 symbolic link loop": skip reasons counted. A reason keeps
 * what differs per file (a size, a link's target) in parentheses at its end,
 * which is left out here (their translations are asked to keep it there).
 */
export function countReasons(reasons: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const reason of reasons) {
    const general = reason.replace(/ \(.*\)$/s, '');
    counts.set(general, (counts.get(general) ?? 0) + 1);
  }
  return [...counts].map(([reason, n]) => l10n.t({ message: '{0} {1}', args: [n, reason], comment: ['{0} is a number of files, {1} why they were skipped ("2 binary file"); such counts are listed with commas'] })).join(', ');
}

function noMatchReason(entry: string, options: DiscoveryOptions): string {
  return isDynamicPattern(entry) || options.include.length === 0
    ? l10n.t('no files match it')
    : l10n.t('no files in it match {0} (globs relative to {1})', options.include.join(', '), options.cwd);
}

async function expandEntry(entry: string, options: Context): Promise<Entry> {
  const absolute = path.resolve(options.cwd, entry);
  // lstat first: a file whose name contains glob characters (`[id].js`) is that file, not a pattern.
  const info = await lstat(absolute).catch(() => undefined);
  if (!info) {
    if (isDynamicPattern(entry)) return { candidates: await globCandidates([entry], options, undefined) };
    return { candidates: [], unmatched: l10n.t('no such file or folder') };
  }
  if (options.confine && !isInside(absolute, options.cwd)) return { candidates: [], unmatched: l10n.t('outside the folder') };
  if (info.isSymbolicLink()) return expandLink(absolute, options);
  // Named inside the folder but reached through a linked folder that leads out of it.
  const real = await realpath(absolute);
  if (isInside(absolute, options.cwd) && !isInside(real, options.realCwd)) {
    return { candidates: [], unmatched: l10n.t('is inside a symbolic link to a folder outside the folder (it is {0})', real) };
  }
  if (info.isDirectory()) return { candidates: await folderCandidates(absolute, options) };
  // A file named on purpose is taken even if it does not match `include`, as the eslint and prettier CLIs do.
  return { candidates: [{ path: absolute, explicit: options.asWalked !== true }] };
}

/** A symbolic link named on purpose: followed only to a target inside the folder, and never for transforms (as the prettier CLI refuses). */
async function expandLink(absolute: string, options: Context): Promise<Entry> {
  const target = await realpath(absolute).catch((error: NodeJS.ErrnoException) => error);
  if (target instanceof Error) return { candidates: [], unmatched: target.code === 'ELOOP' ? l10n.t('is a symbolic link loop') : l10n.t('is a broken symbolic link') };
  if ((options.symlinks ?? 'follow') === 'skip') return { candidates: [], unmatched: l10n.t('is a symbolic link (to {0}); name the file itself', target) };
  if (!isInside(target, options.realCwd)) return { candidates: [], unmatched: l10n.t('is a symbolic link to {0}, outside the folder', target) };
  const info = await stat(target);
  if (info.isDirectory()) return { candidates: await folderCandidates(target, options) };
  return { candidates: [{ path: absolute, explicit: options.asWalked !== true, link: true }] };
}

/**
 * The files inside `folder` that match `include`. The globs are relative to
 * `cwd` (one base for every option); a glob that starts with `**` is anchored
 * at the folder so that only the folder is walked.
 */
async function folderCandidates(folder: string, options: Context): Promise<Candidate[]> {
  const relative = path.relative(options.cwd, folder);
  const base = relative === '' ? '' : `${convertPathToPattern(relative)}/`;
  const anchored: string[] = [];
  const fromCwd: string[] = [];
  for (const include of options.include) {
    // Relative to the folder, and inside it: a glob that is absolute or climbs out with .. would reach
    // files by another name than the one excludes are written against (and files outside), so it matches nothing.
    if (path.isAbsolute(include) || include.split('/').includes('..')) continue;
    if (include.startsWith('**/') || include === '**') anchored.push(`${base}${include}`);
    else fromCwd.push(include);
  }
  const found = [...(await globCandidates(anchored, options, undefined)), ...(await globCandidates(fromCwd, options, folder))];
  return found;
}

async function globCandidates(patterns: readonly string[], options: Context, within: string | undefined): Promise<Candidate[]> {
  if (patterns.length === 0) return [];
  const entries = await globby([...patterns], {
    cwd: options.cwd,
    // Relative results, resolved here: fast-glob's absolute paths turn a backslash in a file name into a separator.
    absolute: false,
    onlyFiles: false,
    objectMode: true,
    dot: false,
    followSymbolicLinks: false,
    gitignore: options.gitignore,
    ignore: [...ALWAYS_EXCLUDED, ...options.exclude],
  });
  const candidates: Candidate[] = [];
  // fast-glob enters a pattern's starting folder even when it is a link: look where each folder really is.
  const realFolders = new Map<string, Promise<string>>();
  const realFolder = (dir: string): Promise<string> => {
    let real = realFolders.get(dir);
    if (!real) realFolders.set(dir, (real = realpath(dir).catch(() => dir)));
    return real;
  };
  for (const entry of entries) {
    const file = path.resolve(options.cwd, entry.path);
    if (within !== undefined && !isInside(file, within)) continue;
    if (options.confine && !isInside(file, options.cwd)) continue;
    // Folders are walked, not taken; anything else that is not a regular file (a FIFO, a socket, a device) is reported by probeFile.
    if (entry.dirent.isDirectory()) continue;
    const real = path.join(await realFolder(path.dirname(file)), path.basename(file));
    const outsideAt = isInside(file, options.cwd) && !isInside(real, options.realCwd) ? real : undefined;
    candidates.push({ path: file, explicit: false, ...(entry.dirent.isSymbolicLink() ? { link: true } : {}), ...(outsideAt ? { outsideAt } : {}) });
  }
  return candidates;
}

async function probeFile(candidate: Candidate, options: Context): Promise<DiscoveredFile | SkippedFile> {
  const file = candidate.path;
  try {
    if (candidate.outsideAt) return { path: file, reason: l10n.t({ message: 'inside a symbolic link to a folder outside the folder (it is {0})', args: [candidate.outsideAt], comment: ['a skip reason: keep the part in parentheses at the end, in parentheses (counts of reasons leave it out)'] }) };
    if (candidate.link && !candidate.explicit) {
      const why = await walkedLinkProblem(file, options);
      if (why) return { path: file, reason: why };
    }
    const info = await stat(file);
    // Reading a FIFO would wait for ever, a device (/dev/zero) would never end.
    if (!info.isFile()) return { path: file, reason: l10n.t('not a regular file') };
    if (info.size > options.maxFileSize) {
      return { path: file, reason: l10n.t({ message: 'larger than the size limit ({0} > {1} bytes)', args: [info.size, options.maxFileSize], comment: ['a skip reason: keep the part in parentheses at the end, in parentheses (counts of reasons leave it out)'] }) };
    }
    if (info.size > 0 && (await isBinaryFile(file, info.size))) {
      return { path: file, reason: binaryFileReason() };
    }
    return { path: file, size: info.size, mtimeMs: info.mtimeMs, ...(candidate.explicit ? { explicit: true } : {}) };
  } catch (error) {
    return { path: file, reason: l10n.t({ message: 'cannot be read ({0})', args: [(error as NodeJS.ErrnoException).code ?? 'error'], comment: ['a skip reason: keep the part in parentheses at the end, in parentheses (counts of reasons leave it out)'] }) };
  }
}

/** Why a symbolic link found by walking a folder is not taken, or undefined when it is. */
async function walkedLinkProblem(file: string, options: Context): Promise<string | undefined> {
  const target = await realpath(file).catch((error: NodeJS.ErrnoException) => error);
  if (target instanceof Error) return target.code === 'ELOOP' ? l10n.t('symbolic link loop') : l10n.t('broken symbolic link');
  if (!isInside(target, options.realCwd)) return l10n.t({ message: 'symbolic link outside the folder (to {0})', args: [target], comment: ['a skip reason: keep the part in parentheses at the end, in parentheses (counts of reasons leave it out)'] });
  if ((await stat(target)).isDirectory()) return l10n.t({ message: 'symbolic link to a folder (links are not followed into folders)', comment: ['a skip reason: keep the part in parentheses at the end, in parentheses (counts of reasons leave it out)'] });
  if ((options.symlinks ?? 'follow') === 'skip') return l10n.t({ message: 'symbolic link, not written through (to {0})', args: [path.relative(options.cwd, target)], comment: ['a skip reason: keep the part in parentheses at the end, in parentheses (counts of reasons leave it out)'] });
  return undefined;
}
