import * as os from 'node:os';
import { UsageError } from '../core/errors';
import type { CommandValue, Invocation } from '../tasks/custom/command-executor';
import { commandRun } from '../tasks/custom/kind';
import { loadTasks, resolveTask, TASKS_FILE, type ResolvedTask } from '../tasks/custom/definition';
import { describeTiming } from './timing';
import { parseCount, runCliJob, type CommonOptions } from './job';
import { assertNotFailed, describeProblems, describeRun, EXIT_CANCELLED, relative, skippedFiles } from './summary';

export interface RunCommandOptions extends CommonOptions {
  readonly format: string;
  readonly verbose?: boolean;
  /** The options typed on the command line (not defaults), by their commander names. */
  readonly given?: readonly string[];
}

/**
 * `parallel-tasks run <name> [paths…]`: a custom task from the current
 * folder's .vscode/parallel-tasks.json, the same definitions the editor runs.
 */
export async function runCommand(name: string, paths: string[], options: RunCommandOptions): Promise<number> {
  if (options.format !== 'pretty' && options.format !== 'json') throw new UsageError('--format must be pretty or json for run');
  const cwd = process.cwd();
  const tasks = await loadTasks(cwd);
  const definition = tasks.find((t) => t.name === name);
  if (!definition) {
    const known = tasks.map((t) => t.name);
    throw new UsageError(known.length > 0 ? `no task named "${name}" in ${TASKS_FILE} (there are: ${known.join(', ')})` : `no custom tasks: ${TASKS_FILE} is missing or empty`);
  }
  const task = withCommandLineOverrides(resolveTask(definition, os.availableParallelism()), options);
  const external = commandRun(task, cwd, { keepOutput: options.format === 'json' || options.verbose ? 'all' : 'failures' });
  const executor = external.executor;
  // The task's own globs decide which files it sees; paths and --exclude narrow them further.
  const result = await runCliJob<CommandValue>({ kind: 'custom', paths, options: { task: task.name }, external }, options);
  assertNotFailed(result);
  const records = result.state.results();
  const problems = records.flatMap((r) => (r.outcome?.status === 'ok' ? r.outcome.value.problems : []));
  const truncated = records.some((r) => r.outcome?.status === 'ok' && r.outcome.value.truncated);
  const invocations = executor.invocations();
  const failedInvocations = invocations.filter((i) => i.status === 'failed' || i.status === 'timed out');
  if (options.format === 'json') {
    const errors = records.filter((r) => r.status === 'failed').map((r) => ({ path: r.path, error: r.outcome?.status === 'error' ? r.outcome.message : 'failed' }));
    const json = {
      task: task.name,
      problems,
      errors,
      skipped: skippedFiles(records),
      invocations: invocations.map((i) => ({ ...i, durationMs: Math.round(i.durationMs) })),
      truncated,
    };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    const lines = problems.map((p) => `${relative(p.file)}:${p.line}:${p.column}: ${p.severity}: ${p.message}${p.code ? ` [${p.code}]` : ''}`);
    if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
    for (const line of describeProblems(records, true)) process.stderr.write(`${line}\n`);
    for (const invocation of options.verbose ? invocations : failedInvocations) process.stderr.write(describeInvocation(invocation, task));
    if (truncated) process.stderr.write('warning: some output was longer than maxOutputBytes; problems past that point were not read\n');
    const errors = problems.filter((p) => p.severity === 'error').length;
    const failedNote = failedInvocations.length > 0 ? `; ${failedInvocations.length} invocation${failedInvocations.length === 1 ? '' : 's'} failed` : '';
    process.stderr.write(`${describeRun(`${task.name}:`, result)}; ${errors} error${errors === 1 ? '' : 's'}, ${problems.length - errors} other problem${problems.length - errors === 1 ? '' : 's'}${failedNote}\n`);
  }
  if (options.timing) for (const line of describeTiming('custom', result)) process.stderr.write(`${line}\n`);
  if (result.outcome.phase === 'cancelled') return EXIT_CANCELLED;
  // A failed invocation fails its files, so it is counted here too: a tool's non-zero exit never ends in 0.
  const failed = records.some((r) => r.status === 'failed');
  return failed || problems.some((p) => p.severity === 'error') ? 1 : 0;
}

/**
 * The common options, applied to a custom task or refused: none is ignored.
 * `--workers N` caps the invocations at once, `--timeout` replaces the
 * task's time limit per invocation; `--no-cache`, `--exclude`,
 * `--no-gitignore` and `--max-file-size` apply as for any command (custom
 * tasks are never cached); `--isolation`, `--cache-location` and
 * `--cache-strategy` cannot apply, and `--include` is refused: the task's own
 * `include` decides (paths and `--exclude` narrow it).
 */
function withCommandLineOverrides(task: ResolvedTask, options: RunCommandOptions): ResolvedTask {
  const given = new Set(options.given ?? []);
  if (given.has('isolation')) throw new UsageError('--isolation does not apply to run: custom tasks run as child processes, not in workers');
  if (given.has('cacheLocation')) throw new UsageError('--cache-location does not apply to run: results of custom tasks are never cached');
  if (given.has('cacheStrategy')) throw new UsageError('--cache-strategy does not apply to run: results of custom tasks are never cached');
  if (given.has('include')) throw new UsageError("--include does not apply to run: the task's own include decides; name paths or globs, or use --exclude, to narrow it");
  let { concurrency, timeoutMs } = task;
  if (given.has('workers')) {
    concurrency = parseCount(options.workers ?? '', '--workers');
    if (concurrency === 0) throw new UsageError('--workers 0 does not apply to run: custom tasks run as child processes; --workers N runs at most N at once');
  }
  if (given.has('timeout')) {
    const seconds = Number(options.timeout);
    if (!(seconds > 0)) throw new UsageError(`--timeout must be a positive number of seconds, got "${options.timeout}"`);
    timeoutMs = seconds * 1000;
  }
  return { ...task, concurrency, timeoutMs };
}


/** An invocation's output for stderr, each line behind a bar so that it cannot be taken for ours. */
function describeInvocation(invocation: Invocation, task: ResolvedTask): string {
  const shown = invocation.files.slice(0, 3).map(relative).join(', ');
  const more = invocation.files.length > 3 ? ` and ${invocation.files.length - 3} more` : '';
  const ended = invocation.signal ? `killed by ${invocation.signal}` : invocation.exitCode === null ? invocation.status : `exit code ${invocation.exitCode}`;
  const lines = invocation.output.replace(/\n$/, '').split('\n');
  const body = invocation.output ? lines.map((line) => `  | ${line}`).join('\n') : '  (no output)';
  const cut = invocation.truncated ? `\n  (cut at ${task.maxOutputBytes} bytes per stream)` : '';
  return `output of ${task.name} on ${shown}${more} (${invocation.status}, ${ended}):\n${body}${cut}\n`;
}
