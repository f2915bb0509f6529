import { Worker } from 'node:worker_threads';

/**
 * Code that runs on the calling thread (a small run in-process) cannot be
 * interrupted when it never yields: a rule in an endless loop blocks the very
 * thread that would time it out, and the signal handlers too. This watchdog
 * lives on a thread of its own; told which file is being processed and until
 * when, it ends the whole process, after one line on stderr, once a file runs
 * past that. Only the process can be ended: a thread cannot stop another
 * thread's JavaScript.
 */
const WATCHDOG_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { writeSync } = require('node:fs');
let current;
parentPort.on('message', (message) => { current = message.file === undefined ? undefined : message; });
setInterval(() => {
  if (!current || Date.now() < current.deadline) return;
  writeSync(2, 'parallel-tasks: ' + current.file + ' is still being processed after ' + current.limitSeconds + ' s, past the time limit, on the CLI\\'s own thread, where it cannot be stopped (a small run runs in-process); ending the run. With --workers 1 such a file is timed out and reported instead.\\n');
  process.kill(process.pid, 'SIGKILL');
}, 200);
`;

export class StuckFileWatchdog {
  private worker: Worker | undefined;

  constructor(private readonly limitMs: number) {}

  /** `file` starts now; undefined: no file is being processed. */
  watch(file: string | undefined): void {
    if (file === undefined && !this.worker) return;
    // Started with the first file: a run that never gets there costs no thread.
    this.worker ??= new Worker(WATCHDOG_SOURCE, { eval: true });
    // It must never keep the process alive by itself.
    this.worker.unref();
    this.worker.postMessage(file === undefined ? {} : { file, deadline: Date.now() + this.limitMs, limitSeconds: Math.round(this.limitMs / 1000) });
  }

  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}
