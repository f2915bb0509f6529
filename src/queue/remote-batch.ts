import * as l10n from '@vscode/l10n';
import type { FileOutcome, WorkerMessage } from '../core/types';
import type { AnyTaskKind } from '../core/task-api';
import { fromWirePath, localPath } from './batch-files';
import { batchProgressSchema, batchResultSchema, type BatchJob, type WorkerIdentity } from './wire';

/** Who ran a batch, in words for messages: "worker ci-2 on build-box-3". */
export function describeWorker(worker: WorkerIdentity): string {
  return `worker ${worker.name} on ${worker.host}`;
}

/**
 * One batch in the queue, from the coordinator's side: turns what comes back
 * (progress, the result, a failure) into the messages a local batch gives, with
 * the coordinator's paths. It settles once; whatever arrives after that (a
 * batch that ran twice, a late event) is ignored, so nothing is counted twice.
 */
export class RemoteBatch {
  jobId: string | undefined;
  /** Whether it is in Redis yet (only then is its state asked for). */
  added = false;
  /** The batch's first file, which a fatal error is reported on. */
  firstFile: string | undefined;
  /** What was queued, kept to queue it again should Redis lose it (restarted without persistence). */
  job: BatchJob | undefined;
  /** How many times it was queued again after Redis lost it. */
  requeued = 0;
  private settled = false;
  /** Who runs it now, from its progress. */
  worker: WorkerIdentity | undefined;
  /** The latest holder's start count (see batchProgressSchema). */
  private attempt = 0;
  readonly done: Promise<void>;
  private resolve!: () => void;
  private reject!: (error: Error) => void;

  constructor(
    private readonly root: string,
    private readonly kind: AnyTaskKind,
    private readonly onMessage: (message: WorkerMessage<unknown>) => void,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  get isSettled(): boolean {
    return this.settled;
  }

  /** A worker took the batch, or a file started on it: the scheduler's time limit and the lanes follow it. */
  progress(data: unknown): void {
    if (this.settled) return;
    const parsed = batchProgressSchema.safeParse(data);
    if (!parsed.success) return;
    const { attempt } = parsed.data;
    if (attempt !== undefined) {
      if (attempt < this.attempt) return;
      this.attempt = attempt;
    }
    this.worker = parsed.data.worker;
    if (parsed.data.file === undefined) return;
    const file = fromWirePath(this.root, parsed.data.file);
    if (file) this.onMessage({ type: 'file-start', file, threadId: 0 });
  }

  /** The job completed: its return value is the batch's results. A value that does not parse fails the batch. */
  completed(value: unknown): void {
    if (this.settled) return;
    const parsed = batchResultSchema.safeParse(typeof value === 'string' ? safeJson(value) : value);
    if (!parsed.success) {
      this.fail(l10n.t('a worker answered with something that is not a batch result ({0})', parsed.error.issues[0]?.message ?? 'invalid'));
      return;
    }
    this.settled = true;
    this.worker = parsed.data.worker;
    for (const output of parsed.data.output) this.onMessage({ type: 'output', stream: output.stream, text: output.text });
    for (const entry of parsed.data.files) {
      const file = fromWirePath(this.root, entry.path);
      // A path outside the workspace is not one we sent: the scheduler finds the file we did send missing and retries it.
      if (!file) continue;
      this.onMessage({ type: 'file-done', file, threadId: 0, outcome: this.localOutcome(entry.outcome), durationMs: entry.durationMs });
    }
    this.resolve();
  }

  /** A value with this checkout's paths; one that is not the kind's shape is an error on its file, not a crash here. */
  private localOutcome(outcome: FileOutcome<unknown>): FileOutcome<unknown> {
    if (outcome.status !== 'ok') return outcome;
    // Checked as a cached value is (the kind's own schema): a worker's answer is input from the network.
    const schema = this.kind.cache?.value;
    if (schema && !schema.safeParse(outcome.value).success) return { status: 'error', message: l10n.t('the worker sent a result of the wrong shape for this file') };
    try {
      return { status: 'ok', value: this.kind.mapValuePaths(outcome.value, (p: string) => localPath(this.root, p)) };
    } catch {
      return { status: 'error', message: l10n.t('the worker sent a result of the wrong shape for this file') };
    }
  }

  /** It went back to the queue (its worker stopped answering, or handed it back): none of its files is running now. */
  backInQueue(): void {
    if (!this.settled) this.onMessage({ type: 'requeued' });
  }

  /** The job failed (a crash on the worker, stalled too often, refused), or was stopped from here. */
  fail(reason: string | Error): void {
    if (this.settled) return;
    this.settled = true;
    this.reject(typeof reason === 'string' ? new Error(reason) : reason);
  }

  /** A file that never left this machine (it could not be read here): its outcome, at once. */
  progressLocal(file: string, outcome: FileOutcome<never>): void {
    if (!this.settled) this.onMessage({ type: 'file-done', file, threadId: 0, outcome, durationMs: 0 });
  }

  /** Nothing was sent after all (every file unreadable here, or cancelled before it went). */
  finishLocal(cancelled: boolean): void {
    if (cancelled) this.fail('cancelled');
    else if (!this.settled) {
      this.settled = true;
      this.resolve();
    }
  }

  /** A fatal error for the whole run (no worker for too long, a worker that refuses the run's config). */
  fatal(file: string, message: string): void {
    if (this.settled) return;
    this.onMessage({ type: 'file-done', file, threadId: 0, outcome: { status: 'error', message, fatal: true }, durationMs: 0 });
    this.fail(message);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
