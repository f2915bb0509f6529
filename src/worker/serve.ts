import { isMainThread } from 'node:worker_threads';
import * as workerpool from 'workerpool';
import type { WorkerProcessHello } from '../core/pool-executor';
import type { BatchRequest, WorkerMessage } from '../core/types';
import { exitWithParent } from './parent-watch';
import type { HandlerLookup } from '../core/task-api';
import { runBatch, type HandlerRegistry } from './run-batch';

/** Registers the batch entry point in a workerpool worker. Handlers keep their warm state in module scope. */
export function serveBatches(handlers: HandlerRegistry | HandlerLookup, extra: Record<string, (...args: never[]) => unknown> = {}): void {
  const inChildProcess = isMainThread && typeof process.send === 'function';
  if (inChildProcess) exitWithParent();
  // A worker process says which it is at the start of each batch: the pool
  // follows its processes by pid (to tell an out-of-memory death from a crash).
  const hello: WorkerProcessHello = { type: 'worker-process', pid: process.pid };
  workerpool.worker({
    ...extra,
    runBatch: (request: BatchRequest) => {
      if (inChildProcess) workerpool.workerEmit(hello);
      return runBatch(handlers, request, (message: WorkerMessage<unknown>) => workerpool.workerEmit(message));
    },
  });
}
