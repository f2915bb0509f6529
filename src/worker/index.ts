/** Entry point of the worker bundle (dist/worker.js): one per worker thread. */
import { taskHandlers } from './handlers';
import { cacheKeys } from './cache-keys';
import { serveBatches } from './serve';

// cacheKeys: for queue workers, whose main thread must stay free (src/queue/remote-worker.ts).
serveBatches(taskHandlers, { cacheKeys });
