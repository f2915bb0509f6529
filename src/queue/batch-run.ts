import { UnrecoverableError, type Job } from 'bullmq';
import type { Executor } from '../core/executor';
import { describeWorkerError } from '../core/pool-executor';
import type { WorkerMessage } from '../core/types';
import { portablePath } from './batch-files';
import type { CheckedBatch } from './batch-check';
import type { BatchResult, WorkerIdentity } from './wire';

/** The first file of a batch may also wait for its worker to start and load the tool. */
const STARTUP_ALLOWANCE_MS = 30_000;

/** How often a running batch asks whether its coordinator is still there. */
const ALIVE_CHECK_MS = 5000;

export interface BatchRunContext {
  readonly identity: WorkerIdentity;
  readonly root: string;
  readonly describe: string;
  /** Whether the batch's run still has a coordinator (its key in Redis). */
  readonly runAlive: () => Promise<boolean>;
}

/**
 * One batch on this worker's pool: collects its messages into the result with
 * wire paths, reports each file's start as the job's progress, and ends it
 * when the coordinator cancels, when a file runs past the batch's time limit
 * (the pool's thread may spin for ever while this thread keeps renewing the
 * lock, so nothing else would end it), or when the run's coordinator is gone.
 */
export async function runBatch(executor: Executor, job: Job, checked: CheckedBatch, busy: Set<string>, signal: AbortSignal | undefined, context: BatchRunContext): Promise<BatchResult> {
  const result: BatchResult = { worker: context.identity, files: checked.answered.map((a) => ({ ...a, durationMs: 0 })), output: [] };
  if (checked.request.files.length === 0) return result;
  let stopped: string | undefined;
  let watchdog: NodeJS.Timeout | undefined;
  const limit = checked.job.fileTimeoutMs;
  const arm = (ms: number): void => {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => stop(`timed out: a file ran longer than ${Math.round(limit / 1000)} s on ${context.describe}`), ms);
  };
  const execution = executor.execute<unknown>(checked.request, (message: WorkerMessage<unknown>) => collect(message, checked, result, busy, job, context, () => arm(limit)));
  const stop = (why: string): void => {
    stopped ??= why;
    execution.cancel();
  };
  const onAbort = (): void => stop(`cancelled: ${String(signal?.reason ?? 'by the coordinator')}`);
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  arm(limit + STARTUP_ALLOWANCE_MS);
  const alive = setInterval(() => {
    void context.runAlive().then((yes) => yes || stop('cancelled: the run\'s coordinator is gone'), () => undefined);
  }, ALIVE_CHECK_MS);
  try {
    await execution.done;
  } catch (error) {
    // Stopped on purpose: not retried. Otherwise the pool's worker died on this batch, and the coordinator retries its files one by one.
    if (stopped?.startsWith('cancelled')) throw new UnrecoverableError(stopped);
    throw new Error(stopped ?? `${context.describe}: ${describeWorkerError(error)}`, { cause: error });
  } finally {
    clearTimeout(watchdog);
    clearInterval(alive);
    signal?.removeEventListener('abort', onAbort);
  }
  // Stopped just as its last file finished: the answer is whole, and running the batch again would waste it.
  const whole = result.files.length === checked.answered.length + checked.request.files.length;
  if (stopped && !whole) throw stopped.startsWith('cancelled') ? new UnrecoverableError(stopped) : new Error(stopped);
  return result;
}

function collect(message: WorkerMessage<unknown>, checked: CheckedBatch, result: BatchResult, busy: Set<string>, job: Job, context: BatchRunContext, fileStarted: () => void): void {
  if (message.type === 'output') {
    result.output.push({ stream: message.stream, text: message.text });
    return;
  }
  // Only a queue's own executor says it (this worker's pool never does).
  if (message.type === 'requeued') return;
  const wire = checked.wirePaths.get(message.file);
  if (!wire) return;
  if (message.type === 'file-start') {
    fileStarted();
    busy.add(wire);
    void job.updateProgress({ worker: context.identity, file: wire, attempt: job.attemptsStarted }).catch(() => undefined);
    return;
  }
  busy.delete(wire);
  const outcome = message.outcome.status === 'ok' ? { status: 'ok' as const, value: checked.kind.mapValuePaths(message.outcome.value, (p: string) => portablePath(context.root, p)) } : message.outcome;
  result.files.push({ path: wire, outcome, durationMs: message.durationMs });
}
