import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export type Exit = { code: number | null; signal: NodeJS.Signals | null } | 'still running';

/** How `child` ended, or 'still running' after `ms`: a failing test fails in seconds instead of at mocha's timeout. */
export function exitWithin(child: ChildProcess, ms: number): Promise<Exit> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('still running'), ms);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

/** Whether `pid` is a running process (a zombie whose parent did not reap it yet has ended, too). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
