import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { globby, isDynamicPattern, convertPathToPattern } from 'globby';
import { isBinaryFile } from 'isbinaryfile';
import pMap from 'p-map';
import { TEMP_FILE_GLOB } from './temp-files';
import type { DiscoveredFile, SkippedFile } from './types';

export interface DiscoveryOptions {
  /** Relative paths and globs are resolved against this folder; .gitignore files are read from here down. */
  readonly cwd: string;
  /** Files, folders or globs. An empty list means the whole `cwd`. */
  readonly paths: readonly string[];
  /** Globs (relative to each folder searched) a file must match when found inside a folder. */
  readonly include: readonly string[];
  /** Globs that remove files, applied everywhere. */
  readonly exclude: readonly string[];
  readonly gitignore: boolean;
  /** Files larger than this are skipped, not processed. */
  readonly maxFileSize: number;
}

export interface DiscoveryResult {
  readonly files: DiscoveredFile[];
  readonly skipped: SkippedFile[];
  /** Paths given explicitly that do not exist. */
  readonly missing: string[];
}

/** Folders no task should ever walk into. */
const ALWAYS_EXCLUDED = ['**/node_modules/**', '**/.git/**', TEMP_FILE_GLOB];

/** How many files are probed for binary content at once: I/O bound, so a modest limit is enough. */
const PROBE_CONCURRENCY = 32;

export async function discoverFiles(options: DiscoveryOptions): Promise<DiscoveryResult> {
  const requested = options.paths.length > 0 ? options.paths : ['.'];
  const patterns: string[] = [];
  const explicitFiles: string[] = [];
  const missing: string[] = [];

  for (const entry of requested) {
    if (isDynamicPattern(entry)) {
      patterns.push(entry);
      continue;
    }
    const absolute = path.resolve(options.cwd, entry);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) {
      missing.push(entry);
    } else if (info.isDirectory()) {
      const base = convertPathToPattern(path.relative(options.cwd, absolute) || '.');
      for (const include of options.include) patterns.push(path.posix.join(base, include));
    } else {
      // A file named on purpose is taken even if it does not match `include`,
      // as the eslint and prettier CLIs do.
      explicitFiles.push(absolute);
    }
  }

  const found =
    patterns.length === 0
      ? []
      : await globby(patterns, {
          cwd: options.cwd,
          absolute: true,
          onlyFiles: true,
          dot: false,
          followSymbolicLinks: false,
          gitignore: options.gitignore,
          ignore: [...ALWAYS_EXCLUDED, ...options.exclude],
        });

  const unique = [...new Set([...explicitFiles, ...found.map((p) => path.normalize(p))])].sort();
  const files: DiscoveredFile[] = [];
  const skipped: SkippedFile[] = [];

  const verdicts = await pMap(unique, (file) => probeFile(file, options.maxFileSize), {
    concurrency: PROBE_CONCURRENCY,
  });
  for (const verdict of verdicts) {
    if ('reason' in verdict) skipped.push(verdict);
    else files.push(verdict);
  }

  return { files, skipped, missing };
}

async function probeFile(file: string, maxFileSize: number): Promise<DiscoveredFile | SkippedFile> {
  try {
    const info = await stat(file);
    if (info.size > maxFileSize) {
      return { path: file, reason: `larger than the size limit (${info.size} > ${maxFileSize} bytes)` };
    }
    if (info.size > 0 && (await isBinaryFile(file, info.size))) {
      return { path: file, reason: 'binary file' };
    }
    return { path: file, size: info.size, mtimeMs: info.mtimeMs };
  } catch (error) {
    return { path: file, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
}
