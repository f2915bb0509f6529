/** Entry point of the worker bundle (dist/worker.js): one per worker thread. */
import { isMainThread } from 'node:worker_threads';
import { taskHandlers } from './handlers';
import { cacheKeys } from './cache-keys';
import { serveBatches } from './serve';

// A pool asks whether a worker process starts with its flags (src/core/worker-tuning.ts): it did, so go.
if (isMainThread && process.argv[2] === '--probe-flags') process.exit(0);
// cacheKeys: for queue workers, whose main thread must stay free (src/queue/remote-worker.ts).
serveBatches(taskHandlers, { cacheKeys });
