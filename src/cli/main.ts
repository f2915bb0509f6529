import { Command, CommanderError, Option } from 'commander';
// esbuild inlines only this one field, not the whole manifest.
import { version } from '../../package.json';
import { errorMessage, errorName } from '../core/errors';
import { CACHE_STRATEGIES } from '../core/result-cache';
import { guardExit, releaseExit } from './exit-guard';
import { analyzeCommand } from './analyze-command';
import { addDaemonCommand } from './daemon-command';
import { DAEMON_ENV } from './daemon-choice';
import { runCommand } from './run-command';
import { lintCommand } from './lint-command';
import { transformCommand } from './transform-command';
import { QUEUE_ENV } from './queue-env';

/** Exit codes follow ESLint: 0 clean, 1 problems, 2 usage or configuration error. */
const EXIT_USAGE = 2;

/** Gathers a repeatable option's values. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function withCommonOptions(command: Command): Command {
  return withQueueOptions(command)
    .option('-w, --workers <n>', 'workers (0 = run in-process, no pool)', undefined)
    .option('--isolation <kind>', 'auto, thread or process: processes contain native crashes and take tuned V8 flags; auto picks processes for a run of a second or more of work, else threads (default: process for codemods, auto otherwise)')
    .option('--timeout <seconds>', 'per-file time limit; a worker over it is terminated', '60')
    // One value per flag, repeatable: a variadic option would swallow the path arguments after it.
    .option('--include <glob>', 'a glob a file found in a folder must match (relative to the current folder); repeatable', collect)
    .option('--exclude <glob>', 'a glob of files to leave out (relative to the current folder); repeatable', collect)
    .option('--no-gitignore', 'do not honour .gitignore files')
    // An optional value: `--changed` alone means HEAD; a path after it is still a path only when written `--changed=REF` or after `--`.
    .option('--changed [ref]', 'only the files changed against REF (default HEAD: what is not committed) and untracked files, as git reports them; the paths, globs, --include and --exclude narrow them')
    .option('--pass-on-no-changes', 'with --changed: exit 0 when no changed file is to be checked (by default that run, which checked nothing, exits 2)')
    .option('--max-file-size <bytes>', 'skip files larger than this', String(2 * 1024 * 1024))
    .option('--no-progress', 'no live progress display, even on a terminal')
    .option('--timing', 'after the run, list on stderr the 10 slowest files and, for lint, the 10 slowest rules (ESLint\'s own rule times)')
    // Both given: commander leaves the value unset unless one is typed, so the environment can decide.
    .option('--daemon', 'run on the warm worker pool of this folder\'s daemon (starting it), even with CI=true')
    .option('--no-daemon', `run on workers of this process only (also: ${DAEMON_ENV}=0)`)
    .option('--no-cache', 'process every file, even those unchanged since the last run')
    .option('--cache-location <file>', 'where to keep the result cache (default: node_modules/.cache/parallel-tasks, else ~/.cache/parallel-tasks)')
    .addOption(
      new Option('--cache-strategy <strategy>', 'how the cache tells a file is unchanged: content (its hash) or metadata (size and modification time only: faster, but misses a change that kept both)')
        .choices(CACHE_STRATEGIES)
        .default('content'),
    );
}

/** How a run reaches a queue: every run command takes these. */
function withQueueOptions(command: Command): Command {
  return command
    .option('--queue <url>', `run the batches on the workers of a BullMQ queue on Redis: redis://HOST:PORT or rediss:// (default: $${QUEUE_ENV}); --workers N also serves it with N workers here`)
    .option('--queue-timeout <seconds>', 'with --queue: end the run (exit 2) when no worker serves the queue for this long', '60')
    .option('--insecure', 'with --queue: allow Redis without a password on an address other than loopback')
    .option('--queue-prefix <prefix>', 'with --queue: the name of the queue in Redis (default parallel-tasks); one per pipeline keeps its workers to its commit');
}

