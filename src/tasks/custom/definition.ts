import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { ConfigError } from '../../core/errors';
import { compileCommandLine } from './command-line';

/**
 * Custom tasks live in `.vscode/parallel-tasks.json` of a workspace folder:
 * one file that the editor (with completion and errors from the contributed
 * JSON schema, generated from this one) and the CLI both read.
 */
export const TASKS_FILE = path.join('.vscode', 'parallel-tasks.json');

// zod/mini ships without messages; users editing the file need them in words.
// Only the English locale is imported: the locales namespace would bundle all of them.
z.config(en());

const NAMED_MATCHERS = ['$gcc', '$tsc', '$eslint-compact', '$unix'] as const;

const described = <T extends z.ZodMiniType>(schema: T, description: string): T => schema.check(z.describe(description)) as T;

const regexMatcher = z.strictObject({
  regexp: described(
    z.string().check(z.minLength(1)),
    'A regular expression matched against each output line, with named groups: file (required), line, column, severity (error, warning, info, note), message (required), code.',
  ),
  severity: z.optional(described(z.enum(['error', 'warning', 'info']), 'Severity when the line does not say (default: error).')),
});

const task = z.strictObject({
  name: described(z.string().check(z.minLength(1), z.maxLength(100)), 'Shown in the command palette, the panel and Problems; `parallel-tasks run <name>` on the command line.'),
  command: described(
    z.union([z.array(z.string()).check(z.minLength(1)), z.string().check(z.minLength(1))]),
    'The program and its arguments as an array (run without a shell; `${file}` is replaced by one file, also inside a larger argument; `${files}`, an argument of its own, by the batch, one argument per file), or one string when `shell` is true.',
  ),
  shell: z.optional(described(z.boolean(), 'Run `command` (a string) with /bin/sh. The names reach the shell as its arguments, never as script text: write ${file} or ${files} outside quotes (${file} may also stand inside double quotes). Off by default.')),
  include: described(z.array(z.string()).check(z.minLength(1)), 'Globs of the files to run on, relative to the workspace folder (.gitignore is honoured).'),
  exclude: z.optional(described(z.array(z.string()), 'Globs of files to leave out.')),
  batchSize: z.optional(described(z.int().check(z.minimum(1), z.maximum(10_000)), 'Files per invocation with `${files}` (default 50). With `${file}`, always 1.')),
  concurrency: z.optional(described(z.int().check(z.minimum(1), z.maximum(64)), 'How many invocations run at once (default: the number of cores).')),
  timeoutSeconds: z.optional(described(z.number().check(z.positive(), z.maximum(86_400)), 'An invocation running longer is killed together with its child processes (default 120).')),
  problemMatcher: z.optional(
    described(
      z.union([z.enum(NAMED_MATCHERS), regexMatcher]),
      'How to read problems from the output: $gcc (file:line:column: severity: message), $tsc, $eslint-compact, $unix (file:line:column: message [severity]), or a regexp with named groups. Without one, the exit code alone decides (0 passes). A non-zero exit fails the invocation unless it reported an error for one of its files.',
    ),
  ),
  keepCurrent: z.optional(
    described(
      z.boolean(),
      'In the editor, run the task again on each file when it is saved, keeping its Problems current (like `parallelTasks.lint.keepCurrent`, which also turns this off). Off by default.',
    ),
  ),
  maxOutputBytes: z.optional(described(z.int().check(z.minimum(1024), z.maximum(256 * 1024 * 1024)), 'Output kept per invocation; the rest is dropped and the run says so (default 4 MiB).')),
});

export const tasksFileSchema = z.strictObject({
  $schema: z.optional(z.string()),
  tasks: described(z.array(task), 'Commands to run over the workspace in parallel.'),
});

export type CustomTask = z.infer<typeof task>;

