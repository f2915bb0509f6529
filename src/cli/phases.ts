import { writeFileSync } from 'node:fs';
import { errorMessage } from '../core/errors';
import type { RunState } from '../core/run-state';

/**
 * `PARALLEL_TASKS_PHASES=FILE` writes, at the end of a run, when each step of
 * its start was reached, in ms since the process started (Node's
 * `performance.now()`): what a run of 50 or 5,000 files spends before its first
 * answer (bench/startup.mjs). A measuring aid: nothing else reads it.
 */
export const PHASES_ENV = 'PARALLEL_TASKS_PHASES';

type Phase = 'job-start' | 'run-start' | 'first-batch' | 'first-file-start' | 'first-file-done' | 'run-end';

export function recordPhases<R>(state: RunState<R>, file = process.env[PHASES_ENV]): { dispose(): void } {
  if (!file) return { dispose: () => undefined };
  const at: Partial<Record<Phase, number>> = { 'job-start': performance.now() };
  const mark = (phase: Phase): void => {
    at[phase] ??= performance.now();
  };
  const subscription = state.subscribe((event) => {
    if (event.type === 'run-start') mark('run-start');
    else if (event.type === 'batch-start') mark('first-batch');
    else if (event.type === 'file-start') mark('first-file-start');
    else if (event.type === 'file-done') mark('first-file-done');
    else if (event.type === 'run-end') mark('run-end');
  });
  return {
    dispose() {
      subscription.dispose();
      try {
        writeFileSync(file, `${JSON.stringify(at)}\n`);
      } catch (error) {
        // A measuring aid never fails the run it measured.
        process.stderr.write(`parallel-tasks: could not write ${PHASES_ENV}=${file}: ${errorMessage(error)}\n`);
      }
    },
  };
}
