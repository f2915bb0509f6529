/** Entry point of the worker bundle (dist/worker.js): one per worker thread. */
import { taskHandlers } from './handlers';
import { cacheKeys } from './cache-keys';
import { serveBatches } from './serve';
import { useMessagesFromEnvironment } from '../core/messages';

// Before any handler runs, so that its messages are in the editor's language.
useMessagesFromEnvironment();

// cacheKeys: for queue workers, whose main thread must stay free (src/queue/remote-worker.ts).
serveBatches(taskHandlers, { cacheKeys });