/** `parallel-tasks worker`. */
function addWorkerCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('worker')
    .description('serve a queue from this checkout: run the batches that coordinators on any machine put in it, until SIGTERM or SIGINT')
    .option('--queue <url>', `the queue's Redis: redis://HOST:PORT or rediss:// (default: $${QUEUE_ENV})`)
    .option('--concurrency <n>', 'batches run at once, each on a worker of this machine (default: one per core)')
    .option('--name <name>', 'how coordinators and the panel name this worker (default: the folder and the pid)')
    .option('--insecure', 'allow Redis without a password on an address other than loopback')
    .option('--queue-prefix <prefix>', 'the name of the queue in Redis (default parallel-tasks): serve only the coordinators that use the same')
    // Tests: short lock times, so that a dead worker's batch comes back quickly.
    .addOption(new Option('--lock-duration <ms>').hideHelp())
    .addOption(new Option('--stalled-interval <ms>').hideHelp())
    // Loaded when used: BullMQ and its Redis client would cost every other command their load time.
    .action(async (options) => setExit(await (await import('./worker-command')).workerCommand(options)));
}

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('parallel-tasks')
    .description('Run lint, transform and analyze jobs over many files on a pool of worker threads.')
    .version(version)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');

  withCommonOptions(program.command('lint').description('lint files with ESLint (the project\'s own config)').argument('[paths...]', 'files, folders or globs', []))
    .addOption(new Option('-f, --format <format>', 'output format').choices(['pretty', 'json', 'sarif']).default('pretty'))
    .option('-c, --config <file>', 'use this ESLint flat config file')
    .action(async (paths: string[], options) => setExit(await lintCommand(paths, options)));

  withCommonOptions(program.command('transform').description('rewrite files: Prettier, ESLint autofix, a codemod, or search and replace').argument('[paths...]', 'files, folders or globs', []))
    .addOption(new Option('-f, --format <format>', 'output format').choices(['pretty', 'json']).default('pretty'))
    .option('--prettier', 'format with Prettier')
    .option('--eslint-fix', 'apply ESLint autofixes')
    .option('-c, --config <file>', 'ESLint flat config file for --eslint-fix')
    .option('--codemod <file>', 'run a jscodeshift-compatible transform module (JS or TS)')
    .option('--codemod-option <key=value>', 'an option passed to the codemod (its third argument), as jscodeshift does; repeatable', collect)
    .option('--replace <pattern>', 'regular expression to search for')
    .option('--with <text>', 'replacement for --replace ($1, $<name> refer to groups)')
    .option('--flags <flags>', 'regular expression flags for --replace', 'g')
    .option('--check', 'exit 1 if any file would change')
    .option('--diff', 'print a unified diff of the changes')
    .option('--write', 'write the changes (atomically; files changed meanwhile are left alone)')
    .action(async (paths: string[], options) => setExit(await transformCommand(paths, options)));

  withCommonOptions(program.command('analyze').description('measure lines, complexity, nesting, imports and TODOs').argument('[paths...]', 'files, folders or globs', []))
    .addOption(new Option('-f, --format <format>', 'output format').choices(['pretty', 'json']).default('pretty'))
    .action(async (paths: string[], options) => setExit(await analyzeCommand(paths, options)));

  withCommonOptions(
    program
      .command('run')
      .description('run a custom task from .vscode/parallel-tasks.json (an external command over the files, in parallel)')
      .argument('<name>', 'the task\'s name')
      .argument('[paths...]', 'files, folders or globs', []),
  )
    .addOption(new Option('-f, --format <format>', 'output format').choices(['pretty', 'json']).default('pretty'))
    .option('--verbose', 'show the output of every invocation, not only of those that failed')
    // Which options were typed: run refuses those that cannot apply to it instead of ignoring them.
    .action(async (name: string, paths: string[], options, command: Command) =>
      setExit(await runCommand(name, paths, { ...options, given: Object.keys(options).filter((key) => command.getOptionValueSource(key) === 'cli') })),
    );

  addWorkerCommand(program, setExit);
  addDaemonCommand(program, setExit);
  return program;
}

async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its one-line message (or the help text).
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    const name = errorName(error);
    if (name === 'UsageError' || name === 'ConfigError' || name === 'UnmatchedPathsError' || name === 'NothingCheckedError') {
      // One line per problem (UnmatchedPathsError names each path that matched nothing).
      for (const line of errorMessage(error).split('\n')) process.stderr.write(`parallel-tasks: ${line}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`parallel-tasks: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`);
    return EXIT_USAGE;
  }
}

guardExit();
void main(process.argv).then((code) => {
  releaseExit();
  process.exitCode = code;
});
