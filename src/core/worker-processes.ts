import { ChildProcess } from 'node:child_process';
import type * as workerpool from 'workerpool';

/** What V8 prints on stderr when a process runs out of heap, just before it aborts. */
const OUT_OF_HEAP = /Reached heap limit|JavaScript heap out of memory/;
/** How long a dead worker's stderr may take to drain: the OOM line comes just before the exit, but not always to us first. */
const DRAIN_MS = 2000;

/** One worker process of a pool, as far as we follow it. */
export class WorkerProcess {
  /** Set when V8 said on stderr that the heap was exhausted: the process dies of SIGABRT right after. */
  outOfMemory = false;
  private readonly closed: Promise<void>;

  constructor(readonly child: ChildProcess) {
    const pid = child.pid as number;
    // The last few bytes of the previous chunk, so that a line cut between two chunks is still seen.
    let tail = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = tail + chunk.toString();
      if (OUT_OF_HEAP.test(text)) this.outOfMemory = true;
      tail = text.slice(-64);
    });
    // Whatever ended the worker (its own exit, a crash, workerpool's kill at a
    // timeout or a cancel), what it started in its group must not outlive it.
    child.once('exit', () => killProcessGroup(pid));
    this.closed = new Promise((resolve) => child.once('close', () => resolve()));
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves when the process has exited and its output is read (or after a short wait, should a stray process hold the pipe). */
  async drained(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.closed, new Promise((resolve) => (timer = setTimeout(resolve, DRAIN_MS)))]);
    clearTimeout(timer);
  }
}

/**
 * Follows the child processes of a workerpool pool. workerpool gives no
 * handle on the processes it forks, and we need them for two things: to kill
 * a worker's process group when the worker exits, and to tell a worker that
 * died of heap exhaustion from other crashes. This reads the pool's internal
 * list of workers (workerpool 10, pinned): if that ever changes shape, the
 * tests of both behaviours fail rather than anything silently breaking.
 */
export class WorkerProcesses {
  private readonly byPid = new Map<number, WorkerProcess>();

  /** Takes note of the pool's processes not seen yet; call just after workerpool creates one. */
  adopt(pool: workerpool.Pool): void {
    const handlers = (pool as unknown as { readonly workers?: readonly { readonly worker?: unknown }[] }).workers ?? [];
    for (const handler of handlers) {
      const child = handler.worker;
      if (!(child instanceof ChildProcess) || child.pid === undefined || this.byPid.has(child.pid)) continue;
      const pid = child.pid;
      this.byPid.set(pid, new WorkerProcess(child));
      child.once('close', () => this.byPid.delete(pid));
    }
  }

  get(pid: number): WorkerProcess | undefined {
    return this.byPid.get(pid);
  }

  /** Kills the group of every worker still running: for a worker that did not exit when the pool was terminated. */
  killAll(): void {
    for (const worker of this.byPid.values()) {
      if (!worker.alive) continue;
      killProcessGroup(worker.child.pid as number);
      worker.child.kill('SIGKILL');
    }
  }
}

/**
 * Kills a worker's process group: the worker, if it still runs, and whatever
 * it started that stayed in its group. Only for a pid that is, or just was,
 * one of our group leaders: while any member is left the kernel does not
 * give the number to another process.
 */
export function killProcessGroup(pid: number): void {
  if (process.platform === 'win32') return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: nothing is left in the group.
  }
}
