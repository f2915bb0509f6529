import { threadId } from 'node:worker_threads';
import { errorMessage, errorName } from '../core/errors';
import type { FileHandler, HandlerLookup } from '../core/task-api';
import type { BatchRequest, FileOutcome, WorkerMessage } from '../core/types';

/** Handlers by kind, written out: what tests and benchmarks serve from their fixture workers. */
export type HandlerRegistry = Readonly<Record<string, FileHandler>>;

export interface RunBatchControl {
  /** Checked between files: an in-process run has no thread to terminate, so it stops cooperatively. */
  readonly shouldStop?: () => boolean;
}

/**
 * Works through a batch file by file, reporting each start and result as it
 * happens, so the host knows which file a crashed worker was on and keeps every
 * result that was already finished.
 */
export async function runBatch(
  handlers: HandlerRegistry | HandlerLookup,
  request: BatchRequest,
  emit: (message: WorkerMessage<unknown>) => void,
  control: RunBatchControl = {},
): Promise<number> {
  const handler = typeof handlers === 'function' ? await handlers(request.kind) : handlers[request.kind];
  if (!handler) throw new Error(`No handler for task kind "${request.kind}"`);
  let processed = 0;
  for (const file of request.files) {
    if (control.shouldStop?.()) break;
    emit({ type: 'file-start', file, threadId });
    const started = performance.now();
    let outcome: FileOutcome<unknown>;
    try {
      outcome = await handler(file, request);
    } catch (error) {
      outcome = { status: 'error', message: errorMessage(error), fatal: errorName(error) === 'ConfigError' };
    }
    emit({ type: 'file-done', file, threadId, outcome, durationMs: performance.now() - started });
    processed++;
  }
  return processed;
}
