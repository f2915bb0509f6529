import * as workerpool from 'workerpool';
import type { BatchRequest, WorkerMessage } from '../core/types';
import { runBatch, type HandlerRegistry } from './run-batch';

/** Registers the batch entry point in a workerpool worker. Handlers keep their warm state in module scope. */
export function serveBatches(handlers: HandlerRegistry): void {
  workerpool.worker({
    runBatch: (request: BatchRequest) =>
      runBatch(handlers, request, (message: WorkerMessage<unknown>) => workerpool.workerEmit(message)),
  });
}
