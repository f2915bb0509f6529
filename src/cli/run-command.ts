import * as os from 'node:os';
import { UsageError } from '../core/errors';
import { CommandExecutor, type CommandValue } from '../tasks/custom/command-executor';
import { loadTasks, resolveTask, TASKS_FILE } from '../tasks/custom/definition';
import { runCliJob, type CommonOptions } from './job';
import { assertNotFailed, describeProblems, describeRun, EXIT_CANCELLED, relative } from './summary';

export interface RunCommandOptions extends CommonOptions {
  readonly format: string;
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
  const task = resolveTask(definition, os.availableParallelism());
  const executor = new CommandExecutor(options.workers === undefined ? task : { ...task, concurrency: Math.max(1, Number(options.workers) || task.concurrency) }, cwd);
  const result = await runCliJob<CommandValue>(
    {
      kind: 'custom',
      paths,
      options: { task: task.name },
      defaultInclude: task.include,
      external: { executor, batchFiles: task.batchSize, timeoutMs: task.timeoutMs },
    },
    // The task's own globs decide which files it sees; --include/--exclude narrow them further.
    { ...options, exclude: [...task.exclude, ...(options.exclude ?? [])] },
  );
  assertNotFailed(result);
  const records = result.state.results();
  const problems = records.flatMap((r) => (r.outcome?.status === 'ok' ? r.outcome.value.problems : []));
  const truncated = records.some((r) => r.outcome?.status === 'ok' && r.outcome.value.truncated);
  if (options.format === 'json') {
    const errors = records.filter((r) => r.status === 'failed').map((r) => ({ path: r.path, error: r.outcome?.status === 'error' ? r.outcome.message : 'failed' }));
    process.stdout.write(`${JSON.stringify({ task: task.name, problems, errors, truncated }, null, 2)}\n`);
  } else {
    const lines = problems.map((p) => `${relative(p.file)}:${p.line}:${p.column}: ${p.severity}: ${p.message}${p.code ? ` [${p.code}]` : ''}`);
    if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
    for (const line of describeProblems(records, false)) process.stderr.write(`${line}\n`);
    if (truncated) process.stderr.write('warning: some output was longer than maxOutputBytes; problems past that point were not read\n');
    const errors = problems.filter((p) => p.severity === 'error').length;
    process.stderr.write(`${describeRun(`${task.name}:`, result)}; ${errors} error${errors === 1 ? '' : 's'}, ${problems.length - errors} other problem${problems.length - errors === 1 ? '' : 's'}\n`);
  }
  if (result.outcome.phase === 'cancelled') return EXIT_CANCELLED;
  const failed = records.some((r) => r.status === 'failed');
  return failed || problems.some((p) => p.severity === 'error') ? 1 : 0;
}
