import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { BatchExecution, Executor } from '../../core/executor';
import type { BatchRequest, WorkerMessage } from '../../core/types';
import type { ResolvedTask } from './definition';
import { compileMatcher, type CompiledMatcher, type Problem } from './matchers';

/** What one file gets from a custom task: the problems the tool reported for it. */
export interface CommandValue {
  readonly problems: readonly Problem[];
  readonly exitCode: number | null;
  /** Set when the invocation printed more than `maxOutputBytes`: problems past that point were not read. */
  readonly truncated?: boolean;
}

/**
 * Runs an external program over each batch: asynchronous concurrency over
 * child processes, not threads, since the work happens in another program.
 * No shell unless the task asks for one, so file names reach the program
 * intact; each child leads its own process group, so a timeout or a cancel
 * kills whatever it started too.
 */
export class CommandExecutor implements Executor {
  readonly kind = 'command';
  readonly concurrency: number;
  private readonly matcher: CompiledMatcher;
  private readonly children = new Set<ChildProcess>();

  constructor(
    private readonly task: ResolvedTask,
    private readonly cwd: string,
  ) {
    this.concurrency = task.concurrency;
    this.matcher = compileMatcher(task.matcher);
  }

  execute<R>(request: BatchRequest, onMessage: (message: WorkerMessage<R>) => void): BatchExecution {
    let child: ChildProcess | undefined;
    let stopped: 'cancelled' | 'timed out' | undefined;
    const emit = onMessage as (message: WorkerMessage<CommandValue>) => void;
    const done = new Promise<void>((resolve, reject) => {
      const started = performance.now();
      const [program, ...args] = this.commandLine(request.files);
      child = spawn(program as string, args, { cwd: this.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], shell: false });
      this.children.add(child);
      // Kept apart so that lines of the two streams never interleave mid-line.
      const stdout = new CappedOutput(this.task.maxOutputBytes);
      const stderr = new CappedOutput(this.task.maxOutputBytes);
      child.stdout?.on('data', (chunk: Buffer) => stdout.add(chunk));
      child.stderr?.on('data', (chunk: Buffer) => stderr.add(chunk));
      const timer = setTimeout(() => {
        stopped = 'timed out';
        killGroup(child);
      }, this.task.timeoutMs);
      // A child that fails to start emits 'error' and may emit 'close' after it: report once.
      let reported = false;
      const settle = (): boolean => {
        clearTimeout(timer);
        if (child) this.children.delete(child);
        const first = !reported;
        reported = true;
        return first;
      };
      child.on('error', (error: NodeJS.ErrnoException) => {
        if (!settle()) return;
        // The program could not be started: every file gets the reason; nothing crashed.
        const message = error.code === 'ENOENT' ? `Command not found: ${program}` : `Could not start ${program}: ${error.message}`;
        for (const file of request.files) emit({ type: 'file-done', file, threadId: 0, outcome: { status: 'error', message }, durationMs: 0 });
        resolve();
      });
      child.on('close', (code, signal) => {
        if (!settle()) return;
        if (stopped === 'timed out') return reject(new Error(`timed out after ${this.task.timeoutMs / 1000} s; killed with its child processes`));
        if (stopped) return reject(new Error('cancelled'));
        const text = `${stdout.text()}\n${stderr.text()}`;
        const truncated = stdout.truncated || stderr.truncated;
        const problems = this.matcher.match(text, this.cwd);
        const durationMs = (performance.now() - started) / Math.max(1, request.files.length);
        if ((code !== 0 || signal) && problems.length === 0) {
          const last = text.trim().split('\n').slice(-3).join(' ').slice(0, 500);
          const message = `${path.basename(program as string)} ${signal ? `was killed by ${signal}` : `exited with code ${code}`} and reported no problems${last ? `: ${last}` : ''}`;
          for (const file of request.files) emit({ type: 'file-done', file, threadId: 0, outcome: { status: 'error', message }, durationMs });
          return resolve();
        }
        const byFile = new Map<string, Problem[]>();
        for (const problem of problems) byFile.set(problem.file, [...(byFile.get(problem.file) ?? []), problem]);
        for (const file of request.files) {
          const value: CommandValue = { problems: byFile.get(path.resolve(file)) ?? [], exitCode: code, ...(truncated ? { truncated: true } : {}) };
          emit({ type: 'file-done', file, threadId: 0, outcome: { status: 'ok', value }, durationMs });
        }
        resolve();
      });
    });
    return {
      done,
      cancel: () => {
        stopped ??= 'cancelled';
        killGroup(child);
      },
    };
  }

  /** The argument vector: `${file}`/`${files}` expanded to separate arguments, or quoted into one shell command. */
  private commandLine(files: readonly string[]): string[] {
    // Relative names keep output short; "./" keeps a name starting with "-" from reading as an option.
    const names = files.map((file) => {
      const relative = path.relative(this.cwd, file) || file;
      return relative.startsWith('-') ? `.${path.sep}${relative}` : relative;
    });
    if (this.task.shell) {
      const quoted = names.map(shellQuote);
      const command = (this.task.argv[0] ?? '').replaceAll('${files}', quoted.join(' ')).replaceAll('${file}', quoted[0] ?? '');
      return ['/bin/sh', '-c', command];
    }
    return this.task.argv.flatMap((arg) => {
      if (arg === '${files}') return names;
      if (arg === '${file}') return [names[0] ?? ''];
      return [arg.replaceAll('${file}', names[0] ?? '')];
    });
  }

  stats(): { busy: number; pending: number; workers: number } {
    return { busy: this.children.size, pending: 0, workers: this.children.size };
  }

  async terminate(): Promise<void> {
    for (const child of this.children) killGroup(child);
    this.children.clear();
  }
}

/** Kills the child's whole process group: a shell, a build tool's subprocesses, everything it started. */
function killGroup(child: ChildProcess | undefined): void {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** Single quotes for /bin/sh: nothing inside is special except the quote itself. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Keeps the first `limit` bytes of a stream and remembers whether more came. */
class CappedOutput {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  truncated = false;

  constructor(private readonly limit: number) {}

  add(chunk: Buffer): void {
    if (this.size >= this.limit) {
      this.truncated = true;
      return;
    }
    const room = this.limit - this.size;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (kept.length < chunk.length) this.truncated = true;
    this.chunks.push(kept);
    this.size += kept.length;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
