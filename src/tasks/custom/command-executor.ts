import * as path from 'node:path';
import type { BatchExecution, Executor } from '../../core/executor';
import type { BatchRequest, WorkerMessage } from '../../core/types';
import { compileCommandLine, type CommandLine } from './command-line';
import type { ResolvedTask } from './definition';
import { InvocationRun, type InvocationSetup } from './invocation';
import { compileMatcher, type Problem } from './matchers';

/** What one file gets from a custom task: the problems the tool reported for it. */
export interface CommandValue {
  readonly problems: readonly Problem[];
  readonly exitCode: number | null;
  /** Set when the invocation printed more than `maxOutputBytes`: problems past that point were not read. */
  readonly truncated?: boolean;
}

/** One run of the program over a batch of files, as the CLI reports it. */
export interface Invocation {
  readonly files: readonly string[];
  /**
   * `ok`: exit code 0, or a non-zero one explained by an error it reported
   * for one of its files; `failed`: any other non-zero exit, a signal, or
   * processes left running past the timeout (its files get `error`).
   */
  readonly status: 'ok' | 'failed' | 'timed out' | 'cancelled';
  /** Why it did not pass, as its files' error says. */
  readonly error?: string;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly durationMs: number;
  /** Its stdout, then its stderr, each capped at `maxOutputBytes`; empty when not kept (see `keepOutput`). */
  readonly output: string;
  readonly truncated: boolean;
}

export interface CommandExecutorOptions {
  /** Which invocations keep their output for `invocations()`: every one, or only those that did not pass (the default). */
  readonly keepOutput?: 'all' | 'failures';
}

/**
 * Runs an external program over each batch: asynchronous concurrency over
 * child processes, not threads, since the work happens in another program.
 * No shell unless the task asks for one, and even then the names are
 * arguments, never script text, so they reach the program intact; each child
 * leads its own process group, so a timeout or a cancel kills whatever it
 * started too.
 */
export class CommandExecutor implements Executor {
  readonly kind = 'command';
  readonly concurrency: number;
  private readonly setup: InvocationSetup;
  private readonly commandLine: CommandLine;
  /** The invocations in flight, for terminate(). */
  private readonly running = new Set<InvocationRun>();
  private readonly log: Invocation[] = [];

  constructor(
    task: ResolvedTask,
    private readonly cwd: string,
    options: CommandExecutorOptions = {},
  ) {
    this.concurrency = task.concurrency;
    this.setup = { task, cwd, matcher: compileMatcher(task.matcher), keepOutput: options.keepOutput ?? 'failures' };
    this.commandLine = compileCommandLine(task.argv, task.shell);
  }

  /** Every invocation that ended so far, in the order they ended. */
  invocations(): readonly Invocation[] {
    return this.log;
  }

  execute<R>(request: BatchRequest, onMessage: (message: WorkerMessage<R>) => void): BatchExecution {
    let run: InvocationRun | undefined;
    const done = new Promise<void>((resolve, reject) => {
      const [program, ...args] = this.commandLine.argv(this.names(request.files)) as [string, ...string[]];
      run = new InvocationRun(this.setup, request.files, program, args, {
        emit: onMessage as (message: WorkerMessage<CommandValue>) => void,
        record: (invocation) => this.log.push(invocation),
        settled: (ended) => this.running.delete(ended),
        resolve,
        reject,
      });
      this.running.add(run);
    });
    // A program `spawn` refused never started: the batch has already failed and there is nothing to cancel.
    return { done, cancel: () => run?.cancel() };
  }

  /** Relative names keep output short; "./" keeps a name starting with "-" from reading as an option. */
  private names(files: readonly string[]): string[] {
    return files.map((file) => {
      const relative = path.relative(this.cwd, file) || file;
      return relative.startsWith('-') ? `.${path.sep}${relative}` : relative;
    });
  }

  stats(): { busy: number; pending: number; workers: number } {
    return { busy: this.running.size, pending: 0, workers: this.running.size };
  }

  async terminate(): Promise<void> {
    for (const run of [...this.running]) run.cancel();
  }
}
