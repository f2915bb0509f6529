import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { killProcessGroup } from '../../core/worker-processes';
import type { WorkerMessage } from '../../core/types';
import { CappedOutput } from './capped-output';
// Type-only, so no cycle at run time: the executor owns the public shapes of what an invocation reports.
import type { CommandValue, Invocation } from './command-executor';
import type { ResolvedTask } from './definition';
import { exitFailure, groupProblems, joinOutput, lingeredFailure, type ExitStatus } from './invocation-report';
import type { CompiledMatcher } from './matchers';

/** After the process group is killed, how long to wait for the output pipes to close before settling without them. */
const PIPE_GRACE_MS = 2000;

/** Why an invocation was ended from outside: a cancel, the time limit, or the time limit after its leader exited. */
type StopReason = 'cancelled' | 'timed out' | 'lingered';

/** What every invocation of one executor shares. */
export interface InvocationSetup {
  readonly task: ResolvedTask;
  readonly cwd: string;
  readonly matcher: CompiledMatcher;
  /** Which invocations keep their output in their record: every one, or only those that did not pass. */
  readonly keepOutput: 'all' | 'failures';
}

/** Where one invocation reports; each callback is called at most once except `emit` (once per file). */
export interface InvocationSink {
  readonly emit: (message: WorkerMessage<CommandValue>) => void;
  readonly record: (invocation: Invocation) => void;
  /** The invocation is over and can no longer be cancelled (called before resolve or reject). */
  readonly settled: (run: InvocationRun) => void;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

type RecordFields = Omit<Invocation, 'files' | 'durationMs' | 'output' | 'truncated'>;

/**
 * One run of the program over one batch: the child, its capped output, the
 * time limit and the kill of its process group. It settles once, from
 * whichever comes first of a failure to start, the close of its pipes, or the
 * grace period after a kill.
 */
export class InvocationRun {
  private readonly started = performance.now();
  private readonly child: ChildProcess;
  /** The group keeps the leader's pid after the leader exits: a background child it left is still reachable by it. */
  private readonly group: number | undefined;
  // Kept apart so that lines of the two streams never interleave mid-line.
  private readonly stdout: CappedOutput;
  private readonly stderr: CappedOutput;
  private readonly timer: NodeJS.Timeout;
  private graceTimer: NodeJS.Timeout | undefined;
  /** Set on the child's 'exit', which may come long before 'close' when something else holds the pipes. */
  private exit: ExitStatus | undefined;
  private stopped: StopReason | undefined;
  /** A child that fails to start emits 'error' and may emit 'close' after it: report once. */
  private reported = false;

