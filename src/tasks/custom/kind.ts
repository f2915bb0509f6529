import * as os from 'node:os';
import * as l10n from '@vscode/l10n';
import * as z from 'zod/mini';
import type { ExternalRun, TaskKind } from '../../core/task-api';
import { problemsLine } from '../summary-lines';
import { CommandExecutor, type CommandExecutorOptions, type CommandValue } from './command-executor';
import { loadTasks, resolveTask, type ResolvedTask } from './definition';

const customOptionsSchema = z.strictObject({
  /** Its name in the folder's .vscode/parallel-tasks.json. */
  task: z.string(),
});

export type CustomOptions = z.infer<typeof customOptionsSchema>;

/**
 * A command from a folder's .vscode/parallel-tasks.json, run over batches of
 * files by its own executor (child processes, not our workers); its problems
 * are shown like ESLint's. Never cached: the program's inputs are unknown to us.
 */
export const customKind: TaskKind<CustomOptions, CommandValue> = {
  name: 'custom',
  get title() {
    return l10n.t({ message: 'Custom task', comment: ['the name of a task kind, in titles'] });
  },
  pastTense: 'Ran',
  options: customOptionsSchema,
  // The task's own `include` decides, folder by folder (see external()).
  defaultInclude: () => [],
  // The task file names a program to run: that is workspace code.
  loadsWorkspaceCode: () => true,
  executedFiles: () => [],
  // A task is named, not located: each checkout reads its own .vscode/parallel-tasks.json.
  mapOptionPaths: (options) => options,
  mapValuePaths: (value, map) => ({ ...value, problems: value.problems.map((problem) => ({ ...problem, file: map(problem.file) })) }),
  isolation: () => ({ setting: 'custom', fallback: 'thread' }),
  fragile: () => false,
  symlinks: 'follow',
  // External programs read the files on disk, so unsaved editor text cannot reach them.
  unsavedText: false,
  external: async (options, root) => {
    const definition = (await loadTasks(root)).find((t) => t.name === options.task);
    if (!definition) return { skip: l10n.t('no custom task named "{0}"', options.task) };
    return commandRun(resolveTask(definition, os.availableParallelism()), root);
  },
  results: {
    view: 'problems',
    problems: (value) => value.problems.map(({ file: _file, ...problem }) => problem),
    diagnostics: (options) => ({ collection: `parallel-tasks: ${options.task}`, source: options.task, failure: l10n.t('{0} failed on this file', options.task) }),
  },
  summaryLine: problemsLine,
};

/** A resolved task's executor and limits, as the planner takes them; the CLI applies its overrides to the task first. */
export function commandRun(task: ResolvedTask, root: string, options: CommandExecutorOptions = {}): ExternalRun & { readonly executor: CommandExecutor } {
  const executor = new CommandExecutor(task, root, options);
  return {
    executor,
    include: task.include,
    exclude: task.exclude,
    timeoutMs: task.timeoutMs,
    batchFiles: task.batchSize,
    // The program's own words for an invocation that failed: Problems shows the files, the log what it said.
    failures: () =>
      executor
        .invocations()
        .filter((invocation) => invocation.status !== 'ok')
        .map((invocation) => `${task.name} on ${invocation.files.length} file(s) ${invocation.error ?? invocation.status}:\n${invocation.output.trimEnd()}`),
  };
}
