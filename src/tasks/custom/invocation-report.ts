import * as l10n from '@vscode/l10n';
import * as path from 'node:path';
import type { Problem } from './matchers';

/** How a process ended, as Node reports it. */
export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** The problems an invocation reported, one list per file of its batch, with the totals that decide whether it passed. */
export interface GroupedProblems {
  /** Keyed by the file's absolute path, as the matcher reports it. */
  readonly byFile: ReadonlyMap<string, readonly Problem[]>;
  readonly errors: number;
  readonly others: number;
}

/** stdout, then stderr, each on lines of its own. */
export function joinOutput(stdout: string, stderr: string): string {
  if (!stdout || !stderr) return stdout || stderr;
  return stdout.endsWith('\n') ? `${stdout}${stderr}` : `${stdout}\n${stderr}`;
}

/** Problems about files outside the batch are dropped: the program may report on files it was not given. */
export function groupProblems(files: readonly string[], problems: readonly Problem[]): GroupedProblems {
  // Linear: one list per file, appended to (100,000 problems for one file are a few milliseconds).
  const byFile = new Map<string, Problem[]>(files.map((file) => [path.resolve(file), []]));
  for (const problem of problems) byFile.get(problem.file)?.push(problem);
  let errors = 0;
  let others = 0;
  for (const list of byFile.values()) {
    for (const problem of list) {
      if (problem.severity === 'error') errors++;
      else others++;
    }
  }
  return { byFile, errors, others };
}

/**
 * Many linters exit non-zero because they found errors: those errors are the
 * report. Any other non-zero exit, or a signal, is a failure; returns its
 * message, or undefined when the invocation passed.
 */
export function exitFailure(name: string, ended: ExitStatus, problems: GroupedProblems, text: string): string | undefined {
  const { code, signal } = ended;
  if (!signal && (code === 0 || problems.errors > 0)) return undefined;
  const last = text.trim().split('\n').slice(-3).join(' ').slice(0, 500);
  const others = problems.others;
  const ending = signal
    ? l10n.t('{0} was killed by {1}', name, signal)
    : others === 0
      ? l10n.t('{0} exited with code {1} and reported no problems', name, String(code))
      : others === 1
        ? l10n.t('{0} exited with code {1} and reported no error (1 other problem, in its output)', name, String(code))
        : l10n.t('{0} exited with code {1} and reported no error ({2} other problems, in its output)', name, String(code), others);
  return last ? l10n.t({ message: '{0}: {1}', args: [ending, last], comment: ['how a program failed, then the last lines of its output'] }) : ending;
}

/** The message of an invocation that ended but whose background processes held its output open until the time limit. */
export function lingeredFailure(name: string, ended: ExitStatus, seconds: number): string {
  return ended.signal
    ? l10n.t('{0} was killed by {1}, but processes it started kept its output open until the time limit ({2} s); killed them', name, ended.signal, seconds)
    : l10n.t('{0} exited with code {1}, but processes it started kept its output open until the time limit ({2} s); killed them', name, String(ended.code), seconds);
}