  /** Spawns the program at once; throws as `spawn` does for arguments it refuses. */
  constructor(
    private readonly setup: InvocationSetup,
    private readonly files: readonly string[],
    private readonly program: string,
    args: readonly string[],
    private readonly sink: InvocationSink,
  ) {
    this.child = spawn(program, args, { cwd: setup.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    this.group = this.child.pid;
    this.stdout = new CappedOutput(setup.task.maxOutputBytes);
    this.stderr = new CappedOutput(setup.task.maxOutputBytes);
    this.child.stdout?.on('data', (chunk: Buffer) => this.stdout.add(chunk));
    this.child.stderr?.on('data', (chunk: Buffer) => this.stderr.add(chunk));
    // The pipes may outlive the child (a background process it started holds them): the time limit applies to both.
    this.timer = setTimeout(() => this.halt(this.exit ? 'lingered' : 'timed out'), setup.task.timeoutMs);
    this.child.on('error', (error: NodeJS.ErrnoException) => this.failToStart(error));
    this.child.on('exit', (code, signal) => {
      this.exit = { code, signal };
    });
    this.child.on('close', (code, signal) => this.finish({ code, signal }));
  }

  cancel(): void {
    this.halt('cancelled');
  }

  private halt(why: StopReason): void {
    if (this.reported) return;
    this.stopped ??= why;
    this.killGroup();
    // A process that left the group (setsid) may hold the pipes for ever: settle without them once the child is gone.
    this.graceTimer ??= setTimeout(() => {
      if (this.exit || this.child.pid === undefined) this.finish({ code: this.exit?.code ?? null, signal: this.exit?.signal ?? 'SIGKILL' });
    }, PIPE_GRACE_MS);
  }

  private killGroup(): void {
    if (this.group === undefined) return;
    killProcessGroup(this.group);
    // A child that left its group (or a platform without groups) is still ours to end.
    if (!this.exit) this.child.kill('SIGKILL');
  }

  /** True the first time only: the caller then reports. */
  private settle(): boolean {
    clearTimeout(this.timer);
    clearTimeout(this.graceTimer);
    this.sink.settled(this);
    const first = !this.reported;
    this.reported = true;
    return first;
  }

  private failToStart(error: NodeJS.ErrnoException): void {
    if (!this.settle()) return;
    // The program could not be started: every file gets the reason; nothing crashed.
    const message = error.code === 'ENOENT' ? l10n.t('Command not found: {0}', this.program) : l10n.t('Could not start {0}: {1}', this.program, error.message);
    this.record({ status: 'failed', error: message, exitCode: null, signal: null });
    this.failAll(message, 0);
    this.sink.resolve();
  }

  private finish(closed: ExitStatus): void {
    if (!this.settle()) return;
    // The invocation is over: whatever it left running in its group (a background process that let go
    // of the output) must not outlive it, nor the CLI.
    this.killGroup();
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
    if (this.stopped === 'timed out' || this.stopped === 'cancelled') return this.endStopped(this.stopped, closed);
    const durationMs = (performance.now() - this.started) / Math.max(1, this.files.length);
    if (this.stopped === 'lingered') return this.endLingered(this.exit ?? closed, durationMs);
    this.endExited(closed, durationMs);
  }

  /** The program ended, but what it left running held its output until the time limit: its files fail. */
  private endLingered(ended: ExitStatus, durationMs: number): void {
    const error = lingeredFailure(this.setup.task.name, ended, this.setup.task.timeoutMs / 1000);
    this.record({ status: 'failed', error, exitCode: ended.code, signal: ended.signal });
    this.failAll(error, durationMs);
    this.sink.resolve();
  }

  /** Cancelled or timed out: the batch fails as a whole, and the scheduler decides what its files get. */
  private endStopped(why: 'timed out' | 'cancelled', closed: ExitStatus): void {
    const error =
      why === 'cancelled'
        ? l10n.t({ message: 'cancelled', comment: ['what became of a run of a custom task\'s program: the run was stopped'] })
        : l10n.t('timed out after {0} s; killed with its child processes', this.setup.task.timeoutMs / 1000);
    this.record({ status: why, error, exitCode: closed.code, signal: closed.signal });
    this.sink.reject(new Error(error));
  }

  /** The program ended on its own: its output is the report, unless its exit says it failed. */
  private endExited(closed: ExitStatus, durationMs: number): void {
    const text = this.output();
    const problems = groupProblems(this.files, this.setup.matcher.match(text, this.setup.cwd));
    // Messages name the task: the program may be a runner (npx, sh) that says little.
    const error = exitFailure(this.setup.task.name, closed, problems, text);
    if (error !== undefined) {
      this.record({ status: 'failed', error, exitCode: closed.code, signal: closed.signal });
      this.failAll(error, durationMs);
      return this.sink.resolve();
    }
    this.record({ status: 'ok', exitCode: closed.code, signal: closed.signal });
    const truncated = this.truncated();
    for (const file of this.files) {
      const value: CommandValue = { problems: problems.byFile.get(path.resolve(file)) ?? [], exitCode: closed.code, ...(truncated ? { truncated: true } : {}) };
      this.sink.emit({ type: 'file-done', file, threadId: 0, outcome: { status: 'ok', value }, durationMs });
    }
    this.sink.resolve();
  }

  private record(fields: RecordFields): void {
    const keep = this.setup.keepOutput === 'all' || fields.status !== 'ok';
    this.sink.record({
      files: this.files,
      ...fields,
      durationMs: performance.now() - this.started,
      output: keep ? this.output() : '',
      truncated: this.truncated(),
    });
  }

  private failAll(message: string, durationMs: number): void {
    for (const file of this.files) this.sink.emit({ type: 'file-done', file, threadId: 0, outcome: { status: 'error', message }, durationMs });
  }

  private output(): string {
    return joinOutput(this.stdout.text(), this.stderr.text());
  }

  private truncated(): boolean {
    return this.stdout.truncated || this.stderr.truncated;
  }
}