/** A task with every default filled in, as the executor uses it. */
export interface ResolvedTask {
  readonly name: string;
  readonly argv: readonly string[];
  readonly shell: boolean;
  readonly perFile: boolean;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly batchSize: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
  /** None: the exit code alone decides. */
  readonly matcher: CustomTask['problemMatcher'] | undefined;
  readonly maxOutputBytes: number;
}

export function resolveTask(definition: CustomTask, cores: number): ResolvedTask {
  const shell = definition.shell ?? false;
  if (shell && typeof definition.command !== 'string') throw new ConfigError(l10n.t('Task "{0}": with "shell": true, "command" is one string', definition.name));
  if (!shell && typeof definition.command === 'string') throw new ConfigError(l10n.t('Task "{0}": "command" must be an array of arguments (or set "shell": true)', definition.name));
  const argv = typeof definition.command === 'string' ? [definition.command] : definition.command;
  let perFile: boolean;
  try {
    perFile = compileCommandLine(argv, shell).perFile;
  } catch (error) {
    throw new ConfigError(l10n.t('Task "{0}": {1}', definition.name, (error as Error).message));
  }
  if (definition.problemMatcher !== undefined && typeof definition.problemMatcher !== 'string') {
    try {
      const groups = new RegExp(definition.problemMatcher.regexp).source;
      if (!groups.includes('(?<file>') || !groups.includes('(?<message>')) throw new Error(l10n.t('it needs the named groups file and message'));
    } catch (error) {
      throw new ConfigError(l10n.t('Task "{0}": problemMatcher.regexp: {1}', definition.name, (error as Error).message));
    }
  }
  return {
    name: definition.name,
    argv,
    shell,
    perFile,
    include: definition.include,
    exclude: definition.exclude ?? [],
    batchSize: perFile ? 1 : (definition.batchSize ?? 50),
    concurrency: definition.concurrency ?? cores,
    timeoutMs: (definition.timeoutSeconds ?? 120) * 1000,
    matcher: definition.problemMatcher,
    maxOutputBytes: definition.maxOutputBytes ?? 4 * 1024 * 1024,
  };
}

/** Reads and validates a folder's task file; an absent file means no tasks. */
export async function loadTasks(folder: string): Promise<CustomTask[]> {
  const file = path.join(folder, TASKS_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new ConfigError(l10n.t('Cannot read {0}: {1}', file, (error as Error).message));
  }
  const errors: ParseError[] = [];
  const json: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
  if (errors.length > 0) {
    const first = errors[0] as ParseError;
    const line = text.slice(0, first.offset).split('\n').length;
    throw new ConfigError(`${file}:${line}: ${printParseErrorCode(first.error)}`);
  }
  const parsed = tasksFileSchema.safeParse(json);
  if (!parsed.success) {
    // A union reports "invalid input" at its own level; the closest alternative's issue says more.
    const issue = deepest(parsed.error.issues);
    throw new ConfigError(`${file}: ${issue.path.join('.') || 'file'}: ${issue.message}`);
  }
  const names = new Set<string>();
  for (const t of parsed.data.tasks) {
    if (names.has(t.name)) throw new ConfigError(l10n.t('{0}: two tasks are named "{1}"', file, t.name));
    names.add(t.name);
  }
  return parsed.data.tasks;
}

interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly errors?: readonly (readonly Issue[])[];
}

function deepest(issues: readonly Issue[]): Issue {
  let best: Issue | undefined;
  for (const issue of issues) {
    // A union's own message is "Invalid input"; its first alternative's, at the same depth or deeper, says what was expected.
    let candidate = issue;
    for (const alternative of issue.errors ?? []) {
      const inner = deepest(alternative.map((i) => ({ ...i, path: [...issue.path, ...i.path] })));
      if (candidate === issue ? inner.path.length >= issue.path.length : inner.path.length > candidate.path.length) candidate = inner;
    }
    if (!best || candidate.path.length > best.path.length) best = candidate;
  }
  return best ?? { path: [], message: 'invalid' };
}

