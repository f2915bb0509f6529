import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { BatchExecution, Executor } from '../../core/executor';
import { killProcessGroup } from '../../core/worker-processes';
import type { BatchRequest, WorkerMessage } from '../../core/types';
import { CappedOutput } from './capped-output';
import { compileCommandLine, type CommandLine } from './command-line';
import type { ResolvedTask } from './definition';
import { compileMatcher, type CompiledMatcher, type Problem } from './matchers';

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

/** After the process group is killed, how long to wait for the output pipes to close before settling without them. */
const PIPE_GRACE_MS = 2000;

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
  private readonly matcher: CompiledMatcher;
  private readonly commandLine: CommandLine;
  /** Kills of the invocations in flight, for terminate(). */
  private readonly running = new Set<() => void>();
  private readonly log: Invocation[] = [];

  constructor(
    private readonly task: ResolvedTask,
    private readonly cwd: string,
    private readonly options: CommandExecutorOptions = {},
  ) {
    this.concurrency = task.concurrency;
    this.matcher = compileMatcher(task.matcher);
    this.commandLine = compileCommandLine(task.argv, task.shell);
  }

  /** Every invocation that ended so far, in the order they ended. */
  invocations(): readonly Invocation[] {
    return this.log;
  }

  execute<R>(request: BatchRequest, onMessage: (message: WorkerMessage<R>) => void): BatchExecution {
    let stop: () => void = () => undefined;
    const emit = onMessage as (message: WorkerMessage<CommandValue>) => void;
    const done = new Promise<void>((resolve, reject) => {
      const started = performance.now();
      const [program, ...args] = this.commandLine.argv(this.names(request.files)) as [string, ...string[]];
      // Messages name the task: the program may be a runner (npx, sh) that says little.
      const name = this.task.name;
      const child: ChildProcess = spawn(program, args, { cwd: this.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], shell: false });
      // The group keeps the leader's pid after the leader exits: a background child it left is still reachable by it.
      const group = child.pid;
      // Kept apart so that lines of the two streams never interleave mid-line.
      const stdout = new CappedOutput(this.task.maxOutputBytes);
      const stderr = new CappedOutput(this.task.maxOutputBytes);
      child.stdout?.on('data', (chunk: Buffer) => stdout.add(chunk));
      child.stderr?.on('data', (chunk: Buffer) => stderr.add(chunk));
      let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
      let stopped: 'cancelled' | 'timed out' | 'lingered' | undefined;
      let graceTimer: NodeJS.Timeout | undefined;
      // A child that fails to start emits 'error' and may emit 'close' after it: report once.
      let reported = false;

      const killGroup = (): void => {
        if (group === undefined) return;
        killProcessGroup(group);
        // A child that left its group (or a platform without groups) is still ours to end.
        if (!exit) child.kill('SIGKILL');
      };
      const halt = (why: NonNullable<typeof stopped>): void => {
        if (reported) return;
        stopped ??= why;
        killGroup();
        // A process that left the group (setsid) may hold the pipes for ever: settle without them once the child is gone.
        graceTimer ??= setTimeout(() => {
          if (exit || child.pid === undefined) finish(exit?.code ?? null, exit?.signal ?? 'SIGKILL');
        }, PIPE_GRACE_MS);
      };
      stop = () => halt('cancelled');
      this.running.add(stop);
      // The pipes may outlive the child (a background process it started holds them): the time limit applies to both.
      const timer = setTimeout(() => halt(exit ? 'lingered' : 'timed out'), this.task.timeoutMs);

      const settle = (): boolean => {
        clearTimeout(timer);
        clearTimeout(graceTimer);
        this.running.delete(stop);
        const first = !reported;
        reported = true;
        return first;
      };
      const record = (invocation: Omit<Invocation, 'files' | 'durationMs' | 'output' | 'truncated'>): void => {
        const keep = this.options.keepOutput === 'all' || invocation.status !== 'ok';
        this.log.push({
          files: request.files,
          ...invocation,
          durationMs: performance.now() - started,
          output: keep ? joinOutput(stdout.text(), stderr.text()) : '',
          truncated: stdout.truncated || stderr.truncated,
        });
      };
      const failAll = (message: string, durationMs: number): void => {
        for (const file of request.files) emit({ type: 'file-done', file, threadId: 0, outcome: { status: 'error', message }, durationMs });
      };

      const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (!settle()) return;
        // The invocation is over: whatever it left running in its group (a background process that let go
        // of the output) must not outlive it, nor the CLI.
        killGroup();
        child.stdout?.destroy();
        child.stderr?.destroy();
        const seconds = this.task.timeoutMs / 1000;
        if (stopped === 'timed out') {
          const error = `timed out after ${seconds} s; killed with its child processes`;
          record({ status: 'timed out', error, exitCode: code, signal });
          return reject(new Error(error));
        }
        if (stopped === 'cancelled') {
          record({ status: 'cancelled', error: 'cancelled', exitCode: code, signal });
          return reject(new Error('cancelled'));
        }
        const durationMs = (performance.now() - started) / Math.max(1, request.files.length);
        const text = joinOutput(stdout.text(), stderr.text());
        const ended = exit ?? { code, signal };
        if (stopped === 'lingered') {
          const error = `${name} ${ended.signal ? `was killed by ${ended.signal}` : `exited with code ${ended.code}`}, but processes it started kept its output open until the time limit (${seconds} s); killed them`;
          record({ status: 'failed', error, exitCode: ended.code, signal: ended.signal });
          failAll(error, durationMs);
          return resolve();
        }
        const problems = this.matcher.match(text, this.cwd);
        // Linear: one list per file, appended to (100,000 problems for one file are a few milliseconds).
        const byFile = new Map<string, Problem[]>(request.files.map((file) => [path.resolve(file), []]));
        for (const problem of problems) byFile.get(problem.file)?.push(problem);
        let errors = 0;
        let others = 0;
        for (const list of byFile.values()) {
          for (const problem of list) {
            if (problem.severity === 'error') errors++;
            else others++;
          }
        }
        // Many linters exit non-zero because they found errors: those errors are the report. Any other non-zero exit, or a signal, is a failure.
        if (signal || (code !== 0 && errors === 0)) {
          const last = text.trim().split('\n').slice(-3).join(' ').slice(0, 500);
          const reportedNote = signal ? '' : others > 0 ? ` and reported no error (${others} other problem${others === 1 ? '' : 's'}, in its output)` : ' and reported no problems';
          const error = `${name} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}${reportedNote}${last ? `: ${last}` : ''}`;
          record({ status: 'failed', error, exitCode: code, signal });
          failAll(error, durationMs);
          return resolve();
        }
        record({ status: 'ok', exitCode: code, signal });
        const truncated = stdout.truncated || stderr.truncated;
        for (const file of request.files) {
          const value: CommandValue = { problems: byFile.get(path.resolve(file)) ?? [], exitCode: code, ...(truncated ? { truncated: true } : {}) };
          emit({ type: 'file-done', file, threadId: 0, outcome: { status: 'ok', value }, durationMs });
        }
        resolve();
      };

      child.on('error', (error: NodeJS.ErrnoException) => {
        if (!settle()) return;
        // The program could not be started: every file gets the reason; nothing crashed.
        const message = error.code === 'ENOENT' ? `Command not found: ${program}` : `Could not start ${program}: ${error.message}`;
        record({ status: 'failed', error: message, exitCode: null, signal: null });
        failAll(message, 0);
        resolve();
      });
      child.on('exit', (code, signal) => {
        exit = { code, signal };
      });
      child.on('close', (code, signal) => finish(code, signal));
    });
    return { done, cancel: () => stop() };
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
    for (const stop of [...this.running]) stop();
  }
}

/** stdout, then stderr, each on lines of its own. */
function joinOutput(stdout: string, stderr: string): string {
  if (!stdout || !stderr) return stdout || stderr;
  return stdout.endsWith('\n') ? `${stdout}${stderr}` : `${stdout}\n${stderr}`;
}
