import * as l10n from '@vscode/l10n';
import type { BatchBar, RunPhase, TaskLane, TransformState, WorkerLane } from '../../src/shared/protocol';

/**
 * The words the panel shows for the states the host sends. The states
 * themselves stay English: they are keys and CSS classes (and the e2e tests
 * select by them); only what is displayed goes through these. Functions, not
 * tables, so that they are translated after messages.ts configured l10n.
 */

export function phaseLabel(phase: RunPhase): string {
  switch (phase) {
    case 'running':
      return l10n.t({ message: 'running', comment: ['a run that is still going'] });
    case 'completed':
      return l10n.t({ message: 'completed', comment: ['a run that finished'] });
    case 'cancelled':
      return l10n.t({ message: 'cancelled', comment: ['a run (or files) the user cancelled'] });
    case 'failed':
      return l10n.t({ message: 'failed', comment: ['a run that failed'] });
    case 'refused':
      return l10n.t({ message: 'refused', comment: ['a run the editor would not start'] });
  }
}

/** The queue's counts, by the file state that is also the count's CSS class. */
export type FileState = 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'cancelled';

export function fileStateLabel(state: FileState): string {
  switch (state) {
    case 'pending':
      return l10n.t({ message: 'pending', comment: ['files waiting in the queue'] });
    case 'running':
      return l10n.t({ message: 'running', comment: ['files being processed now'] });
    case 'done':
      return l10n.t({ message: 'done', comment: ['files processed'] });
    case 'failed':
      return l10n.t({ message: 'failed', comment: ['files the tool failed on'] });
    case 'skipped':
      return l10n.t({ message: 'skipped', comment: ['files the run did not process'] });
    case 'cancelled':
      return l10n.t({ message: 'cancelled', comment: ['a run (or files) the user cancelled'] });
  }
}

export function workerStateLabel(state: WorkerLane['state'] | 'gone'): string {
  switch (state) {
    case 'idle':
      return l10n.t({ message: 'idle', comment: ['a worker with nothing to do'] });
    case 'busy':
      return l10n.t({ message: 'busy', comment: ['a worker processing files'] });
    case 'restarting':
      return l10n.t({ message: 'restarting', comment: ['a worker starting again after a crash'] });
    case 'gone':
      return l10n.t({ message: 'gone', comment: ['a remote worker that stopped answering'] });
  }
}

export function workerKindLabel(kind: WorkerLane['kind']): string {
  switch (kind) {
    case 'thread':
      return l10n.t({ message: 'thread', comment: ['a worker that is a thread in the extension host'] });
    case 'process':
      return l10n.t({ message: 'process', comment: ['a worker that is a child process'] });
    case 'in-process':
      return l10n.t({ message: 'in-process', comment: ['a worker that is the extension host itself'] });
    case 'command':
      return l10n.t({ message: 'command', comment: ["a worker that runs a task's external command"] });
    case 'remote':
      return l10n.t({ message: 'remote', comment: ['a worker on another machine, through a queue'] });
  }
}

/** What each kind of worker is, for the tooltip of its lane's kind. */
export function workerKindTitle(kind: WorkerLane['kind']): string {
  switch (kind) {
    case 'thread':
      return l10n.t('a worker thread in the extension host');
    case 'process':
      return l10n.t('a child process: a native crash costs only this worker');
    case 'in-process':
      return l10n.t('the extension host itself');
    case 'command':
      return l10n.t("runs the task's external command, one invocation at a time");
    case 'remote':
      return l10n.t('batches through the queue, run by workers on other machines');
  }
}

export function taskStateLabel(state: TaskLane['state']): string {
  switch (state) {
    case 'running':
      return l10n.t({ message: 'running', comment: ['a VS Code task that is still going'] });
    case 'succeeded':
      return l10n.t({ message: 'succeeded', comment: ['a VS Code task that ended well'] });
    case 'failed':
      return l10n.t({ message: 'failed', comment: ['a VS Code task that failed'] });
    case 'stopped':
      return l10n.t({ message: 'stopped', comment: ['a VS Code task the user stopped'] });
  }
}

export function transformStateLabel(state: TransformState): string {
  switch (state) {
    case 'pending':
      return l10n.t({ message: 'pending', comment: ['a file change waiting for review'] });
    case 'applied':
      return l10n.t({ message: 'applied', comment: ['a file change written to the file'] });
    case 'discarded':
      return l10n.t({ message: 'discarded', comment: ['a file change thrown away'] });
    case 'stale':
      return l10n.t({ message: 'stale', comment: ['a file change left alone: the file changed since the transform read it'] });
    case 'failed':
      return l10n.t({ message: 'failed', comment: ['a file change that could not be written'] });
  }
}

/** A batch's outcome, in the tooltip of its bar. */
export function batchOutcomeLabel(outcome: BatchBar['outcome']): string {
  switch (outcome) {
    case 'running':
      return l10n.t({ message: 'running', comment: ['a batch of files being processed'] });
    case 'ok':
      return l10n.t({ message: 'done', comment: ['a batch of files processed'] });
    case 'failed':
      return l10n.t('done with file errors');
    case 'crashed':
      return l10n.t('worker crashed (restarted)');
    case 'timed out':
      return l10n.t('timed out (worker terminated)');
    case 'cancelled':
      return l10n.t({ message: 'cancelled', comment: ['a batch of files the user cancelled'] });
  }
}

/** A lint run's problems against the previous run of its scope: "+3 new" (history and run header). */
export function newProblemsLabel(n: number): string {
  return l10n.t({ message: '+{0} new', args: [n], comment: ['problems that were not in the previous run'] });
}

/** "−5 fixed": problems of the previous run of its scope that this one no longer has. */
export function fixedProblemsLabel(n: number): string {
  return l10n.t({ message: '−{0} fixed', args: [n], comment: ['problems of the previous run that are gone'] });
}
