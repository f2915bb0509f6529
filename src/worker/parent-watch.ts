import { Worker, isMainThread } from 'node:worker_threads';
import { killProcessGroup } from '../core/worker-processes';

/** How often the watch thread looks for its parent: a getppid() call, nothing more. */
const CHECK_MS = 500;

/**
 * The watch thread's code. It runs beside the worker's own thread, so it
 * notices a parent that is gone even while user code spins at 100 % CPU and
 * no event of the worker's thread can run. It then kills the worker's process
 * group (the worker leads one, see PoolExecutor), which takes whatever the
 * worker started with it; if the worker leads no group, that finds nothing,
 * and the worker alone is killed.
 */
const WATCH = `
const { workerData } = require('node:worker_threads');
setInterval(() => {
  if (process.ppid === workerData.parent) return;
  try { process.kill(-workerData.pid, 'SIGKILL'); } catch {}
  process.kill(workerData.pid, 'SIGKILL');
}, ${CHECK_MS});
`;

/**
 * Makes a worker *process* end when the process that started it is gone,
 * even if that one was killed with SIGKILL and could not terminate its pool:
 * otherwise the worker would live on under PID 1, possibly spinning in a
 * codemod. Two ways, since neither covers everything alone:
 * - the IPC channel closes when the parent dies ('disconnect'): immediate,
 *   but only heard when the worker's thread is free;
 * - a small thread checks every 0.5 s whether the parent pid changed (the
 *   orphan is re-parented): heard whatever the worker's thread is doing. It
 *   is unref'd, so it never keeps the worker alive, and costs one thread
 *   (about 9 MB and 0.1 s of CPU at the worker's start).
 * Worker threads need neither: they end with their process.
 */
export function exitWithParent(): void {
  if (!isMainThread || typeof process.send !== 'function') throw new Error('exitWithParent is for the main thread of a child process');
  const parent = process.ppid;
  // Before workerpool's own 'disconnect' handler (a plain exit), so that the worker's group goes too.
  process.prependListener('disconnect', () => killOwnGroup());
  const watch = new Worker(WATCH, {
    eval: true,
    workerData: { parent, pid: process.pid },
    // The thread holds a timer and nothing else.
    resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 },
  });
  watch.unref();
}

function killOwnGroup(): void {
  // Not a group leader (started without a group of its own): that finds nothing, and the exit ends this one.
  killProcessGroup(process.pid);
  process.exit(1);
}
