import * as l10n from '@vscode/l10n';

/**
 * Named error classes. Errors cross the worker boundary as plain objects
 * (name + message), so classification is by `name`, never by `instanceof`.
 */

/** Bad command-line usage: exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * A configuration problem that makes the whole run meaningless (an ESLint config
 * that does not load, a codemod that does not compile): exit code 2.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) {
    return String((error as { message: unknown }).message);
  }
  return String(error);
}

export function errorName(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'name' in error) {
    const name = (error as { name: unknown }).name;
    return typeof name === 'string' ? name : undefined;
  }
  return undefined;
}

/**
 * Paths or globs the user gave that matched no file. A run over them would
 * check nothing, so it must not end as a success: exit code 2, one line per
 * path, as the eslint CLI does.
 */
export class UnmatchedPathsError extends Error {
  override readonly name = 'UnmatchedPathsError';

  constructor(readonly unmatched: readonly { readonly path: string; readonly reason: string }[]) {
    super(unmatched.map(describeUnmatched).join('\n'));
  }
}

export function describeUnmatched(entry: { readonly path: string; readonly reason: string }): string {
  return l10n.t('No files matching "{0}" were found: {1}.', entry.path, entry.reason);
}

/**
 * A worker died because its heap reached the cap while processing a file:
 * reported on the file as it is (it names the cap), not as a crash.
 */
export class WorkerOutOfMemoryError extends Error {
  override readonly name = 'WorkerOutOfMemoryError';
}

/**
 * The machines running a queued batch stopped answering (killed, hung, their network gone) so many times that
 * the queue gave up on it. Its message says so in words. A batch of one file has by then been run alone on
 * each of those workers, which is as much proof as a local file that crashed its worker twice.
 */
export class BatchStalledError extends Error {
  override readonly name = 'BatchStalledError';
}
