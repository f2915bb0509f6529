import * as vscode from 'vscode';
import type { TaskLane } from '../shared/protocol';

/** How long a task's end may precede its process's end before the lane is closed without an exit code. */
const PROCESS_END_GRACE_MS = 2000;

interface Lane {
  readonly id: number;
  readonly task: vscode.Task;
  state: TaskLane['state'];
  exitCode?: number;
  startedAt: number;
  endedAt?: number;
  execution?: vscode.TaskExecution;
  /** A process was started for it: its exit code, not the end of the task, decides the outcome. */
  hasProcess?: boolean;
  /** Resolves when this run of the task has ended. */
  ended: Promise<void>;
  end: () => void;
}

/**
 * Runs several tasks from tasks.json at once and follows each one: running,
 * succeeded or failed by its exit code, or stopped. VS Code itself runs them
 * (terminals, problem matchers into Problems); this keeps the lanes the panel
 * shows and the stop and restart actions.
 */
export class VsCodeTaskRunner implements vscode.Disposable {
  private readonly lanes = new Map<number, Lane>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private nextId = 1;

  constructor() {
    this.subscriptions = [
      vscode.tasks.onDidStartTaskProcess((e) => {
        const lane = this.laneOf(e.execution);
        if (lane) lane.hasProcess = true;
      }),
      vscode.tasks.onDidEndTaskProcess((e) => {
        const lane = this.laneOf(e.execution);
        if (lane && lane.state === 'running') this.finish(lane, e.exitCode === 0 ? 'succeeded' : 'failed', e.exitCode);
      }),
      // Tasks without a process (custom executions) end here only. The two end
      // events can arrive in either order: a task with a process waits for its exit code.
      vscode.tasks.onDidEndTask((e) => {
        const lane = this.laneOf(e.execution);
        if (!lane || lane.state !== 'running') return;
        if (!lane.hasProcess) this.finish(lane, 'succeeded');
        else setTimeout(() => lane.state === 'running' && this.finish(lane, 'failed'), PROCESS_END_GRACE_MS);
      }),
    ];
  }

  /** Starts every task at once; resolves when all have ended, with their lanes. */
  async run(tasks: readonly vscode.Task[]): Promise<TaskLane[]> {
    // Lanes of an earlier batch that are done make room for the new one.
    for (const [id, lane] of this.lanes) if (lane.state !== 'running') this.lanes.delete(id);
    const started = await Promise.all(tasks.map((task) => this.start({ id: this.nextId++, task })));
    await Promise.all(started.map((lane) => lane.ended));
    return started.map((lane) => this.view(lane));
  }

  stop(id: number): boolean {
    const lane = this.lanes.get(id);
    if (!lane || lane.state !== 'running') return false;
    this.finish(lane, 'stopped');
    lane.execution?.terminate();
    return true;
  }

  async restart(id: number): Promise<boolean> {
    const lane = this.lanes.get(id);
    if (!lane) return false;
    if (lane.state === 'running' && lane.execution) {
      // The old run's end events must not be taken for the new run's.
      const ended = endOf(lane.execution);
      this.stop(id);
      await ended;
    }
    await this.start({ id, task: lane.task });
    return true;
  }

  /** What the panel shows, oldest first. */
  view(): TaskLane[];
  view(lane: Lane): TaskLane;
  view(lane?: Lane): TaskLane | TaskLane[] {
    if (!lane) return [...this.lanes.values()].map((l) => this.view(l));
    const now = Date.now();
    return {
      id: lane.id,
      name: lane.task.name,
      source: lane.task.source,
      state: lane.state,
      ...(lane.exitCode !== undefined ? { exitCode: lane.exitCode } : {}),
      durationMs: (lane.endedAt ?? now) - lane.startedAt,
    };
  }

  private async start(spec: { id: number; task: vscode.Task }): Promise<Lane> {
    let end = (): void => undefined;
    const ended = new Promise<void>((resolve) => {
      end = resolve;
    });
    const lane: Lane = { id: spec.id, task: spec.task, state: 'running', startedAt: Date.now(), ended, end };
    this.lanes.set(lane.id, lane);
    this.changed.fire();
    try {
      lane.execution = await vscode.tasks.executeTask(spec.task);
    } catch {
      this.finish(lane, 'failed');
    }
    return lane;
  }

  private finish(lane: Lane, state: TaskLane['state'], exitCode?: number): void {
    lane.state = state;
    if (exitCode !== undefined) lane.exitCode = exitCode;
    lane.endedAt = Date.now();
    lane.end();
    this.changed.fire();
  }

  private laneOf(execution: vscode.TaskExecution): Lane | undefined {
    for (const lane of this.lanes.values()) if (lane.execution === execution) return lane;
    // Events can come before executeTask has returned the execution: match the running lane by task.
    for (const lane of this.lanes.values()) {
      if (lane.state === 'running' && lane.task.name === execution.task.name && lane.task.source === execution.task.source) return lane;
    }
    return undefined;
  }

  dispose(): void {
    for (const lane of this.lanes.values()) if (lane.state === 'running') lane.execution?.terminate();
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

/** Resolves when VS Code reports the end of `execution`, or after a grace period if it never does. */
function endOf(execution: vscode.TaskExecution): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, PROCESS_END_GRACE_MS);
    const subscription = vscode.tasks.onDidEndTask((e) => {
      if (e.execution === execution) done();
    });
    function done(): void {
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    }
  });
}
